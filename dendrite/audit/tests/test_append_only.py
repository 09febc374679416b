"""The audit trail can only grow; tampering underneath it is found by audit_verify.

Entries are written sealed and unchained, and chained a moment later by the chainer
(log.chain_pending): the database lets that one update through, once."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dendrite.audit import chain
from dendrite.audit.log import chain_pending, record, write
from dendrite.audit.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_an_entry_is_written_sealed_and_unchained(nurse):
    event = AuditEvent.objects.get(pk=record("test.first", user=nurse).pk)
    assert (event.seq, event.prev_hash, event.hash) == (None, None, None)
    assert chain.seal_matches(settings.AUDIT_CHAIN_KEY, event.seal, event.chained_fields())
    assert event.actor_username == nurse.username
    assert event.actor_role == "nurse"


def test_the_chainer_links_each_entry_to_the_one_before_in_order(nurse):
    first = record("test.first", user=nurse)
    second = record("test.second", user=nurse)
    assert chain_pending() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash
    third = record("test.third", user=nurse)
    assert chain_pending() == 1
    third.refresh_from_db()
    assert third.seq == 3 and third.prev_hash == second.hash
    assert chain_pending() == 0


def test_the_chainer_works_in_batches(nurse):
    for number in range(5):
        record(f"test.event{number}", user=nurse)
    assert chain_pending(batch_size=2) == 5
    seqs = list(AuditEvent.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5]


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
        refused(sql)
    assert AuditEvent.objects.get().action == "test.event"


def refused(sql: str, params: list[object] | None = None) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


CHAINING = "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s"


def test_the_database_lets_an_entry_be_chained_once_and_nothing_else(nurse):
    event = record("test.event", user=nurse)
    links = [1, chain.GENESIS, "a" * 64]
    # Anything else changed with the chaining, a part of it, or the seal: refused.
    refused(CHAINING + ", action = 'x' WHERE id = %s", [*links, event.id])
    refused(CHAINING + ", seal = 'x' WHERE id = %s", [*links, event.id])
    refused("UPDATE audit_auditevent SET seq = 1 WHERE id = %s", [event.id])
    refused("UPDATE audit_auditevent SET seal = 'x' WHERE id = %s", [event.id])
    # The chaining alone, once: let through.
    with connection.cursor() as cursor:
        cursor.execute(CHAINING + " WHERE id = %s", [*links, event.id])
    assert AuditEvent.objects.get().hash == "a" * 64
    # A second chaining, or changing the links: refused.
    refused(CHAINING + " WHERE id = %s", [2, chain.GENESIS, "b" * 64, event.id])
    refused("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["c" * 64, event.id])
    refused("UPDATE audit_auditevent SET seq = NULL, prev_hash = NULL, hash = NULL")
    assert AuditEvent.objects.values_list("seq", "hash").get() == (1, "a" * 64)


def drop_guard() -> None:
    """What an intruder with full database rights could do: remove the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")


def test_audit_verify_chains_what_waits_and_passes_on_an_intact_chain(nurse, capsys):
    for number in range(3):
        record(f"test.event{number}", user=nurse)
    call_command("audit_verify")
    assert "intact: 3 entries" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()


def edit(event: AuditEvent) -> None:
    drop_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s WHERE id = %s",
            ["someone-else", event.id],
        )


def test_audit_verify_names_a_chained_entry_edited_directly_in_the_database(nurse):
    events = [record(f"test.event{number}", user=nurse) for number in range(4)]
    chain_pending()
    edit(events[2])
    with pytest.raises(CommandError, match=f"broken at entry {events[2].id}: .* hash"):
        call_command("audit_verify")


def test_an_entry_edited_before_it_was_chained_is_named_and_never_chained(nurse):
    events = [record(f"test.event{number}", user=nurse) for number in range(4)]
    chain_pending()
    waiting = record("test.waiting", user=nurse)
    edit(waiting)
    with pytest.raises(CommandError, match=f"broken at entry {waiting.id}: .* seal"):
        call_command("audit_verify")
    with pytest.raises(CommandError, match=f"broken at entry {waiting.id}"):
        call_command("audit_chain")
    assert AuditEvent.objects.get(pk=waiting.pk).seq is None
    assert AuditEvent.objects.get(pk=events[-1].pk).seq == 4


def test_a_forged_entry_waiting_to_be_chained_is_named(nurse):
    record("test.event", user=nurse)
    forged = AuditEvent(at=timezone.now(), action="test.forged", seal="f" * 64)
    forged.save()  # written by someone without the key, so without a true seal
    with pytest.raises(CommandError, match=f"broken at entry {forged.id}: .* seal"):
        call_command("audit_verify")


def test_a_chained_entry_removed_from_the_middle_is_found(nurse):
    events = [record(f"test.event{number}", user=nurse) for number in range(4)]
    chain_pending()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_delete")
        else:
            cursor.execute("DROP TRIGGER audit_no_delete")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    with pytest.raises(CommandError, match=f"broken at entry {events[2].id}: .* link"):
        call_command("audit_verify")


def test_entries_waiting_too_long_to_be_chained_are_reported(nurse, capsys, settings):
    settings.AUDIT_CHAIN_LATE_SECONDS = 300
    late = AuditEvent(at=timezone.now() - dt.timedelta(minutes=10), action="test.late")
    write(late)
    record("test.now", user=nurse)
    call_command("audit_chain")
    output = capsys.readouterr()
    assert "1 audit entries waited more than 300 s to be chained" in output.err
    assert "chained: 2" in output.out
    call_command("audit_verify")
    assert "waited" not in capsys.readouterr().err


def test_triggers_migration_installs_what_triggers_py_says():
    """The migrations keep their own frozen copy of the triggers' SQL (a migration must
    do what it did when it was written); the newest must equal audit/triggers.py, so a
    change to the triggers comes with a migration that installs it."""
    from importlib import import_module

    from dendrite.audit import triggers

    newest = import_module("dendrite.audit.migrations.0003_chain_after_commit")
    assert newest.POSTGRES_UP == triggers.POSTGRES_UP
    assert newest.POSTGRES_DOWN == triggers.POSTGRES_DOWN
    assert list(newest.SQLITE_UP) == list(triggers.SQLITE_UP)
    assert list(newest.SQLITE_DOWN) == list(triggers.SQLITE_DOWN)
    assert "triggers" not in vars(newest)  # frozen, not the live module
