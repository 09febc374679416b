"""Encrypted backups that restore: the database, the uploaded documents and the audit
checkpoints, in one archive encrypted to the clinic's age keys.

- The database is copied consistently while the app runs: SQLite's online backup API,
  `pg_dump` (one snapshot transaction) on PostgreSQL. The documents are copied after
  the database: a document's file is written before its row and never removed, so every
  document the copy names is in the archive.
- The archive (a tar with a manifest of every file's SHA-256) is encrypted with age
  (pyrage) to the public keys in DENDRITE_BACKUP_RECIPIENTS. The server holds no key that
  decrypts it: the clinic keeps the identity (secret key) apart, and `restore` asks for it.
- The plain archive exists only in a private temporary folder while it is encrypted.
- Retention: the newest DENDRITE_BACKUP_KEEP archives are kept, older ones removed.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyrage
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from pyrage import x25519

PREFIX = "dendrite-backup-"
SUFFIX = ".tar.age"


class BackupError(Exception):
    """Said to the operator as it is: no data in it."""


def recipients() -> list[x25519.Recipient]:
    keys = settings.BACKUP_RECIPIENTS
    if not keys:
        raise BackupError(
            "No backup key: set DENDRITE_BACKUP_RECIPIENTS to the clinic's age public "
            "key(s) (see docs/operations.md, Backups)."
        )
    try:
        return [x25519.Recipient.from_str(key) for key in keys]
    except pyrage.RecipientError as error:
        raise BackupError(
            "DENDRITE_BACKUP_RECIPIENTS holds a key that is not an age key."
        ) from error


@contextmanager
def private_folder() -> Iterator[Path]:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="backup-", dir=settings.VAR_DIR))
    try:
        folder.chmod(0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return found


def _libpq_env(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if database.get(key):
            env[name] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return env


def dump_database(folder: Path, connection: BaseDatabaseWrapper) -> str:
    """A consistent copy of the database in `folder`; returns its file name."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        subprocess.run(  # noqa: S603
            [_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target), str(database["NAME"])],
            env=_libpq_env(database), check=True, capture_output=True,
        )  # fmt: skip
        return target.name
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _documents() -> list[Path]:
    root = Path(settings.DOCUMENTS_ROOT)
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def make_archive(folder: Path, now: dt.datetime, connection: BaseDatabaseWrapper) -> Path:
    database = dump_database(folder, connection)
    files: dict[str, str] = {database: _sha256(folder / database)}
    archive = folder / "backup.tar"
    root = Path(settings.DOCUMENTS_ROOT)
    with tarfile.open(archive, "w") as tar:
        tar.add(folder / database, arcname=database)
        for path in _documents():
            name = "documents/" + path.relative_to(root).as_posix()
            files[name] = _sha256(path)
            tar.add(path, arcname=name)
        checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
        if checkpoints.exists():
            files["audit-checkpoints.log"] = _sha256(checkpoints)
            tar.add(checkpoints, arcname="audit-checkpoints.log")
        manifest = {
            "made_at": now.isoformat(),
            "database": connection.vendor,
            "migrations": MigrationRecorder(connection).migration_qs.count(),
            "files": files,
        }
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        info.mtime = int(now.timestamp())
        tar.addfile(info, io.BytesIO(data))
    return archive


def backup(
    now: dt.datetime | None = None, target_dir: Path | None = None, using: str = "default"
) -> Path:
    """Make one encrypted backup; return its path. Older ones beyond the keep count go."""
    now = now or timezone.now()
    keys = recipients()
    target_dir = Path(target_dir or settings.BACKUP_DIR)
    target_dir.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"
    final = target_dir / name
    with private_folder() as folder:
        archive = make_archive(folder, now, connections[using])
        partial = target_dir / (name + ".partial")
        pyrage.encrypt_file(str(archive), str(partial), keys)
        partial.rename(final)  # a backup is either whole or absent
    prune(target_dir, settings.BACKUP_KEEP)
    return final


def prune(target_dir: Path, keep: int) -> list[Path]:
    made = sorted(target_dir.glob(f"{PREFIX}*{SUFFIX}"))
    gone = made[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone


# Restoring


def _identities(identity_file: Path) -> list[x25519.Identity]:
    lines = identity_file.read_text().splitlines()
    keys = [line.strip() for line in lines if line.strip().startswith("AGE-SECRET-KEY-")]
    if not keys:
        raise BackupError("The identity file holds no age secret key.")
    return [x25519.Identity.from_str(key) for key in keys]


def restore(archive: Path, identity_file: Path, using: str = "default") -> dict[str, Any]:
    """Bring a backup back into an empty instance (no tables, no documents). Returns the
    manifest. Every file is checked against the manifest's SHA-256 before anything is
    written."""
    connection = connections[using]
    if connection.introspection.table_names():
        raise BackupError("The database is not empty: restore only into a new, empty one.")
    documents_root = Path(settings.DOCUMENTS_ROOT)
    if documents_root.exists() and any(documents_root.iterdir()):
        raise BackupError("The documents folder is not empty: restore into an empty one.")
    with private_folder() as folder:
        plain = folder / "backup.tar"
        try:
            pyrage.decrypt_file(str(archive), str(plain), _identities(identity_file))
        except pyrage.DecryptError as error:
            raise BackupError("This key does not open this backup.") from error
        unpacked = folder / "unpacked"
        with tarfile.open(plain) as tar:
            tar.extractall(unpacked, filter="data")
        manifest: dict[str, Any] = json.loads((unpacked / "manifest.json").read_text())
        for name, digest in manifest["files"].items():
            if _sha256(unpacked / name) != digest:
                raise BackupError(f"{name} in the backup does not match its checksum.")
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['database']} database; this instance uses "
                f"{connection.vendor}."
            )
        _load_database(unpacked, connection)
        if (unpacked / "documents").exists():
            documents_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(unpacked / "documents", documents_root, dirs_exist_ok=True)
        checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
        if (unpacked / "audit-checkpoints.log").exists() and not checkpoints.exists():
            checkpoints.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(unpacked / "audit-checkpoints.log", checkpoints)
    return manifest


def _load_database(unpacked: Path, connection: BaseDatabaseWrapper) -> None:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(unpacked / "database.sqlite3") as source:
            source.backup(connection.connection)
        source.close()
        return
    subprocess.run(  # noqa: S603
        [_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         "--dbname", str(database["NAME"]), str(unpacked / "database.pgdump")],
        env=_libpq_env(database), check=True, capture_output=True,
    )  # fmt: skip
