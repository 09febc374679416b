"""The booking gate (scheduling/gate.py): ketamine is booked only for a patient with a
treatment consent in force, a medical history signed off by a prescriber, no open safety
alert, and a last triage other than "not suitable for ketamine now" unless a prescriber
overrode it. Every path into a chair is refused with every reason; consultations and
follow-ups are not gated.

Alice (Boston) is cleared (consent and signed-off history) unless a test takes
something away; Bob (Boston) has nothing on file. The clock is Friday March 6, 2026.
"""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from dendrite.alerts.actions import close, raise_alert
from dendrite.alerts.models import Outcome as AlertOutcome
from dendrite.conftest import make_patient, query_count, signed_in
from dendrite.leads.models import Lead, Outcome, Source
from dendrite.patients.actions import override_triage, save_history
from dendrite.patients.models import Consent, HistoryAnswer
from dendrite.scheduling import actions, gate, waitlist
from dendrite.scheduling.actions.waitlist import book_offer
from dendrite.scheduling.gate import Condition
from dendrite.scheduling.models import Appointment, Kind, Series, Status, WaitlistEntry
from dendrite.scheduling.models import WaitlistStatus as Waiting

from .conftest import clear_for_infusions, local, make_appointment, type_at

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 9)
NOW = dt.datetime(2026, 3, 6, 15, tzinfo=dt.UTC)  # Friday 10:00 in Boston

CONSENT = "There is no signed treatment consent in force."
HISTORY = "The medical history has not been signed off by a prescriber yet."
ALERT = "This patient has an open safety alert."
TRIAGE = "The last self-screening found ketamine not suitable for this patient now"


@pytest.fixture(autouse=True)
def friday_morning(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def cleared(alice, nurse):
    clear_for_infusions(alice, nurse)
    return alice


def screened(patient, outcome=Outcome.NOT_SUITABLE_NOW, at=None) -> Lead:
    """The lead the patient came from, triaged with `outcome` at `at` (now)."""
    answered = (at or timezone.now()).isoformat()
    return Lead.objects.create(
        source=Source.SCREENING, location=patient.location, name="Synthetic Person",
        email="person@example.test", triage_outcome=outcome,
        answers={"answered_at": answered}, patient=patient,
    )  # fmt: skip


def open_alert(patient):
    return raise_alert(
        location=patient.location, flags=["suicide-risk"], source="clinic:phq-9", patient=patient
    )


def withdraw_consent(patient, by) -> None:
    Consent.objects.create(
        patient=patient, kind=Consent.Kind.TREATMENT, status=Consent.Status.WITHDRAWN,
        date=timezone.localdate(), recorded_by=by,
    )  # fmt: skip


TAKE_AWAY = {
    Condition.CONSENT: lambda patient, nurse: Consent.objects.filter(patient=patient).delete(),
    Condition.HISTORY: lambda patient, nurse: save_history(
        patient, {"glaucoma": ("yes", "Treated")}, by=nurse
    ),
    Condition.ALERT: lambda patient, nurse: open_alert(patient),
    Condition.TRIAGE: lambda patient, nurse: screened(patient),
}
REASON = {
    Condition.CONSENT: CONSENT,
    Condition.HISTORY: HISTORY,
    Condition.ALERT: ALERT,
    Condition.TRIAGE: TRIAGE,
}


def book_infusion(patient, by, hour=9, kind=Kind.INFUSION):
    start = local(patient.location, MONDAY, hour)
    return actions.book(patient, type_at(patient.location, kind), starts_at=start, by=by)


# The rule


def test_a_cleared_patient_is_booked_for_an_infusion_and_a_booster(cleared, nurse):
    assert gate.unmet(cleared) == []
    book_infusion(cleared, nurse)
    book_infusion(cleared, nurse, hour=13, kind=Kind.BOOSTER)
    assert Appointment.objects.filter(patient=cleared).count() == 2


@pytest.mark.parametrize("condition", list(Condition))
def test_each_unmet_condition_refuses_the_infusion_with_its_reason(condition, cleared, nurse):
    TAKE_AWAY[condition](cleared, nurse)
    with pytest.raises(actions.NotCleared) as refused:
        book_infusion(cleared, nurse)
    assert refused.value.conditions == [condition]
    assert REASON[condition] in str(refused.value)
    others = set(REASON.values()) - {REASON[condition]}
    assert not any(reason in str(refused.value) for reason in others)
    assert not Appointment.objects.exists()


def test_all_four_unmet_conditions_are_listed_at_once(bob, nurse, prescriber):
    screened(bob)
    open_alert(bob)
    with pytest.raises(actions.NotCleared) as refused:
        book_infusion(bob, prescriber)
    assert refused.value.conditions == [
        Condition.CONSENT, Condition.HISTORY, Condition.ALERT, Condition.TRIAGE
    ]  # fmt: skip
    message = str(refused.value)
    assert message.startswith("Infusions cannot be booked for this patient yet.")
    positions = [message.index(REASON[condition]) for condition in Condition]
    assert positions == sorted(positions)
    assert not Appointment.objects.exists()


def test_each_reason_says_who_can_clear_it(bob, prescriber):
    screened(bob)
    open_alert(bob)
    texts = [reason.text for reason in gate.reasons(gate.unmet(bob), bob.pk, prescriber)]
    assert "Front desk, nurses and prescribers can record it on the chart" in texts[0]
    assert "A prescriber can review and sign it off on the chart." in texts[1]
    assert "A nurse or a prescriber needs to follow it up" in texts[2]
    assert "A prescriber can review it and record an override" in texts[3]


@pytest.mark.parametrize("kind", [Kind.CONSULTATION, Kind.FOLLOW_UP])
def test_consultations_and_follow_ups_are_not_gated(kind, bob, prescriber):
    screened(bob)
    open_alert(bob)
    book_infusion(bob, prescriber, kind=kind)
    assert Appointment.objects.get().appointment_type.kind == kind


def test_a_withdrawn_consent_is_not_in_force(cleared, nurse):
    withdraw_consent(cleared, nurse)
    assert gate.unmet(cleared) == [Condition.CONSENT]


def test_a_sign_off_of_an_older_list_of_history_items_does_not_count(cleared):
    cleared.history_sign_offs.update(items_version="2025-1")
    assert gate.unmet(cleared) == [Condition.HISTORY]


def test_a_sign_off_made_before_an_answer_changed_does_not_count(cleared, time_machine):
    # Changed behind the actions' back (save_history would clear the sign-off).
    time_machine.move_to(NOW + dt.timedelta(minutes=5), tick=False)
    HistoryAnswer.objects.filter(patient=cleared, item="glaucoma").first().save()
    assert gate.unmet(cleared) == [Condition.HISTORY]


def test_a_cleared_sign_off_does_not_count(cleared, nurse):
    save_history(cleared, {"mania": ("unknown", "Ask at the consultation")}, by=nurse)
    assert gate.unmet(cleared) == [Condition.HISTORY]


def test_a_closed_alert_no_longer_stops_a_booking(cleared, nurse):
    alert = open_alert(cleared)
    assert gate.unmet(cleared) == [Condition.ALERT]
    close(alert, by=nurse, outcome=AlertOutcome.REACHED_SAFE, note="Safe; plan reviewed")
    assert gate.unmet(cleared) == []


def test_another_patients_alert_does_not_stop_a_booking(cleared, bob):
    open_alert(bob)
    assert gate.unmet(cleared) == []


@pytest.mark.parametrize(
    "outcome",
    [Outcome.LIKELY_CANDIDATE, Outcome.NEEDS_CLINICAL_REVIEW, Outcome.INCOMPLETE, ""],
)
def test_other_triage_outcomes_do_not_stop_a_booking(outcome, cleared):
    screened(cleared, outcome)
    assert gate.unmet(cleared) == []


# The prescriber's override


def test_a_prescribers_override_covers_the_triage_before_it(cleared, prescriber, nurse):
    screened(cleared, at=NOW - dt.timedelta(days=3))
    override_triage(cleared, reason="Reviewed at consultation; BP controlled now.", by=prescriber)
    assert gate.unmet(cleared) == []
    book_infusion(cleared, nurse)


def test_a_later_triage_is_not_covered_by_an_older_override(cleared, prescriber, time_machine):
    lead = screened(cleared, at=NOW - dt.timedelta(days=3))
    override_triage(cleared, reason="Reviewed at consultation.", by=prescriber)
    # The person answered the screening again a week later: the same outcome once more.
    later = NOW + dt.timedelta(days=7)
    lead.answers = {"answered_at": later.isoformat()}
    lead.save()
    time_machine.move_to(later + dt.timedelta(hours=1), tick=False)
    assert gate.unmet(cleared) == [Condition.TRIAGE]
    override_triage(cleared, reason="Reviewed the new answers with the patient.", by=prescriber)
    assert gate.unmet(cleared) == []


def test_a_lead_without_an_answer_stamp_counts_from_its_creation(cleared, prescriber):
    lead = screened(cleared)
    Lead.objects.filter(pk=lead.pk).update(answers={})
    assert gate.unmet(cleared) == [Condition.TRIAGE]
    override_triage(cleared, reason="Reviewed.", by=prescriber)
    assert gate.unmet(cleared) == []


def test_an_override_by_a_nurse_is_refused(cleared, nurse):
    from django.core.exceptions import PermissionDenied

    screened(cleared)
    with pytest.raises(PermissionDenied):
        override_triage(cleared, reason="I think it is fine.", by=nurse)
    assert gate.unmet(cleared) == [Condition.TRIAGE]


# Every path into a chair


@pytest.fixture
def protocol(boston):
    return type_at(boston, Kind.INFUSION).protocols.get()


def test_a_series_is_refused_and_nothing_is_booked(bob, front_desk, protocol):
    starts = [local(bob.location, MONDAY + dt.timedelta(days=2 * n), 9) for n in range(6)]
    with pytest.raises(actions.NotCleared):
        actions.preview_series(bob, protocol, first_day=MONDAY)
    with pytest.raises(actions.NotCleared):
        actions.book_series(bob, protocol, starts=starts, by=front_desk)
    assert not Series.objects.exists() and not Appointment.objects.exists()


def test_the_series_screen_says_why_before_planning(bob, front_desk, protocol):
    client = signed_in(front_desk)
    response = client.get(reverse("scheduling:series", args=[bob.pk]))
    page = response.content.decode()
    assert "Infusions cannot be booked yet:" in page and CONSENT in page and HISTORY in page
    assert "Plan the series" not in page
    query = {"protocol": protocol.pk, "first_day": MONDAY.isoformat(), "preferred_time": ""}
    response = client.get(reverse("scheduling:series", args=[bob.pk]), query)
    assert response.status_code == 400 and "planned" not in response.context


def test_booking_a_previewed_series_is_refused_when_the_patient_is_no_longer_cleared(
    cleared, front_desk, protocol
):
    client = signed_in(front_desk)
    query = {"protocol": protocol.pk, "first_day": MONDAY.isoformat(), "preferred_time": ""}
    preview = client.get(reverse("scheduling:series", args=[cleared.pk]), query)
    confirm = preview.context["confirm"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    open_alert(cleared)  # while the plan was being looked at
    response = client.post(reverse("scheduling:series_book", args=[cleared.pk]), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing was booked." in page and ALERT in page
    assert not Appointment.objects.exists()


def missed_infusion(patient, nurse):
    protocol = type_at(patient.location, Kind.INFUSION).protocols.get()
    planned = actions.preview_series(patient, protocol, first_day=MONDAY)
    series = actions.book_series(
        patient, protocol, starts=[slot.start for slot in planned], by=nurse
    )
    first = series.appointments.order_by("starts_at").first()
    return actions.cancel(first, by=nurse, reason="Unwell")


def test_rebooking_a_missed_infusion_is_refused(cleared, nurse):
    missed = missed_infusion(cleared, nurse)
    open_alert(cleared)
    with pytest.raises(actions.NotCleared, match="open safety alert"):
        actions.rebook(missed, starts_at=local(cleared.location, MONDAY, 14), by=nurse)
    assert not Appointment.objects.filter(rebooks=missed).exists()
    page = signed_in(nurse).get(reverse("scheduling:rebook", args=[missed.pk])).content.decode()
    assert "Infusions cannot be booked yet:" in page and ALERT in page
    assert "Rebook at this time" not in page


def test_moving_an_infusion_is_refused_but_a_consultation_moves(cleared, bob, nurse, prescriber):
    infusion = book_infusion(cleared, nurse)
    save_history(cleared, {"epilepsy": ("yes", "Seizure last month")}, by=nurse)
    with pytest.raises(actions.NotCleared, match="signed off"):
        actions.move(infusion, starts_at=local(cleared.location, MONDAY, 13), by=nurse)
    infusion.refresh_from_db()
    assert infusion.status == Status.BOOKED
    assert Appointment.objects.count() == 1
    page = signed_in(nurse).get(reverse("scheduling:move", args=[infusion.pk])).content.decode()
    assert HISTORY in page and "Move to this time" not in page
    consultation = book_infusion(bob, nurse, hour=11, kind=Kind.CONSULTATION)
    moved = actions.move(consultation, starts_at=local(bob.location, MONDAY, 14), by=nurse)
    assert moved.starts_at == local(bob.location, MONDAY, 14)


def test_a_waitlist_offer_of_an_infusion_is_refused_and_not_shown_as_bookable(
    bob, front_desk, boston
):
    start = local(boston, MONDAY, 10)
    entry = WaitlistEntry.objects.create(
        patient=bob, location=boston, appointment_type=type_at(boston, Kind.INFUSION),
        earliest=MONDAY, latest=MONDAY, added_by=front_desk, status=Waiting.OFFERED,
        offered_starts_at=start,
    )  # fmt: skip
    with pytest.raises(actions.NotCleared):
        book_offer(entry, by=front_desk)
    entry.refresh_from_db()
    assert entry.status == Waiting.OFFERED and not Appointment.objects.exists()
    page = signed_in(front_desk).get(reverse("scheduling:waitlist")).content.decode()
    assert "Infusions cannot be booked yet:" in page and CONSENT in page
    assert "Book this offer" not in page


def test_a_freed_infusion_is_offered_to_the_first_patient_who_may_have_one(
    cleared, bob, nurse, front_desk, boston, monkeypatch
):
    from dendrite.scheduling import messaging

    monkeypatch.setattr(messaging, "notify_patient", lambda patient, **message: ["email"])
    dora = make_patient(boston, "Dora", "Diaz")
    visit = make_appointment(
        dora, Kind.INFUSION, local(boston, MONDAY, 9), nurse, status=Status.CANCELLED
    )
    waiting = {"location": boston, "appointment_type": visit.appointment_type}
    waiting |= {"earliest": MONDAY, "latest": MONDAY, "added_by": front_desk}
    # Bob has waited longer, but may not have an infusion.
    bobs = WaitlistEntry.objects.create(patient=bob, **waiting)
    alices = WaitlistEntry.objects.create(patient=cleared, **waiting)
    assert waitlist.offer_freed_slot.call(appointment_id=visit.pk) == alices.pk
    bobs.refresh_from_db()
    alices.refresh_from_db()
    assert (bobs.status, alices.status) == (Waiting.WAITING, Waiting.OFFERED)


# Shown before anyone picks a time


def test_the_booking_screen_says_why_before_the_times(bob, front_desk, prescriber):
    url = reverse("scheduling:book", args=[bob.pk])
    page = signed_in(front_desk).get(url, {"appointment_type": "infusion"}).content.decode()
    assert "Infusions cannot be booked yet:" in page and 'name="starts_at"' not in page
    assert CONSENT in page and HISTORY in page
    assert reverse("patients:consent_add", args=[bob.pk]) in page
    page = signed_in(front_desk).get(url, {"appointment_type": "consultation"}).content.decode()
    assert "Infusions cannot be booked yet:" not in page and 'name="starts_at"' in page


def test_the_chart_shows_the_gate_with_links_for_a_prescriber(bob, prescriber):
    screened(bob)
    open_alert(bob)
    page = signed_in(prescriber).get(reverse("patients:chart", args=[bob.pk])).content.decode()
    assert "Infusions cannot be booked yet:" in page
    for text in (CONSENT, HISTORY, ALERT, TRIAGE):
        assert text in page
    assert reverse("patients:triage_override", args=[bob.pk]) in page
    assert reverse("alerts:list") in page
    assert reverse("patients:chart", args=[bob.pk]) + "#history" in page


def test_front_desk_is_not_told_the_triage_outcome(bob, front_desk):
    screened(bob)
    response = signed_in(front_desk).get(reverse("patients:chart", args=[bob.pk]))
    page = html.unescape(response.content.decode())
    assert "The self-screening result needs a prescriber's review first." in page
    assert "not suitable" not in page
    assert reverse("patients:triage_override", args=[bob.pk]) not in page


def test_the_chart_of_a_cleared_patient_shows_no_gate(cleared, nurse):
    page = signed_in(nurse).get(reverse("patients:chart", args=[cleared.pk])).content.decode()
    assert "Infusions cannot be booked yet:" not in page


def test_the_gate_takes_one_query_for_one_patient_or_a_page(alice, bob, nurse):
    clear_for_infusions(alice, nurse)
    screened(bob)
    open_alert(bob)
    assert query_count(lambda: gate.unmet(alice)) == 1
    assert query_count(lambda: gate.unmet(bob)) == 1
    assert query_count(lambda: gate.unmet_for([alice.pk, bob.pk])) == 1
    assert gate.unmet_for([alice.pk, bob.pk]) == {alice.pk: [], bob.pk: list(Condition)}


def test_the_gate_of_an_infusion_type_only(alice, boston):
    assert gate.unmet(alice, type_at(boston, Kind.CONSULTATION)) == []
    assert gate.unmet(alice, type_at(boston, Kind.INFUSION)) == [
        Condition.CONSENT, Condition.HISTORY
    ]  # fmt: skip
