from django.db import connection

from kechuang.accounts.models import User
from kechuang.accounts.tests.factories import UserFactory


def test_mobile_and_id_card_are_stored_encrypted(db):
    user = UserFactory(mobile="13812345678", id_card="11010519491231002X")
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, id_card FROM accounts_user WHERE id = %s", [user.pk])
        stored_mobile, stored_id = cursor.fetchone()
    assert "13812345678" not in stored_mobile and stored_mobile.startswith("sm4gcm:")
    assert "1949" not in stored_id and stored_id.startswith("sm4gcm:")
    reloaded = User.objects.get(pk=user.pk)
    assert (reloaded.mobile, reloaded.id_card) == ("13812345678", "11010519491231002X")
    assert User.objects.get_by_mobile("138 1234 5678").pk == user.pk
