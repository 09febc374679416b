"""A backup taken while writes go on restores into an empty instance: every table and
document as they were at the snapshot, and the audit trail verifies."""

import threading
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from pyrage import x25519

from dendrite.audit import checkpoint
from dendrite.audit.log import record, verify_chain
from dendrite.ops import backup

pytestmark = pytest.mark.django_db(transaction=True)

WRITTEN_DURING = {"audit_auditevent"}  # the table the writer adds to during the backup


@pytest.fixture
def key(tmp_path, settings):
    identity = x25519.Identity.generate()
    settings.BACKUP_RECIPIENTS = [str(identity.to_public())]
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.log"
    path = tmp_path / "identity.txt"
    path.write_text(f"# test\n{identity}\n")
    return path


@pytest.fixture
def restored(tmp_path):
    """An empty database beside the test database, as a new instance would have."""
    alias = "restored"
    settings = dict(connections.settings["default"])
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    # Made here, then unlisted: Django's test guard lets a dynamically made connection
    # through, as an instance with its own database would be.
    connections.settings[alias] = settings
    connections[alias]
    del connections.settings[alias]
    yield alias
    connections[alias].close()
    del connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')


def rows(alias: str, table: str) -> list[tuple]:
    with connections[alias].cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        return [tuple(map(str, row)) for row in cursor.fetchall()]


def documents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_backup_taken_during_writes_restores_whole(key, restored, settings, alice, nurse):
    root = Path(settings.DOCUMENTS_ROOT)
    for index in range(5):
        (root / "2026" / "11").mkdir(parents=True, exist_ok=True)
        (root / "2026" / "11" / f"{uuid.uuid4().hex}.pdf").write_bytes(
            b"%PDF-" + bytes([index]) * 900
        )
    checkpoint.write(checkpoint.head())

    stop = threading.Event()
    written = []

    def writer():
        try:
            while not stop.is_set():
                written.append(record("test.backup.write", user=nurse, patient_id=alice.pk))
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            pass
        archive = backup.backup()
    finally:
        stop.set()
        thread.join()
    assert len(written) > 5
    assert archive.read_bytes()[:21] == b"age-encryption.org/v1"
    assert b"Alice" not in archive.read_bytes()

    settings.DOCUMENTS_ROOT = Path(settings.DOCUMENTS_ROOT).parent / "restored-documents"
    original_checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
    settings.AUDIT_CHECKPOINT_FILE = original_checkpoints.parent / "restored-checkpoints.log"
    manifest = backup.restore(archive, key, using=restored)
    assert manifest["database"] == connection.vendor

    tables = connection.introspection.table_names()
    assert sorted(connections[restored].introspection.table_names()) == sorted(tables)
    for table in tables:
        source, copy = rows("default", table), rows(restored, table)
        if table in WRITTEN_DURING:
            # A consistent snapshot: exactly the first entries, none missing in between.
            assert copy == source[: len(copy)], table
            assert len(copy) >= 5
        else:
            assert copy == source, table
    assert documents(Path(settings.DOCUMENTS_ROOT)) == documents(root)
    assert Path(settings.AUDIT_CHECKPOINT_FILE).read_text() == original_checkpoints.read_text()
    assert verify_chain(checkpoint.read(), using=restored) is None


def test_restore_refuses_a_database_that_is_not_empty(key, tmp_path):
    archive = backup.backup()
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(archive, key)


def test_restore_refuses_the_wrong_key(key, restored, tmp_path):
    archive = backup.backup()
    other = tmp_path / "other.txt"
    other.write_text(f"{x25519.Identity.generate()}\n")
    with pytest.raises(backup.BackupError, match="does not open"):
        backup.restore(archive, other, using=restored)


def test_no_key_no_backup(settings):
    settings.BACKUP_RECIPIENTS = []
    with pytest.raises(CommandError, match="DENDRITE_BACKUP_RECIPIENTS"):
        call_command("backup")


def test_the_newest_are_kept(key, settings, tmp_path):
    import datetime as dt

    settings.BACKUP_KEEP = 2
    start = dt.datetime(2026, 11, 1, 1, 45, tzinfo=dt.UTC)
    made = [backup.backup(now=start + dt.timedelta(days=day)) for day in range(4)]
    assert sorted(Path(settings.BACKUP_DIR).iterdir()) == made[2:]
