"""The head of the audit chain is anchored: cutting off the newest entries, which leaves a
chain that still links up, is found by audit_verify against signed checkpoints kept
outside the database (a file and the log)."""

import logging

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection

from dendrite.audit import chain
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def remove_newest(count: int) -> None:
    """What an intruder with full database rights could do: lift the guard, cut the end."""
    newest = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:count])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_delete")
        else:
            cursor.execute("DROP TRIGGER audit_no_delete")
        placeholders = ", ".join(["%s"] * len(newest))
        cursor.execute(f"DELETE FROM audit_auditevent WHERE id IN ({placeholders})", newest)


def test_verify_writes_a_checkpoint_and_then_checks_against_it(nurse, checkpoint_file, capsys):
    for number in range(3):
        record(f"test.event{number}", user=nurse)
    call_command("audit_verify")
    assert "intact: 3 entries verified." in capsys.readouterr().out
    [line] = checkpoint_file.read_text().splitlines()
    assert chain.Checkpoint.from_line(line).count == 3
    record("test.event3", user=nurse)
    call_command("audit_verify")
    assert "intact: 4 entries verified, matching the checkpoint of" in capsys.readouterr().out


def test_removing_the_newest_entries_is_found(nurse):
    events = [record(f"test.event{number}", user=nurse) for number in range(5)]
    call_command("audit_checkpoint")
    remove_newest(2)
    with pytest.raises(CommandError, match=f"broken at entry {events[-1].id}: .* removed"):
        call_command("audit_verify")


def test_removing_the_newest_entries_and_carrying_on_is_found(nurse):
    # New entries after the cut link to what is left, so the chain alone looks whole.
    events = [record(f"test.event{number}", user=nurse) for number in range(5)]
    call_command("audit_checkpoint")
    remove_newest(2)
    record("test.after", user=nurse)
    with pytest.raises(CommandError, match=f"broken at entry {events[-1].id}"):
        call_command("audit_verify")


def test_a_checkpoint_is_never_written_over_a_trail_that_was_cut_short(nurse, checkpoint_file):
    for number in range(4):
        record(f"test.event{number}", user=nurse)
    call_command("audit_checkpoint")
    remove_newest(1)
    before = checkpoint_file.read_text()
    with pytest.raises(CommandError, match="gone"):
        call_command("audit_checkpoint")
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert checkpoint_file.read_text() == before


def test_each_checkpoint_also_goes_to_the_log(nurse, caplog):
    record("test.event", user=nurse)
    with caplog.at_level(logging.INFO, logger="dendrite.audit.checkpoint"):
        call_command("audit_checkpoint")
    [message] = [r.getMessage() for r in caplog.records if r.name == "dendrite.audit.checkpoint"]
    line = message.removeprefix("audit checkpoint ")
    assert chain.Checkpoint.from_line(line).entry_id == AuditEvent.objects.get().id


def test_a_checkpoint_not_signed_with_the_audit_key_is_refused(nurse, checkpoint_file):
    record("test.event", user=nurse)
    forged = chain.Checkpoint("2026-01-01T00:00:00+00:00", 1, "f" * 64, 1).signed("guessed")
    checkpoint_file.write_text(forged.to_line() + "\n")
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify")
    checkpoint_file.write_text("not a checkpoint\n")
    with pytest.raises(CommandError, match="line 1"):
        call_command("audit_checkpoint")


def test_an_empty_trail_can_be_checkpointed_and_verified(capsys):
    call_command("audit_checkpoint")
    call_command("audit_verify")
    assert "intact: 0 entries" in capsys.readouterr().out


def test_production_without_a_separate_audit_key_is_warned_about(settings):
    settings.AUDIT_KEY = ""
    warnings = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "audit.W001" in warnings
    settings.AUDIT_KEY = settings.SECRET_KEY
    assert "audit.W001" in [m.id for m in run_checks(include_deployment_checks=True)]
    settings.AUDIT_KEY = "k" * 40
    assert "audit.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]
