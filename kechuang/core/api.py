from datetime import datetime

from ninja import Router, Schema

from kechuang.core import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(Schema):
    ids: list[int] | None = None


@router.get("/notifications", response=list[NotificationOut], url_name="notification_list")
def notification_list(request, unread: bool = False):
    notifications = selectors.notification_list(request.user)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications[:200]


@router.post("/notifications/read", url_name="notifications_mark_read")
def notifications_mark_read(request, payload: MarkReadIn):
    return {"marked": services.notifications_mark_read(user=request.user, notification_ids=payload.ids)}
