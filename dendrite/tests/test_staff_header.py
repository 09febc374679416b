"""The staff header's counts and banners (dendrite/context_processors.py): every figure
in one query, built once per role with placeholders, each request's own user and clock
put in their places, read live on every page."""

import datetime as dt

import pytest
import time_machine
from django.db.models import Subquery
from django.test import RequestFactory
from django.utils import timezone

from dendrite import context_processors
from dendrite.accounts.models import Role
from dendrite.alerts.actions import raise_alert
from dendrite.alerts.models import SafetyAlert, Tier
from dendrite.conftest import make_user
from dendrite.context_processors import Figure, Staff, count, staff_figures
from dendrite.leads.actions import create_lead
from dendrite.leads.models import Lead, Source

pytestmark = pytest.mark.django_db
MONDAY_9AM = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)  # 09:00 in Boston


def figures_for(user):
    """What a staff page's template gets, every callable called."""
    request = RequestFactory().get("/staff/")
    request.user = user
    user.is_verified = lambda: True  # as django_otp's middleware marks a verified session
    return {name: read() for name, read in staff_figures(request).items()}


def new_lead(location):
    return create_lead(
        source=Source.INQUIRY, location=location, name="Dana Example",
        email="dana@example.test", phone="+16175550142", consent_to_contact=True,
        reasons=["depression"],
    )  # fmt: skip


def test_every_figure_costs_one_query_when_nothing_is_open(nurse, django_assert_num_queries):
    figures_for(nurse)  # the query is built once per role and process
    nurse.__dict__.pop("location_ids", None)
    with django_assert_num_queries(1):
        figures = figures_for(nurse)
    assert figures == {
        "open_safety_alerts": [],
        "worker_stale": True,  # no worker has ever beaten in a test
        "open_chairside_alerts": [],
        "overdue_lead_count": 0,
        "new_message_count": 0,
    }


def test_open_alerts_come_in_the_same_one_query(
    boston, hartford, front_desk, django_assert_num_queries
):
    alert = raise_alert(location=boston, flags=["suicide-risk"], source="clinic")
    raise_alert(location=hartford, flags=["suicide-risk"], source="clinic")  # not hers
    figures_for(front_desk)
    with django_assert_num_queries(1):
        [shown] = figures_for(front_desk)["open_safety_alerts"]
    assert (shown["pk"], shown["location_name"]) == (alert.pk, boston.name)


def test_each_user_and_each_moment_gets_their_own_counts(boston, hartford, front_desk):
    hartford_desk = make_user("desk.hartford", Role.FRONT_DESK, hartford)
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        new_lead(boston)
        assert figures_for(front_desk)["overdue_lead_count"] == 0
        clock.shift(dt.timedelta(days=2))  # past the first-response target
        assert figures_for(front_desk)["overdue_lead_count"] == 1
        assert figures_for(hartford_desk)["overdue_lead_count"] == 0
        new_lead(hartford)
        assert Lead.objects.count() == 2
        clock.shift(dt.timedelta(days=2))
        assert figures_for(hartford_desk)["overdue_lead_count"] == 1
        assert figures_for(front_desk)["overdue_lead_count"] == 1


def test_a_role_is_shown_only_its_own_figures(monkeypatch, boston, front_desk, nurse):
    def clinical_only(staff: Staff) -> Subquery | None:
        if staff.role != Role.NURSE:
            return None
        return count(Lead.objects.filter(location__in=staff.locations))

    figure = Figure("clinical", clinical_only)
    monkeypatch.setattr(context_processors, "FIGURES", {"clinical": figure})
    monkeypatch.setattr(context_processors, "_compiled", {})
    new_lead(boston)
    assert figures_for(nurse) == {"clinical": 1}
    assert figures_for(front_desk) == {"clinical": None}


def test_a_figure_that_hides_more_of_the_request_in_its_query_is_refused(monkeypatch, front_desk):
    def an_hour_ago(staff: Staff) -> Subquery:  # arithmetic on the placeholder clock
        return count(Lead.objects.filter(created_at__lt=staff.now - dt.timedelta(hours=1)))

    monkeypatch.setattr(context_processors, "FIGURES", {"late": Figure("late", an_hour_ago)})
    monkeypatch.setattr(context_processors, "_compiled", {})
    with pytest.raises(ValueError, match="depends on more than the role"):
        figures_for(front_desk)


def test_anonymous_and_unverified_users_get_no_figures(front_desk):
    request = RequestFactory().get("/")
    request.user = front_desk
    front_desk.is_verified = lambda: False
    assert staff_figures(request) == {}


def test_the_banner_lists_open_alerts_most_urgent_first(boston, nurse):
    first, second, third = (
        raise_alert(location=boston, flags=["suicide-risk"], source="clinic") for _ in range(3)
    )
    SafetyAlert.objects.filter(pk=first.pk).update(tier=Tier.LOW)
    acknowledged = {"acknowledged_at": timezone.now(), "acknowledged_by": nurse}
    SafetyAlert.objects.filter(pk=second.pk).update(tier=Tier.HIGH, **acknowledged)
    SafetyAlert.objects.filter(pk=third.pk).update(tier=Tier.HIGH)
    by_urgency = list(SafetyAlert.objects.open().by_urgency().values_list("pk", flat=True))
    assert by_urgency == [third.pk, second.pk, first.pk]
    assert [alert["pk"] for alert in figures_for(nurse)["open_safety_alerts"]] == by_urgency
