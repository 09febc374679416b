"""The clinic admin's exit export page: start, wait, download; only their own
organisation's archive, every step audited."""

import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location, Organization
from dendrite.conftest import make_location, make_user, signed_in
from dendrite.fhir import exit as exit_archive
from dendrite.fhir.models import ExitExport
from dendrite.patients.tests.test_browser_chart import assert_no_axe_violations, sign_in


@pytest.fixture
def exports_folder(settings, tmp_path):
    settings.FHIR_EXPORT_ROOT = tmp_path


def test_an_admin_starts_an_export_and_downloads_it(
    db, clinic_admin, alice, run_worker, exports_folder, django_capture_on_commit_callbacks
):
    client = signed_in(clinic_admin)
    page = client.get(reverse("exit:index"))
    assert "Start an export of" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exit:index"))
    assert response.status_code == 302
    export = ExitExport.objects.get()
    assert export.status == "queued"
    assert "being made" in client.get(reverse("exit:index")).content.decode()
    run_worker()
    export.refresh_from_db()
    assert export.status == "done" and export.summary["rows"] > 0
    page = client.get(reverse("exit:index")).content.decode()
    assert "Download" in page
    download = client.get(reverse("exit:download", args=[export.public_id]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(__import__("io").BytesIO(body)) as archive:
        assert "tables/patients.patient.csv" in archive.namelist()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"exit.export.requested", "exit.export", "exit.export.download"} <= actions


def test_an_admin_of_another_organisation_gets_nothing(
    db, clinic_admin, alice, exports_folder, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = exit_archive.start(clinic_admin.locations.get().organization, by=clinic_admin)
    run_worker()
    other = Organization.objects.create(name="Elsewhere", slug="elsewhere", mrn_prefix="EL")
    away = make_location("away", "Away", "Providence", "RI")
    Location.objects.filter(pk=away.pk).update(organization=other)
    stranger = make_user("admin.away", "clinic_admin", away)
    client = signed_in(stranger)
    assert client.get(reverse("exit:download", args=[export.public_id])).status_code == 404
    assert "Recent exports" not in client.get(reverse("exit:index")).content.decode()
    assert AuditEvent.objects.filter(
        action="exit.export.download", outcome="denied", actor_id=stranger.pk
    ).exists()


def test_an_admin_of_one_location_of_several_may_not_export_everything(
    db, clinic_admin, hartford, alice, exports_folder, run_worker,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The archive holds every location's patients: Boston's admin may not take West
    Hartford's; an admin of both may."""
    organization = clinic_admin.locations.get().organization
    with django_capture_on_commit_callbacks(execute=True):
        export = exit_archive.start(organization, by=clinic_admin)
    run_worker()
    client = signed_in(clinic_admin)
    page = client.get(reverse("exit:index")).content.decode()
    assert "Start an export of" not in page and "Recent exports" not in page
    assert "Only a clinic admin of every location" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exit:index"))
    assert ExitExport.objects.count() == 1
    assert client.get(reverse("exit:download", args=[export.public_id])).status_code == 404
    owner = make_user("olive_owner", "clinic_admin", clinic_admin.locations.get(), hartford)
    owner_page = signed_in(owner).get(reverse("exit:index")).content.decode()
    assert "Start an export of" in owner_page and "Recent exports" in owner_page
    download = signed_in(owner).get(reverse("exit:download", args=[export.public_id]))
    assert download.status_code == 200


def test_only_clinic_admins_may_open_the_page(db, nurse):
    response = signed_in(nurse).get(reverse("exit:index"))
    assert response.status_code in (302, 403, 404)


def test_old_archives_are_swept(db, clinic_admin, alice, exports_folder, run_worker,
                                django_capture_on_commit_callbacks):  # fmt: skip
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        export = exit_archive.start(clinic_admin.locations.get().organization, by=clinic_admin)
    run_worker()
    path = exit_archive.archive_path(export)
    assert path.exists()
    assert exit_archive.sweep() == 0
    ExitExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert exit_archive.sweep() == 1
    assert not path.exists() and not ExitExport.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_is_accessible(page: Page, live_server, clinic_admin, check_axe, tmp_path,
                                settings):  # fmt: skip
    settings.FHIR_EXPORT_ROOT = tmp_path
    sign_in(page, live_server, clinic_admin)
    page.goto(live_server.url + reverse("exit:index"))
    page.get_by_role("button", name="Start an export").click()
    for width in (320, 768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page, check_axe)
        assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 320)
