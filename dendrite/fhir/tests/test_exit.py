"""The exit archive: the demo network out and back in with nothing lost, one organisation
only, and archives that are refused before anything is written."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from dendrite.audit import triggers as audit_triggers
from dendrite.audit.log import verify_chain
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location, Organization
from dendrite.conftest import make_location, make_patient
from dendrite.controlled import triggers as controlled_triggers
from dendrite.fhir import exit as exit_archive
from dendrite.notes import triggers as notes_triggers
from dendrite.patients.actions import add_document
from dendrite.patients.models import Document, Patient
from dendrite.portal.models import Conversation, Message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def attach_documents(patient: Patient, uploader) -> tuple[Document, Message]:
    document = Document(
        patient=patient, kind="referral", title="Letter", file=SimpleUploadedFile("a.pdf", PDF)
    )
    document.content_type, document.size = "application/pdf", len(PDF)
    document = add_document(document, by=uploader)
    conversation = Conversation.objects.create(patient=patient, location=patient.location)
    message = Message(conversation=conversation, body="Here is the photo.")
    message.attachment_type, message.attachment_size = "image/png", len(PNG)
    message.attachment.save("photo.png", SimpleUploadedFile("photo.png", PNG), save=False)
    message.save()
    return document, message


def contents(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def wipe() -> None:
    """A new, empty server: every table emptied (the append-only guards lifted for it)."""
    guards = (audit_triggers.GUARD, controlled_triggers.GUARD, notes_triggers.GUARD)
    with connection.cursor() as cursor:
        for guard in guards:
            guard.remove(cursor, connection.vendor)
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        for guard in guards:
            guard.install(cursor, connection.vendor)


@pytest.mark.django_db(transaction=True)
def test_the_demo_network_leaves_and_comes_back_with_nothing_lost(tmp_path):
    call_command("load_demo", "--quiet")
    patient = Patient.objects.order_by("pk").first()
    uploader = patient.location.staff.first()
    document, message = attach_documents(patient, uploader)
    first = tmp_path / "first.zip"
    call_command("export_organisation", "--out", str(first), stdout=io.StringIO())
    before = contents(first)
    manifest = json.loads(before["manifest.json"])
    # Everything named: patients, the ketamine log, notes, questionnaires, messages, trail.
    for table in ("patients.patient", "controlled.movement", "notes.note",
                  "patients.questionnaireresponse", "portal.message", "audit.auditevent",
                  "infusions.infusion", "accounts.user_locations"):  # fmt: skip
        assert manifest["files"][f"tables/{table}.csv"]["rows"] > 0, table
    assert manifest["files"]["fhir/Patient.ndjson"]["resources"] == Patient.objects.count()
    assert before[f"documents/{document.file.name}"] == PDF
    assert before[f"documents/{message.attachment.name}"] == PNG
    for name, described in manifest["files"].items():
        assert hashlib.sha256(before[name]).hexdigest() == described["sha256"]
    assert manifest["audit"]["complete"] and manifest["audit"]["entries"] > 0

    document.file.storage.delete(document.file.name)  # the new server has none of it
    document.file.storage.delete(message.attachment.name)
    wipe()
    assert not Patient.objects.exists() and not AuditEvent.objects.exists()

    out = io.StringIO()
    call_command("import_export", str(first), stdout=out)
    assert "chain verified" in out.getvalue()
    assert verify_chain() is None
    call_command("audit_verify", "--no-checkpoint", stdout=io.StringIO())
    restored = Document.objects.get(pk=document.pk)
    with restored.file.open("rb") as handle:
        assert handle.read() == PDF
    # New rows get new keys after the imported ones (the sequences were moved on).
    newcomer = make_patient(Location.objects.first(), "Nadia", "New")
    assert newcomer.pk > patient.pk

    newcomer.delete()
    second = tmp_path / "second.zip"
    call_command("export_organisation", "--out", str(second), stdout=io.StringIO())
    after = contents(second)
    assert set(after) == set(before)
    trail = "tables/audit.auditevent.csv"
    for name in before:
        if name == "manifest.json":
            continue
        if name == trail:  # the import (and the newcomer) added entries after the old ones
            assert after[name].startswith(before[name]), name
        elif name == "tables/patients.mrncounter.csv":  # the newcomer took a number
            continue
        else:
            assert after[name] == before[name], name


@pytest.fixture
def archive(tmp_path, boston, nurse, alice) -> Path:
    path = tmp_path / "exit.zip"
    exit_archive.export_organization(boston.organization, path)
    return path


def rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        files = {name: old.read(name) for name in old.namelist()}
        for name, data in change(files).items():
            new.writestr(name, data)
    return target


def refused(path: Path, message: str) -> None:
    before = {model: model._base_manager.count() for model in exit_archive.table_models()}
    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_export", str(path))
    assert "Nothing was imported" in str(raised.value)
    assert {model: model._base_manager.count() for model in exit_archive.table_models()} == before


def test_a_server_with_data_is_refused(archive):
    refused(archive, "already holds data")


def test_a_changed_file_is_refused(archive, tmp_path):
    def tamper(files):
        files["tables/patients.patient.csv"] = files["tables/patients.patient.csv"].replace(
            b"Alice", b"Alicia"
        )
        return files

    refused(rewrite(archive, tmp_path / "bad.zip", tamper), "does not match its checksum")


def test_a_file_the_manifest_does_not_list_is_refused(archive, tmp_path):
    def add(files):
        return files | {"tables/extra.csv": b"id\n"}

    refused(rewrite(archive, tmp_path / "extra.zip", add), "does not list")


def test_another_format_version_is_refused(archive, tmp_path):
    def bump(files):
        manifest = json.loads(files["manifest.json"])
        return files | {"manifest.json": json.dumps(manifest | {"version": 99})}

    refused(rewrite(archive, tmp_path / "v99.zip", bump), "format version 99")


def test_something_else_is_refused(tmp_path, db):
    text = tmp_path / "notes.txt"
    text.write_text("not an archive")
    refused(text, "not a Dendrite exit archive")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as opened:
        opened.writestr("manifest.json", json.dumps({"format": "something"}))
    refused(other, "not a Dendrite exit archive")
    refused(tmp_path / "absent.zip", "no file")


def test_another_server_s_audit_key_is_named(archive, settings, django_user_model):
    # On an empty server (here: a different key and the rows moved aside is enough to
    # reach the check, which comes before the emptiness check).
    settings.AUDIT_CHAIN_KEY = "another server's key"
    refused(archive, "DENDRITE_AUDIT_KEY")


def test_only_the_organisation_s_rows_leave(tmp_path, boston, nurse, alice, django_user_model):
    other = Organization.objects.create(name="Elsewhere", slug="elsewhere", mrn_prefix="EL")
    away = make_location("away", "Away", "Providence", "RI")
    Location.objects.filter(pk=away.pk).update(organization=other)
    away.refresh_from_db()
    stranger = make_patient(away, "Stella", "Stranger")
    path = tmp_path / "exit.zip"
    manifest = exit_archive.export_organization(boston.organization, path)
    files = contents(path)
    patients = files["tables/patients.patient.csv"].decode()
    assert "Lovelace" in patients and "Stranger" not in patients
    assert "Stranger" not in files["fhir/Patient.ndjson"].decode()
    assert "Elsewhere" not in files["tables/clinics.organization.csv"].decode()
    assert "Providence" not in files["fhir/Location.ndjson"].decode()
    trail = files["tables/audit.auditevent.csv"].decode()
    assert f'"{alice.pk}"' in trail and f',"{stranger.pk}",' not in trail
    assert manifest["whole_instance"] is False and manifest["audit"]["complete"] is False
    # The nurse (at Boston) goes, with her place of work.
    assert nurse.username in files["tables/accounts.user.csv"].decode()


def test_the_command_asks_which_organisation(tmp_path, boston):
    Organization.objects.create(name="Elsewhere", slug="elsewhere", mrn_prefix="EL")
    with pytest.raises(CommandError, match="several organisations"):
        call_command("export_organisation", "--out", str(tmp_path / "x.zip"))
    call_command(
        "export_organisation", "--organisation", boston.organization.slug,
        "--out", str(tmp_path / "x.zip"), stdout=io.StringIO(),
    )  # fmt: skip
    assert zipfile.is_zipfile(tmp_path / "x.zip")
    assert AuditEvent.objects.filter(action="exit.export").count() == 1
