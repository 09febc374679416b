"""Staff read people, not codes: the alert and the lead show the phone the usual way."""

import pytest
from django.urls import reverse

from dendrite.alerts.models import SafetyAlert
from dendrite.conftest import signed_in

from .conftest import flag, screening_lead

pytestmark = pytest.mark.django_db


def test_the_alert_and_the_lead_show_a_formatted_clickable_phone(boston, nurse):
    lead = flag(screening_lead(boston, phone="+16175550123"))
    client = signed_in(nurse)
    for url in (
        reverse("alerts:detail", args=[SafetyAlert.objects.get().pk]),
        reverse("leads:detail", args=[lead.pk]),
    ):
        page = client.get(url).content.decode()
        assert '<a href="tel:+16175550123">(617) 555-0123</a>' in page, url
