"""The after-care sheet as a PDF in English and Spanish: the same instructions as the
printed page (no driving for 24 hours, someone to take them home, what to do if unwell,
the clinic's phone and 988), with the location, the patient's name and the date; for
clinical staff of the location only; the file name carries no name."""

import pytest
from django.urls import reverse

from dendrite.conftest import signed_in
from dendrite.tests.pdf_text import laid_out_text

pytestmark = pytest.mark.django_db


def url(visit):
    return reverse("infusions:aftercare_pdf", args=[visit.pk])


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["After your infusion", "Do not drive", "take you home", "If you feel unwell",
                "Clinic phone", "call or text 988", "For:", "Date:"]),
        ("es", ["Después de su infusión", "No maneje", "le lleve a casa", "Si se siente mal",
                "Teléfono de la clínica", "988", "Para:", "Fecha:"]),
        ("xx", ["After your infusion", "Do not drive"]),
    ],
)  # fmt: skip
def test_the_sheet_as_a_pdf_in_english_or_spanish(visit, nurse, lang, words):
    response = signed_in(nurse).get(url(visit), {"lang": lang})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'inline; filename="after-care-{"es" if lang == "es" else "en"}.pdf"'
    )
    text = laid_out_text(response)
    for expected in words:
        assert expected in text, expected
    assert "Alice" in text and "Boston" in text and "1 Test Street" in text
    assert "(617) 555-0100" in text
    day = visit.starts_at.astimezone(visit.location.tz)
    assert f"{day:%b} {day.day}, {day.year}" in text


def test_the_printable_page_links_to_the_pdf_in_its_language(visit, nurse):
    page = signed_in(nurse).get(reverse("infusions:aftercare", args=[visit.pk]), {"lang": "es"})
    assert f'{url(visit)}?lang=es"'.encode() in page.content
    assert b"Descargar PDF" in page.content and b"data-print" in page.content


def test_the_pdf_is_for_clinical_staff_of_the_location(visit, front_desk, prescriber_hartford):
    assert signed_in(front_desk).get(url(visit)).status_code == 403
    assert signed_in(prescriber_hartford).get(url(visit)).status_code == 404
