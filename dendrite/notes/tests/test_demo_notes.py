"""The demo clinic's notes: signed consultation notes at both locations, each completed
infusion's note signed and co-signed, one addendum; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from dendrite.clinics.models import Location
from dendrite.infusions.models import Infusion
from dendrite.notes.models import Addendum, Note

pytestmark = pytest.mark.django_db


def test_the_demo_has_signed_notes_at_both_locations():
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")
    for location in Location.objects.all():
        notes = Note.objects.filter(location=location)
        assert notes.filter(kind="consultation", status="signed").count() == 2
        assert notes.filter(kind="follow_up", status="signed").count() == 1
        infusion_notes = notes.filter(kind="infusion")
        completed = Infusion.objects.filter(location=location, discharged_at__isnull=False)
        assert infusion_notes.count() == completed.count() >= 1
        assert all(note.is_complete for note in infusion_notes)
        assert all(note.record["blocks"] for note in infusion_notes)
    (addendum,) = Addendum.objects.all()
    assert addendum.note.location.slug == "boston"
