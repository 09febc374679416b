"""The audit trail can only grow; tampering underneath it is found by audit_verify."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from dendrite.audit.log import record
from dendrite.audit.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_each_entry_links_to_the_one_before(nurse):
    first = record("test.first", user=nurse)
    second = record("test.second", user=nurse)
    assert second.prev_hash == first.hash
    assert first.actor_username == nurse.username
    assert first.actor_role == "nurse"


def test_the_model_refuses_to_change_an_entry(nurse):
    event = record("test.event", user=nurse)
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_the_model_refuses_to_delete_entries(nurse):
    event = record("test.event", user=nurse)
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


def test_the_database_refuses_a_raw_update_and_delete(nurse):
    record("test.event", user=nurse)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x'",
        "DELETE FROM audit_auditevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get().action == "test.event"


def drop_guard() -> None:
    """What an intruder with full database rights could do: remove the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")


def test_audit_verify_passes_on_an_intact_chain(nurse, capsys):
    for number in range(3):
        record(f"test.event{number}", user=nurse)
    call_command("audit_verify")
    assert "intact: 3 entries" in capsys.readouterr().out


def test_audit_verify_names_an_entry_edited_directly_in_the_database(nurse):
    events = [record(f"test.event{number}", user=nurse) for number in range(4)]
    drop_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s WHERE id = %s",
            ["someone-else", events[2].id],
        )
    with pytest.raises(CommandError, match=f"broken at entry {events[2].id}"):
        call_command("audit_verify")
