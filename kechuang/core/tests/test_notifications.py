from django.core import mail

from kechuang.core.models import Notification
from kechuang.core.services import notify


def test_notification_mail_is_sent_after_commit(world, django_capture_on_commit_callbacks):
    user = world.users.enterprise_user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(user, title="审核结果", body="已通过", url="/organization/")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == "审核结果"


def test_bell_counts_unread_and_marking_is_per_user(world, client_for):
    mine = notify(world.users.enterprise_user, title="一", email=False)
    notify(world.users.enterprise_user, title="二", email=False)
    theirs = notify(world.users.org_admin, title="别人的", email=False)
    client = client_for("enterprise_user")
    assert client.get("/notifications/bell/").context["unread_count"] == 2
    client.post("/notifications/read/", {"id": [mine.pk, theirs.pk]})
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.get("/notifications/bell/").context["unread_count"] == 1
    page = client.get("/notifications/")
    assert "别人的" not in page.content.decode()
