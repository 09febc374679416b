"""Leaving Dendrite: everything an organisation holds, in one archive, and its import.

The archive is a zip file:

- `manifest.json`: the format and its version, the organisation, when and by which
  Dendrite (the newest migration of every app) it was made, and for every other file
  its SHA-256, size and number of rows or resources.
- `tables/<app>.<model>.csv`: every row of the organisation, one file per table (the
  join tables of many-to-many fields too), primary keys as they are, in the order the
  tables depend on each other. An empty cell is NULL; a quoted one is text.
- `fhir/<Type>.ndjson`: everything the FHIR API serves for the organisation's
  locations, whole: Part 2 resources are included, labelled as the API labels them,
  since this is the organisation's own record going to its successor (42 CFR 2.53
  does not apply to the program's own records changing hands; the labels travel
  with them so the successor keeps the protection).
- `documents/<name>`: every stored file (chart documents, portal attachments).

Which rows are the organisation's is found from the models, not listed: a row belongs
when one of its foreign keys reaches a row of the organisation (a patient, a location,
the organisation itself), so a new app's tables travel without a change here. Tables
with no such key (staff accounts, the audit trail, sent e-mail) go whole when the
instance holds only this organisation; otherwise only the rows the exported rows point
at (and the audit entries about its patients and staff). Tables that migrations
recreate or that belong to this running instance rather than to the clinic are left
out: `SKIPPED` says which and why.

`import_archive` puts an archive into an empty instance of the same Dendrite: it checks
every checksum and the audit chain before writing anything, inserts every row with its
primary key in one transaction (foreign keys are checked at commit on PostgreSQL and
SQLite alike, so cycles and self-references need no second pass), sets the
PostgreSQL sequences past the imported keys, restores the documents and walks the
audit chain again.
"""

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import task
from django.utils import timezone

from dendrite.accounts.models import User
from dendrite.audit import chain
from dendrite.audit.log import chain_pending, record, verify_chain
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location, Organization
from dendrite.queue import enqueue_with_transaction

from . import access
from .models import ExitExport

FORMAT = "dendrite-exit"
VERSION = 1
CHUNK = 2000
MANIFEST = "manifest.json"

Model = type[models.Model]

# Left out of the archive, with the reason the manifest gives.
SKIPPED = {
    "contenttypes.contenttype": "recreated by migrations (rows point at it by name)",
    "auth.permission": "recreated by migrations (rows point at it by name)",
    "sessions.session": "sign-ins of this server; staff sign in again",
    "otp_totp.totpdevice": "second factors of this server; staff set up their authenticator "
    "again on the new one, so a copy of the archive cannot pass anyone's second step",
    "otp_static.staticdevice": "recovery codes of this server; staff get new ones",
    "otp_static.statictoken": "recovery codes of this server; staff get new ones",
    "django_tasks_database.dbtaskresult": "this server's queue of background work",
    "axes.accessattempt": "this server's record of failed sign-ins",
    "axes.accessattemptexpiration": "this server's record of failed sign-ins",
    "axes.accessfailurelog": "this server's record of failed sign-ins",
    "axes.accesslog": "this server's record of sign-ins",
    "ops.jobrun": "this server's scheduler",
    "ops.heartbeat": "this server's scheduler",
    "alerts.workerheartbeat": "this server's background worker",
    "website.sentform": "replay protection of public forms, short-lived",
    "fhir.exportjob": "bulk exports of this server, deleted within a day",
    "fhir.accesstoken": "short-lived API credentials; clients ask the successor for new ones",
    "fhir.usedassertion": "short-lived API credentials",
    "portal.portalsession": "patients' sign-ins; patients sign in again",
    "portal.signincode": "short-lived sign-in codes",
    "fhir.exitexport": "the exit exports of this server, deleted within a day",
}


class ExitError(Exception):
    """Said to the operator as it is: no patient data in it."""


# Rows that point at a table migrations recreate name the row instead of its id.


def _content_type_key(pk: Any) -> str:
    model = apps.get_model("contenttypes", "ContentType")
    found = model._base_manager.filter(pk=pk).values_list("app_label", "model").first()
    return ".".join(found) if found else ""


def _content_type_id(key: str) -> int:
    model = apps.get_model("contenttypes", "ContentType")
    app_label, name = key.split(".", 1)
    found: int = model.objects.get_or_create(app_label=app_label, model=name)[0].pk
    return found


def _permission_key(pk: Any) -> str:
    model = apps.get_model("auth", "Permission")
    found = (
        model._base_manager.filter(pk=pk)
        .values_list("content_type__app_label", "content_type__model", "codename")
        .first()
    )
    return ".".join(found) if found else ""


def _permission_id(key: str) -> int:
    model = apps.get_model("auth", "Permission")
    app_label, name, codename = key.split(".", 2)
    found: int = model._base_manager.get(
        content_type__app_label=app_label, content_type__model=name, codename=codename
    ).pk
    return found


BY_NAME: dict[str, tuple[Callable[[Any], str], Callable[[str], int]]] = {
    "contenttypes.contenttype": (_content_type_key, _content_type_id),
    "auth.permission": (_permission_key, _permission_id),
}


# The models and how they hang together.


def label(model: Model) -> str:
    return model._meta.label_lower


def table_models() -> list[Model]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and label(model) not in SKIPPED
    ]


def links(model: Model) -> list[models.ForeignKey[Any, Any]]:
    """The model's foreign keys (one-to-one fields included)."""
    return [
        f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)
    ]  # fmt: skip


def dependency_order(chosen: list[Model]) -> list[Model]:
    """Tables before the tables that point at them (cycles broken by name)."""
    pending = sorted(chosen, key=label)
    placed: list[Model] = []
    done: set[Model] = set()
    while pending:
        ready = [
            m
            for m in pending
            if all(
                f.related_model in done or f.related_model is m or f.related_model not in pending
                for f in links(m)
            )
        ]
        if not ready:
            ready = pending[:1]
        for model in ready:
            placed.append(model)
            done.add(model)
            pending.remove(model)
    return placed


def scoped_models(candidates: list[Model]) -> set[Model]:
    """The models whose rows reach the organisation through their foreign keys."""
    scoped: set[Model] = {Organization}
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model not in scoped and any(
                f.related_model in scoped and f.related_model is not model for f in links(model)
            ):
                scoped.add(model)
                changed = True
    return scoped


@dataclass
class Selection:
    """Which rows of which table leave: a set of primary keys, or None for all."""

    order: list[Model]
    rows: dict[Model, set[Any] | None]
    whole_instance: bool


def select(organization: Organization) -> Selection:
    candidates = table_models()
    scoped = scoped_models(candidates)
    order = dependency_order(candidates)
    owned: dict[Model, set[Any]] = {Organization: {organization.pk}}
    for model in order:  # in dependency order: what a row points at is decided before it
        if model not in scoped or model is Organization:
            continue
        keys = [
            f for f in links(model) if f.related_model in scoped and f.related_model is not model
        ]
        owned[model] = {
            pk
            for pk, *values in model._base_manager.values_list("pk", *[f.attname for f in keys])
            .order_by()
            .iterator(chunk_size=CHUNK)
            if any(
                v is not None and v in owned.get(f.related_model, ())
                for f, v in zip(keys, values, strict=True)
            )
        }
    whole = not Organization.objects.exclude(pk=organization.pk).exists()
    rows: dict[Model, set[Any] | None] = {}
    for model in order:
        rows[model] = owned.get(model, set()) if model in scoped else (None if whole else set())
    if not whole:
        _add_what_is_pointed_at(order, rows)
        _add_audit_entries(rows)
    return Selection(order, rows, whole)


def _add_what_is_pointed_at(order: list[Model], rows: dict[Model, set[Any] | None]) -> None:
    """Unscoped rows (staff, e-mail) that exported rows point at, until nothing new."""
    changed = True
    while changed:
        changed = False
        for model in order:
            chosen = rows[model]
            keys = [f for f in links(model) if f.related_model in rows]
            if not keys or not chosen:
                continue
            for pk, *values in model._base_manager.values_list(
                "pk", *[f.attname for f in keys]
            ).iterator(chunk_size=CHUNK):
                if pk not in chosen:
                    continue
                for f, value in zip(keys, values, strict=True):
                    target = rows[f.related_model]
                    if value is not None and target is not None and value not in target:
                        target.add(value)
                        changed = True


def _add_audit_entries(rows: dict[Model, set[Any] | None]) -> None:
    patients = {str(pk) for pk in rows.get(apps.get_model("patients", "Patient")) or ()}
    staff = rows.get(apps.get_model("accounts", "User")) or set()
    rows[AuditEvent] = {
        pk
        for pk, patient, actor in AuditEvent.objects.values_list(
            "pk", "patient_id", "actor_id"
        ).iterator(chunk_size=CHUNK)
        if patient in patients or actor in staff
    }


# Values in a CSV cell and back.


def encode(f: models.Field[Any, Any], value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(f, models.ForeignKey) and label(f.related_model) in BY_NAME:
        return BY_NAME[label(f.related_model)][0](value)
    if isinstance(f, models.JSONField):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID | int | float | str):
        return str(value)
    return str(value)


def decode(f: models.Field[Any, Any], text: str | None) -> Any:
    if text is None:
        return None
    if isinstance(f, models.ForeignKey) and label(f.related_model) in BY_NAME:
        return BY_NAME[label(f.related_model)][1](text)
    if isinstance(f, models.JSONField):
        return json.loads(text)
    if isinstance(f, models.BooleanField):
        return text == "true"
    if isinstance(f, models.ForeignKey):
        return f.target_field.to_python(text)
    return f.to_python(text)


# Writing the archive.


class _Sink(io.RawIOBase):
    """Passes bytes on to the archive, counting and hashing them."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.digest.update(chunk)
        self.target.write(chunk)
        self.size += len(chunk)
        return len(chunk)


@dataclass
class _Writer:
    archive: zipfile.ZipFile
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @contextmanager
    def entry(self, name: str, **counts: int) -> Iterator[_Sink]:
        with self.archive.open(name, "w", force_zip64=True) as target:
            sink = _Sink(target)
            yield sink
        self.files[name] = {"sha256": sink.digest.hexdigest(), "bytes": sink.size, **counts}

    @contextmanager
    def text(self, name: str) -> Iterator[io.TextIOWrapper]:
        with self.entry(name) as sink:
            buffered = io.BufferedWriter(sink, buffer_size=1 << 16)
            out = io.TextIOWrapper(buffered, encoding="utf-8", newline="")
            yield out
            out.flush()
            buffered.flush()


def migration_state() -> dict[str, str]:
    newest: dict[str, str] = {}
    for app_label, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list(
        "app", "name"
    ):
        newest[app_label] = name
    return newest


def dendrite_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dendrite")
    except PackageNotFoundError:
        return "unknown"


def _file_fields(model: Model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _write_table(
    writer: _Writer, model: Model, chosen: set[Any] | None
) -> list[tuple[models.FileField, str]]:
    """One table's CSV; returns the stored files its rows name."""
    fields = list(model._meta.concrete_fields)
    files = _file_fields(model)
    named: list[tuple[models.FileField, str]] = []
    rows = 0
    name = f"tables/{label(model)}.csv"
    with writer.text(name) as out:
        table = csv.writer(out, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
        table.writerow([f.attname for f in fields])
        values = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        pk_index = fields.index(model._meta.pk)
        for row in values.iterator(chunk_size=CHUNK):
            if chosen is not None and row[pk_index] not in chosen:
                continue
            table.writerow([encode(f, v) for f, v in zip(fields, row, strict=True)])
            rows += 1
            for f in files:
                stored = row[fields.index(f)]
                if stored:
                    named.append((f, str(stored)))
    writer.files[name]["rows"] = rows
    return named


def _fhir_reader(organization: Organization) -> access.Reader:
    locations = frozenset(
        Location.objects.filter(organization=organization).values_list("pk", flat=True)
    )
    # part2=None: the organisation's own record, whole, with its labels (see the module's doc).
    return access.Reader("exit export", locations, "system/*.rs", part2=None)


def _write_fhir(writer: _Writer, organization: Organization) -> None:
    from dendrite.instruments import loader

    reader = _fhir_reader(organization)
    for kind in access.KINDS.values():
        name = f"fhir/{kind.name}.ndjson"
        count = 0
        with writer.text(name) as out:
            if kind.name == "Questionnaire":
                resources: Iterator[dict[str, Any]] = (
                    access.questionnaire(code) for code in loader.instrument_codes()
                )
            else:
                resources = _served(kind, reader)
            for resource in resources:
                out.write(json.dumps(resource, separators=(",", ":"), sort_keys=True))
                out.write("\n")
                count += 1
        writer.files[name]["resources"] = count


def _served(kind: access.Kind, reader: access.Reader) -> Iterator[dict[str, Any]]:
    for source in kind.sources:
        for row in source.rows(reader.location_ids).order_by("pk").iterator(chunk_size=CHUNK):
            served = access.serve(source, row, reader)
            if served is not None:
                yield served


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for the whole export."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def export_organization(
    organization: Organization, out: Path, *, user: Any = None, by: str = ""
) -> dict[str, Any]:
    """Write the organisation's archive to `out` (replaced whole, never half-written);
    returns its manifest."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    chain_pending()  # the archive's trail chained up to now (later entries carry their seals)
    try:
        with (
            _snapshot(),
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            manifest = _write_archive(writer=_Writer(archive), organization=organization)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    record(
        "exit.export",
        user=user,
        username=by or "exit export",
        obj=organization,
        detail={"files": len(manifest["files"]), "audit_entries": manifest["audit"]["entries"]},
    )
    return manifest


def _write_archive(writer: _Writer, organization: Organization) -> dict[str, Any]:
    selection = select(organization)
    documents: list[tuple[models.FileField, str]] = []
    tables = []
    for model in selection.order:
        documents += _write_table(writer, model, selection.rows[model])
        tables.append(label(model))
    missing = []
    for file_field, stored in sorted(set(documents), key=lambda pair: pair[1]):
        storage = file_field.storage
        if not storage.exists(stored):
            missing.append(stored)
            continue
        with writer.entry(f"documents/{stored}") as sink, storage.open(stored, "rb") as source:
            for block in iter(lambda: source.read(1 << 20), b""):
                sink.write(block)
    _write_fhir(writer, organization)
    audit_rows = selection.rows[AuditEvent]
    head = (
        AuditEvent.objects.filter(**({} if audit_rows is None else {"pk__in": audit_rows}))
        .filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("hash", flat=True)
        .first()
    )
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "organization": {
            "id": organization.pk,
            "name": organization.name,
            "slug": organization.slug,
        },
        "created_at": timezone.now().isoformat(),
        "dendrite": dendrite_version(),
        "database": connection.vendor,
        "migrations": migration_state(),
        "whole_instance": selection.whole_instance,
        "audit": {
            "entries": writer.files[f"tables/{label(AuditEvent)}.csv"]["rows"],
            "head": head or chain.GENESIS,
            "complete": selection.whole_instance,
        },
        "tables": tables,
        "documents_missing": missing,
        "skipped": SKIPPED,
        "part2": "included, labelled as the FHIR API labels it: the organisation's own record",
        "files": writer.files,
    }
    writer.archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


# Made for a clinic admin on the staff page, in the background.


def archive_path(export: ExitExport) -> Path:
    return Path(settings.FHIR_EXPORT_ROOT) / "exit" / f"{export.public_id}.zip"


def start(organization: Organization, *, by: User) -> ExitExport:
    """Queue an exit export of the organisation (the admin's own: the view checks)."""
    with transaction.atomic():
        export = ExitExport.objects.create(
            public_id=uuid.uuid4(),
            organization=organization,
            requested_by=by,
            requested_at=timezone.now(),
        )
        record("exit.export.requested", user=by, obj=export)
        enqueue_with_transaction(run_exit_export, export_id=export.pk)
    return export


@task()
def run_exit_export(export_id: int) -> None:
    claimed = ExitExport.objects.filter(pk=export_id, status=ExitExport.Status.QUEUED).update(
        status=ExitExport.Status.RUNNING
    )
    if not claimed:
        return  # run already
    export = ExitExport.objects.select_related("organization", "requested_by").get(pk=export_id)
    path = archive_path(export)
    try:
        manifest = export_organization(export.organization, path, user=export.requested_by)
    except Exception:
        path.unlink(missing_ok=True)
        ExitExport.objects.filter(pk=export_id).update(
            status=ExitExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    files = manifest["files"].values()
    now = timezone.now()
    ExitExport.objects.filter(pk=export_id).update(
        status=ExitExport.Status.DONE,
        finished_at=now,
        expires_at=now + dt.timedelta(hours=settings.FHIR_EXPORT_HOURS),
        size=path.stat().st_size,
        summary={
            "rows": sum(f.get("rows", 0) for f in files),
            "resources": sum(f.get("resources", 0) for f in files),
            "documents": sum(1 for name in manifest["files"] if name.startswith("documents/")),
            "audit_entries": manifest["audit"]["entries"],
        },
    )


def sweep() -> int:
    """Remove exit archives past their time, and failed ones a day old."""
    now = timezone.now()
    old = ExitExport.objects.filter(expires_at__lt=now) | ExitExport.objects.filter(
        status=ExitExport.Status.FAILED, requested_at__lt=now - dt.timedelta(days=1)
    )
    removed = 0
    for export in old:
        archive_path(export).unlink(missing_ok=True)
        export.delete()
        removed += 1
    return removed


# Reading an archive back.


@dataclass
class Summary:
    organization: str
    rows: dict[str, int]
    documents: int
    audit_entries: int
    resources: int


def _open(path: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ExitError(f"There is no file at {path}.") from error
    except (zipfile.BadZipFile, OSError) as error:
        raise ExitError(f"{path} is not a Dendrite exit archive (not a zip file).") from error
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        archive.close()
        raise ExitError(f"{path} is not a Dendrite exit archive (no readable manifest).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        archive.close()
        raise ExitError(f"{path} is not a Dendrite exit archive (the manifest is of another kind).")
    if manifest.get("version") != VERSION:
        archive.close()
        raise ExitError(
            f"The archive is in format version {manifest.get('version')}; this Dendrite reads "
            f"version {VERSION}. Import it with the Dendrite release that made it."
        )
    return archive, manifest


def check(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every file's checksum, the schema and the audit chain, before anything is written."""
    listed = manifest.get("files", {})
    present = set(archive.namelist()) - {MANIFEST}
    if present - set(listed):
        raise ExitError(
            "The archive holds files its manifest does not list: "
            f"{sorted(present - set(listed))[0]}."
        )
    for name, expected in listed.items():
        if name not in present:
            raise ExitError(f"The archive lacks {name}, which its manifest lists.")
        digest = hashlib.sha256()
        try:
            with archive.open(name) as source:
                for block in iter(lambda: source.read(1 << 20), b""):
                    digest.update(block)
        except zipfile.BadZipFile as error:
            raise ExitError(f"{name} in the archive is damaged.") from error
        if digest.hexdigest() != expected.get("sha256"):
            raise ExitError(
                f"{name} does not match its checksum: the archive is damaged or was changed."
            )
    ours = migration_state()
    theirs = manifest.get("migrations", {})
    differs = sorted(app for app in set(ours) | set(theirs) if ours.get(app) != theirs.get(app))
    if differs:
        raise ExitError(
            "The archive was made by a Dendrite whose database differs from this one "
            f"(first in {differs[0]}: {theirs.get(differs[0], 'absent')} there, "
            f"{ours.get(differs[0], 'absent')} here). Import it into the same release, "
            "then upgrade."
        )
    for table in manifest.get("tables", []):
        try:
            apps.get_model(table)
        except (LookupError, ValueError) as error:
            raise ExitError(
                f"The archive holds a table this Dendrite does not know: {table}."
            ) from error
    _check_audit(archive, manifest)


def _rows(archive: zipfile.ZipFile, table: str) -> Iterator[dict[str, str | None]]:
    with archive.open(f"tables/{table}.csv") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        reader = csv.reader(text, quoting=csv.QUOTE_NOTNULL)
        header = next(reader)
        for values in reader:
            yield dict(zip(header, values, strict=True))


def _objects(archive: zipfile.ZipFile, model: Model) -> Iterator[models.Model]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    for row in _rows(archive, label(model)):
        if set(row) != set(fields):
            raise ExitError(f"The columns of {label(model)} do not match this Dendrite's table.")
        yield model(**{name: decode(fields[name], value) for name, value in row.items()})


def _check_audit(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    key = settings.AUDIT_CHAIN_KEY
    table = label(AuditEvent)
    if table not in manifest.get("tables", []):
        raise ExitError("The archive has no audit trail.")
    complete = bool(manifest.get("audit", {}).get("complete"))
    events = [e for e in _objects(archive, AuditEvent) if isinstance(e, AuditEvent)]
    chained = sorted((e for e in events if e.seq is not None), key=lambda e: e.seq or 0)
    links = ((e.pk, e.prev_hash or "", e.hash or "", e.chained_fields()) for e in chained)
    broken: chain.BrokenLink | None
    if complete:
        broken = chain.verify(key, links)
    else:  # part of a shared trail: each entry still matches its own hash
        broken = next(
            (
                chain.BrokenLink(pk, "its contents do not match its hash")
                for pk, prev, stored, fields in links
                if stored != chain.entry_hash(key, prev, fields)
            ),
            None,
        )
    if broken is None:  # entries not chained yet when the archive was made: their seals
        broken = next(
            (
                chain.BrokenLink(e.pk, "its contents do not match its seal")
                for e in events
                if e.seq is None and not chain.seal_matches(key, e.seal, e.chained_fields())
            ),
            None,
        )
    if broken is not None:
        raise ExitError(
            f"The archive's audit trail does not verify at entry {broken.entry_id} "
            f"({broken.reason}). If the archive is sound, this server's audit key differs "
            "from the one that made it: set DENDRITE_AUDIT_KEY to the old server's key."
        )


def _not_empty(tables: list[Model]) -> list[str]:
    return [str(m._meta.verbose_name_plural) for m in tables if m._base_manager.exists()]


def import_archive(path: Path, *, progress: Callable[[str], None] = lambda line: None) -> Summary:
    archive, manifest = _open(path)
    with archive:
        check(archive, manifest)
        tables = [apps.get_model(name) for name in manifest["tables"]]
        filled = _not_empty(tables)
        if filled:
            raise ExitError(
                "This server already holds data (" + ", ".join(filled[:3]) + "); an exit archive "
                "goes only into an empty Dendrite. Create a new database, run migrate, and import "
                "again."
            )
        written: list[tuple[models.FileField, str]] = []
        counts: dict[str, int] = {}
        try:
            with transaction.atomic():
                for model in tables:
                    counts[label(model)] = _insert(archive, model)
                    progress(f"{label(model)}: {counts[label(model)]} rows")
                    for f in _file_fields(model):
                        written += _restore_files(archive, model, f)
                _reset_sequences(tables)
                progress(f"documents: {len(written)}")
        except Exception:
            for f, name in written:
                f.storage.delete(name)
            raise
    broken = verify_chain()
    if broken is not None and manifest["audit"].get("complete"):
        raise ExitError(
            f"Audit chain broken at entry {broken.entry_id} after import: {broken.reason}."
        )
    record(
        "exit.import",
        username="exit import",
        object_type="clinics.organization",
        object_id=manifest["organization"]["id"],
        detail={"rows": sum(counts.values()), "documents": len(written)},
    )
    return Summary(
        organization=str(manifest["organization"]["name"]),
        rows=counts,
        documents=len(written),
        audit_entries=counts.get(label(AuditEvent), 0),
        resources=sum(v.get("resources", 0) for v in manifest["files"].values()),
    )


def _insert(archive: zipfile.ZipFile, model: Model) -> int:
    fields = list(model._meta.concrete_fields)
    manager = model._base_manager
    count = 0
    batch: list[models.Model] = []
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, [None] * 500) or 500))
    for obj in _objects(archive, model):
        batch.append(obj)
        if len(batch) >= size:
            manager._insert(batch, fields=fields, raw=True)  # type: ignore[attr-defined]
            count += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, raw=True)  # type: ignore[attr-defined]
        count += len(batch)
    return count


def _restore_files(
    archive: zipfile.ZipFile, model: Model, file_field: models.FileField
) -> list[tuple[models.FileField, str]]:
    restored = []
    listed = set(archive.namelist())
    for name in model._base_manager.exclude(**{file_field.attname: ""}).values_list(
        file_field.attname, flat=True
    ):
        entry = f"documents/{name}"
        if entry not in listed:
            continue  # missing at the source too: the manifest's documents_missing
        with archive.open(entry) as source:
            saved = file_field.storage.save(name, File(source))
        restored.append((file_field, saved))
        if saved != name:
            raise ExitError(f"A document could not be stored under its own name ({saved}).")
    return restored


def _reset_sequences(tables: list[Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
