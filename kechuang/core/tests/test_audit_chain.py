import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kechuang.core.crypto import sm3_hex
from kechuang.core.models import AuditEvent
from kechuang.core.selectors import audit_chain_verify
from kechuang.core.services import audit_record

COLUMNS = ["created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr",
           "changes", "ip", "prev_hash", "hash"]


@pytest.fixture
def chain(db):
    return [audit_record(f"test.step{i}", actor_label="测试", changes={"step": i, "名称": "成果"}) for i in range(1, 6)]


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def row(event_id):
    return raw(f"SELECT {', '.join(COLUMNS)} FROM core_auditevent WHERE id = %s", [event_id])[0]


def write_row(event_id, values):
    assignments = ", ".join(f"{column} = %s" for column in COLUMNS)
    raw(f"UPDATE core_auditevent SET {assignments} WHERE id = %s", [*values, event_id])


def test_an_intact_chain_verifies(chain):
    report = audit_chain_verify()
    assert (report.ok, report.checked) == (True, 5)
    assert chain[0].prev_hash == "0" * 64
    assert chain[1].prev_hash == chain[0].hash
    assert chain[0].hash == sm3_hex(bytes.fromhex(chain[0].prev_hash) + chain[0].canonical())
    call_command("audit_verify")


def test_an_edited_event_is_named(chain):
    raw("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["篡改", chain[2].id])
    report = audit_chain_verify()
    assert (report.ok, report.bad_event_id, report.checked) == (False, chain[2].id, 2)
    assert "被修改" in report.reason
    with pytest.raises(CommandError, match=f"#{chain[2].id}"):
        call_command("audit_verify")


def test_an_edited_summary_is_named(chain):
    raw("UPDATE core_auditevent SET changes = %s WHERE id = %s", ['{"step": 99}', chain[1].id])
    assert audit_chain_verify().bad_event_id == chain[1].id


def test_a_deleted_event_is_named(chain):
    raw("DELETE FROM core_auditevent WHERE id = %s", [chain[2].id])
    report = audit_chain_verify()
    assert (report.ok, report.bad_event_id) == (False, chain[3].id)
    assert "被删除" in report.reason


def test_a_deleted_last_event_is_caught_by_the_head(chain):
    raw("DELETE FROM core_auditevent WHERE id = %s", [chain[4].id])
    report = audit_chain_verify()
    assert (report.ok, report.bad_event_id) == (False, chain[4].id)


def test_an_inserted_event_is_named(chain):
    # Make room after event 3, then insert a forged event 4 whose own hash is consistent.
    for event in reversed(chain[3:]):
        raw("UPDATE core_auditevent SET id = %s WHERE id = %s", [event.id + 1, event.id])
    forged = AuditEvent(id=chain[3].id, created_at=chain[3].created_at, actor_label="伪造", action="test.forged",
                        changes={}, prev_hash=chain[2].hash)
    forged.hash = forged.compute_hash()
    raw(f"INSERT INTO core_auditevent (id, {', '.join(COLUMNS)}) VALUES (%s{', %s' * len(COLUMNS)})",
        [forged.id, forged.created_at, None, forged.actor_label, forged.action, "", "", "", "{}", None,
         forged.prev_hash, forged.hash])
    report = audit_chain_verify()
    assert (report.ok, report.bad_event_id) == (False, chain[3].id + 1)


def test_reordered_events_are_named(chain):
    second, third = row(chain[1].id), row(chain[2].id)
    raw("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["x" * 64, chain[1].id])
    write_row(chain[2].id, second)
    write_row(chain[1].id, third)
    report = audit_chain_verify()
    assert (report.ok, report.bad_event_id) == (False, chain[1].id)


def test_the_orm_refuses_to_change_or_delete_events(chain):
    event = AuditEvent.objects.get(pk=chain[0].pk)
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert audit_chain_verify().ok


def test_events_record_the_client_address(world, client):
    client.post("/sign-in/", {"login": world.users.org_admin.email, "password": "wrong-password-1"},
                REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.filter(action="auth.login_failed").latest("id")
    assert event.ip == "10.1.2.3"
    assert event.object_id == str(world.users.org_admin.pk)
