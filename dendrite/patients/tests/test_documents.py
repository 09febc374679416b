"""Documents: PDF, PNG and JPEG only (by content), 10 MB at most, stored under a random
name outside the web root, downloaded only by nurses and prescribers, every time audited."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dendrite.conftest import signed_in
from dendrite.patients.models import Document

from .conftest import EXE, JPEG, PDF, PNG, audited, url

pytestmark = pytest.mark.django_db


def upload(client, patient, content: bytes, name: str = "Alice Lovelace referral.pdf"):
    data = {
        "kind": "referral",
        "title": "Referral letter",
        "file": SimpleUploadedFile(name, content),
    }
    return client.post(url("document_add", patient), data)


def test_a_nurse_uploads_a_pdf_stored_under_a_random_name(nurse, alice, documents_dir):
    response = upload(signed_in(nurse), alice, PDF)
    assert response.status_code == 302 and response.url.endswith("#documents")
    document = Document.objects.get()
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert "Alice" not in document.file.name and "referral" not in document.file.name
    assert document.file.name.endswith(".pdf") and len(document.sha256) == 64
    assert (documents_dir / document.file.name).read_bytes() == PDF
    [event] = audited("patients.document.create")
    assert event.patient_id == str(alice.pk) and "Alice" not in str(event.detail)


@pytest.mark.parametrize(("content", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_png_and_jpeg_images_are_accepted_whatever_they_are_called(nurse, alice, content, kind):
    upload(signed_in(nurse), alice, content, name="scan.bin")
    assert Document.objects.get().content_type == kind


def test_a_program_renamed_to_pdf_is_refused(nurse, alice, documents_dir):
    response = upload(signed_in(nurse), alice, EXE, name="referral.pdf")
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert "Only PDF, PNG and JPEG files can be uploaded" in error
    assert 'value="Referral letter"' in response.content.decode()
    assert not Document.objects.exists()
    assert not documents_dir.exists() or not any(documents_dir.rglob("*.*"))


def test_a_web_page_renamed_to_png_is_refused(nurse, alice):
    response = upload(signed_in(nurse), alice, b"<html><script>alert(1)</script>", "x.png")
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(nurse, alice, settings):
    settings.DOCUMENTS_MAX_BYTES = 1024
    response = upload(signed_in(nurse), alice, PDF + b"0" * 1024)
    assert response.context["form"].errors["file"] == [
        "That file is larger than 1.0\xa0KB. Please scan it at a lower resolution or split "
        "it into parts."
    ]
    assert not Document.objects.exists()


def test_the_limit_is_ten_megabytes_by_default(nurse, alice):
    response = upload(signed_in(nurse), alice, PDF + b"0" * (10 * 1024 * 1024))
    assert response.context["form"].errors["file"][0].startswith("That file is larger than 10 MB.")
    assert not Document.objects.exists()


def test_a_missing_file_or_title_is_explained(nurse, alice):
    response = signed_in(nurse).post(url("document_add", alice), {"kind": "lab", "title": ""})
    errors = response.context["form"].errors
    assert errors["file"] == ["Please choose a file to upload."]
    assert errors["title"] == ["Please enter the title."]


def test_a_pdf_downloads_as_an_attachment_with_nosniff_and_is_audited(nurse, alice):
    client = signed_in(nurse)
    upload(client, alice, PDF)
    document = Document.objects.get()
    response = client.get(url("document_download", alice, document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="document-{document.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    [event] = audited("patients.document.download")
    assert (event.patient_id, event.object_id, event.outcome) == (
        str(alice.pk),
        str(document.pk),
        "success",
    )


def test_an_image_opens_inline_but_never_sniffed(nurse, alice):
    client = signed_in(nurse)
    upload(client, alice, PNG, name="card.png")
    document = Document.objects.get()
    response = client.get(url("document_download", alice, document.pk))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_front_desk_cannot_download_and_the_attempt_is_audited(nurse, front_desk, alice):
    upload(signed_in(nurse), alice, PDF)
    document = Document.objects.get()
    response = signed_in(front_desk).get(url("document_download", alice, document.pk))
    assert response.status_code == 403
    [event] = audited("access.denied", actor_id=front_desk.pk)
    assert event.object_id.endswith("document_download")


def test_front_desk_cannot_upload(front_desk, alice):
    assert upload(signed_in(front_desk), alice, PDF).status_code == 403
    assert not Document.objects.exists()


def test_another_locations_document_is_a_404_audited_as_denied(nurse, prescriber_hartford, alice):
    upload(signed_in(nurse), alice, PDF)
    document = Document.objects.get()
    response = signed_in(prescriber_hartford).get(url("document_download", alice, document.pk))
    assert response.status_code == 404
    [event] = audited("patients.document.download")
    assert (event.outcome, event.patient_id) == ("denied", str(alice.pk))


def test_a_document_cannot_be_fetched_through_another_patients_address(nurse, alice, bob):
    upload(signed_in(nurse), alice, PDF)
    document = Document.objects.get()
    assert signed_in(nurse).get(url("document_download", bob, document.pk)).status_code == 404


def test_the_documents_folder_is_outside_everything_the_web_server_serves(settings):
    documents = Path(settings.STORAGES["documents"]["OPTIONS"]["location"]).resolve()
    served = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    for folder in served:
        assert not documents.is_relative_to(folder.resolve())
    assert settings.STORAGES["documents"]["OPTIONS"]["base_url"] is None


def test_anonymous_visitors_are_sent_to_sign_in(client, nurse, alice):
    upload(signed_in(nurse), alice, PDF)
    document = Document.objects.get()
    assert client.get(url("document_download", alice, document.pk)).status_code == 302
