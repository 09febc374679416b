"""The synthetic network's patients and everything that happens to them, streamed in
chunks of patients: each chunk's rows are written (writer.py) before the next is made,
so memory stays flat whatever the size.

One patient's path: a lead (an inquiry or a self-screening, contacted by the front desk),
the chart with consents and a diagnosis, a consultation, an induction series of six
infusions with the whole chairside record (order, checks, dose from dosing.py, three
sets of vital signs, discharge), a follow-up, then boosters; a questionnaire before
every visit, scored by instruments/scoring.py; for the alcohol cohort a Timeline
Followback and a drinking diary. courses.py decides how it goes. Visits from today on
are booked, not done. What is left out, and why, is in docs/benchmarks.md ("Synthetic
network data").
"""

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models

from dendrite.infusions import dosing
from dendrite.infusions.models import Infusion, InfusionOrder, Observation, VitalSigns
from dendrite.infusions.rules import dosing_rules
from dendrite.infusions.vitals import MEASURES
from dendrite.instruments import loader, scoring
from dendrite.leads.models import Lead, LeadEvent, Status
from dendrite.patients.models import Consent, Diagnosis, Patient, QuestionnaireResponse
from dendrite.patients.search import name_key
from dendrite.recovery.metrics import heavy_threshold
from dendrite.recovery.models import DrinkingDay
from dendrite.scheduling.models import DEFAULT_TYPES, Appointment, Kind, Series
from dendrite.screening.models import ScreeningSession

from . import courses, names
from .network import MRN_PREFIX, OPEN_WEEKDAYS, Site
from .slots import Calendar
from .writer import Table

D = Decimal
UTC = dt.UTC
ORDER: list[type[models.Model]] = [
    Patient,
    Lead,
    LeadEvent,
    ScreeningSession,
    Consent,
    Diagnosis,
    Series,
    Appointment,
    InfusionOrder,
    InfusionOrder.appointments.through,
    Infusion,
    VitalSigns,
    Observation,
    QuestionnaireResponse,
    DrinkingDay,
]
SERIES_DOSES = ("0.5", "0.5", "0.6", "0.6", "0.7", "0.7")  # mg/kg, titrated up (order's range)
BOOSTER_DOSE = "0.6"
CONCENTRATION = D("50")
VITAL_KEYS = ("systolic", "diastolic", "heart_rate", "spo2")
ALDRETE = {"activity": 2, "respiration": 2, "circulation": 2, "consciousness": 2, "spo2": 2}
CALM = {"1": False, "2": False, "6": False}  # C-SSRS screener: no ideation, no behaviour
ITEMS = {
    # PHQ-9 item 9 (self-harm) stays "Not at all": an answer above it raises a safety alert
    # the synthetic data does not make.
    "phq-9": (tuple(str(n) for n in range(1, 9)), 3, {"9": 0}),
    "gad-7": (tuple(str(n) for n in range(1, 8)), 3, {}),
    "audit": (tuple(str(n) for n in range(1, 9)), 4, {"9": 0, "10": 0}),
}
# (staff minutes, visit minutes) of each kind of visit, as the locations' types say.
MINUTES: dict[str, tuple[int, int]] = {
    kind: (v["staff_minutes"], max(v["staff_minutes"], v["chair_minutes"]))
    for kind, v in DEFAULT_TYPES.items()
}
REASON = {"depression": "depression", "anxiety": "anxiety", "alcohol": "alcohol"}


class Builder:
    def __init__(
        self, sites: list[Site], patients: int, seed: int, today: dt.date, span_days: int
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (reproducible, not secret)
        self.seed = seed
        self.sites = sites
        self.patients = patients
        self.today = today
        self.start = today - dt.timedelta(days=span_days)
        self.span_days = span_days
        self.tables = {model: Table(model) for model in ORDER}
        self.calendars = {
            s.location.pk: Calendar(len(s.chairs), len(s.prescribers), frozenset(OPEN_WEEKDAYS))
            for s in sites
        }
        self.zones = {s.location.pk: ZoneInfo(s.location.time_zone) for s in sites}
        self.rules = dosing_rules()
        self.versions = {code: loader.version(code) for code in (*ITEMS, "c-ssrs-screener")}
        self.mrn = 0
        self.answers = 0  # item answers in all questionnaires, for the summary

    def table(self, model: Any) -> Table:
        return self.tables[model]

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def chunks(self, size: int) -> Iterator[int]:
        """Make the patients `size` at a time, writing each chunk; yields how many."""
        for first in range(0, self.patients, size):
            last = min(self.patients, first + size)
            for index in range(first, last):
                self.patient(index)
            self.flush()
            arrival = self.start + dt.timedelta(days=self.span_days * last // self.patients)
            for calendar in self.calendars.values():
                calendar.forget_before(arrival)
            yield last - first

    # One patient -----------------------------------------------------------------------

    def patient(self, index: int) -> None:
        rng = self.rng
        site = rng.choice(self.sites)
        zone = self.zones[site.location.pk]
        arrival = self.start + dt.timedelta(
            days=int(self.span_days * (index + rng.random()) / self.patients)
        )
        course = courses.draw(rng)
        sex = "female" if rng.random() < 0.58 else "male"
        first, last = rng.choice(names.FIRST[sex]), rng.choice(names.LAST)
        lead_at = dt.datetime.combine(
            arrival, dt.time(rng.randint(7, 21), rng.randint(0, 59)), zone
        )
        patient_at = lead_at + dt.timedelta(hours=rng.randint(2, 30))
        patient_id = self.table(Patient).take_id()
        self.mrn += 1
        email = f"{first}.{last}.{self.mrn}@example.invalid".lower()
        phone = f"+1202555{100 + self.mrn % 100:04d}"
        self.table(Patient).add(
            id=patient_id,
            organization_id=site.location.organization_id,
            location_id=site.location.pk,
            mrn=f"{MRN_PREFIX}{self.mrn:07d}",
            first_name=first,
            last_name=last,
            first_name_key=name_key(first),
            last_name_key=name_key(last),
            date_of_birth=arrival - dt.timedelta(days=rng.randint(21 * 365, 72 * 365)),
            sex=sex,
            email=email,
            phone=phone,
            street=f"{rng.randint(1, 999)} {rng.choice(names.STREETS)}",
            city=site.location.city,
            state=site.location.state,
            postal_code=site.location.postal_code,
            created_at=patient_at,
            updated_at=patient_at,
        )
        self._lead(site, lead_at, f"{first} {last}", email, phone, course, patient_id)
        if rng.random() < 0.45:  # someone else who asked and did not become a patient
            self._lead(
                site,
                lead_at + dt.timedelta(hours=rng.randint(1, 72)),
                f"{rng.choice(names.FIRST[sex])} {rng.choice(names.LAST)}",
                f"lead.{self.mrn}@example.invalid",
                f"+1202555{100 + rng.randrange(100):04d}",
                course,
                None,
            )
        for kind in (
            Consent.Kind.TREATMENT,
            Consent.Kind.EMAIL_MESSAGES,
            Consent.Kind.TEXT_MESSAGES,
        ):
            self.table(Consent).add(
                patient_id=patient_id,
                kind=kind,
                status=Consent.Status.GIVEN,
                date=patient_at.date(),
                recorded_by_id=site.desk,
                recorded_at=patient_at,
            )
        code, description = courses.ICD10[course.cohort]
        self.table(Diagnosis).add(
            patient_id=patient_id,
            code=code,
            description=description,
            recorded_by_id=site.prescribers[0],
            recorded_at=patient_at,
        )
        Path(self, site, zone, patient_id, sex, course, patient_at).walk()

    def _lead(
        self,
        site: Site,
        at: dt.datetime,
        name: str,
        email: str,
        phone: str,
        course: courses.Course,
        patient_id: int | None,
    ) -> None:
        rng = self.rng
        lead_id = self.table(Lead).take_id()
        screening = rng.random() < 0.45
        if patient_id is not None:
            status = Status.BECAME_PATIENT
        elif at.date() > self.today - dt.timedelta(days=5):
            status = Status.NEW
        else:
            status = rng.choice(
                (Status.DECLINED, Status.REFERRED, Status.UNREACHABLE, Status.CONTACTED)
            )
        outcome = ""
        if screening:
            outcome = (
                "likely-candidate"
                if patient_id is not None or rng.random() < 0.5
                else rng.choice(
                    ("needs-clinical-review", "not-suitable-now", "higher-level-of-care")
                )
            )
        self.table(Lead).add(
            id=lead_id,
            source="screening" if screening else "inquiry",
            location_id=site.location.pk,
            status=status,
            first_response_due=at + dt.timedelta(days=1),
            name=name,
            email=email,
            phone=phone,
            preferred_contact_method="phone",
            consent_to_contact=True,
            consent_to_texts=rng.random() < 0.6,
            reasons=[REASON[course.cohort]],
            language="es" if rng.random() < 0.08 else "en",
            triage_outcome=outcome,
            patient_id=patient_id,
            created_at=at,
            updated_at=at,
        )
        if status != Status.NEW:
            reached = status != Status.UNREACHABLE
            self.table(LeadEvent).add(
                lead_id=lead_id,
                at=at + dt.timedelta(hours=rng.randint(1, 30)),
                by_id=site.desk,
                kind=LeadEvent.Kind.CONTACT,
                channel="phone",
                outcome="reached" if reached else "no_answer",
            )
        if screening:
            token = f"synthetic:{self.seed}:{lead_id}".encode()
            self.table(ScreeningSession).add(
                token_hash=hashlib.sha256(token).hexdigest(),
                lead_id=lead_id,
                outcome=outcome,
                created_at=at - dt.timedelta(minutes=15),
                updated_at=at,
                expires_at=at + dt.timedelta(days=30),
                finished_at=at,
            )

    # Questionnaires ---------------------------------------------------------------------

    def questionnaire(
        self, patient_id: int, code: str, total: int, at: dt.datetime, source: str, sex: str
    ) -> None:
        if code == "c-ssrs-screener":
            answers: dict[str, Any] = dict(CALM)
        else:
            link_ids, most, fixed = ITEMS[code]
            answers = courses.points(self.rng, link_ids, total, most) | fixed
        result = scoring.score(code, answers, sex=sex)
        self.answers += len(answers)
        self.table(QuestionnaireResponse).add(
            patient_id=patient_id,
            instrument=code,
            version=result.version,
            answers=answers,
            total=result.total,
            band=result.band,
            flags=list(result.flags),
            authored_at=at,
            source=source,
            recorded_at=at,
        )


class Path:
    """One patient's visits, in order, each on a later day than the one before."""

    def __init__(
        self,
        builder: Builder,
        site: Site,
        zone: ZoneInfo,
        patient_id: int,
        sex: str,
        course: courses.Course,
        since: dt.datetime,
    ) -> None:
        self.b, self.site, self.zone = builder, site, zone
        self.patient_id, self.sex, self.course = patient_id, sex, course
        self.rng = builder.rng
        self.calendar = builder.calendars[site.location.pk]
        self.weight = D(max(45, min(150, round(self.rng.gauss(80, 16), 1)))).quantize(D("0.1"))
        self.blood_pressure = (self.rng.randint(108, 138), self.rng.randint(66, 88))
        self.day = since.date()
        self.booked_at = since
        self.heavy = heavy_threshold(sex)
        self.drinking_days: set[dt.date] = set()  # one row a day (drinking_day_once)
        self.staff = 0  # the staff member of the last visit booked

    def walk(self) -> None:
        b, course, rng = self.b, self.course, self.rng
        consult = self.visit(Kind.CONSULTATION, self.day + dt.timedelta(days=rng.randint(3, 14)))
        if consult is None:
            return
        baseline_at = consult[1] - dt.timedelta(days=1)
        if consult[2]:
            self.score(course.baseline, baseline_at)
            b.questionnaire(
                self.patient_id, "c-ssrs-screener", 0, baseline_at, "pre_visit", self.sex
            )
            if course.cohort == "alcohol":
                b.questionnaire(
                    self.patient_id,
                    "audit",
                    rng.randint(16, 30),
                    baseline_at,
                    "pre_visit",
                    self.sex,
                )
                self.followback(consult[0])
        if course.kind == "no_series" or not consult[2]:
            return
        series_days = self.series(consult)
        if not series_days:
            return
        self.diary(series_days[0], series_days[-1])
        follow_up = self.visit(
            Kind.FOLLOW_UP, series_days[-1] + dt.timedelta(days=rng.randint(6, 10))
        )
        if follow_up is None or not follow_up[2]:
            return
        self.score(courses.induction_score(course, courses.SERIES_LENGTH + 1, rng), follow_up[1])
        self.boosters(follow_up)

    def score(self, total: int, at: dt.datetime) -> None:
        self.b.questionnaire(
            self.patient_id,
            self.course.instrument,
            total,
            at - dt.timedelta(minutes=35),
            "check_in",
            self.sex,
        )

    def visit(
        self,
        kind: str,
        wanted: dt.date,
        *,
        series: int | None = None,
        number: int | None = None,
        cancelled: bool = False,
    ) -> tuple[dt.date, dt.datetime, bool, int] | None:
        """Book one visit (day, start, done, id); None once visits are beyond the booked
        horizon (nothing is booked more than four weeks ahead)."""
        b, site = self.b, self.site
        if wanted > b.today + dt.timedelta(days=28) and series is None:
            return None
        chair = kind in (Kind.INFUSION, Kind.BOOSTER)
        day, hour, index = self.calendar.take(max(wanted, self.day + dt.timedelta(days=1)), chair)
        self.day = day
        start = dt.datetime.combine(day, dt.time(hour), self.zone)
        minutes = MINUTES[kind]
        staff = site.nurses[index // 2] if chair else site.prescribers[index]
        self.staff = staff  # who the visit is with (the nurse of an infusion)
        done = day < b.today and not cancelled
        no_show = done and not chair and self.rng.random() < 0.03
        status = (
            Appointment.Status.CANCELLED
            if cancelled
            else Appointment.Status.NO_SHOW
            if no_show
            else Appointment.Status.DONE
            if done
            else Appointment.Status.BOOKED
        )
        ends = start + dt.timedelta(minutes=minutes[1])
        changed = ends if done else self.booked_at
        appointment_id = b.table(Appointment).take_id()
        b.table(Appointment).add(
            id=appointment_id,
            patient_id=self.patient_id,
            location_id=site.location.pk,
            appointment_type_id=site.types[kind],
            series_id=series,
            series_number=number,
            staff_id=staff,
            chair_id=site.chairs[index] if chair else None,
            starts_at=start,
            staff_ends_at=start + dt.timedelta(minutes=minutes[0]),
            ends_at=ends,
            status=status,
            status_changed_at=min(changed, self._now()),
            cancel_reason="Stopped the series" if cancelled else "",
            booked_by_id=site.desk,
            created_at=self.booked_at,
            updated_at=min(changed, self._now()),
        )
        if not cancelled:
            self.booked_at = min(ends, self._now())
        return day, start, done and not no_show, appointment_id

    def _now(self) -> dt.datetime:
        return dt.datetime.combine(self.b.today, dt.time(0), UTC)

    def series(self, consult: tuple[dt.date, dt.datetime, bool, int]) -> list[dt.date]:
        """The induction series: six booked at once, the ones after a drop-out cancelled.
        Returns the days of the infusions given."""
        b, site, course, rng = self.b, self.site, self.course, self.rng
        series_id = b.table(Series).take_id()
        booked = consult[1] + dt.timedelta(hours=1)
        b.table(Series).add(
            id=series_id,
            patient_id=self.patient_id,
            location_id=site.location.pk,
            protocol_id=site.protocol,
            name="Induction series",
            infusions=6,
            min_gap_hours=48,
            span_days=21,
            booked_by_id=site.desk,
            created_at=booked,
        )
        order = self.order(series_id, consult[1] + dt.timedelta(minutes=50), "0.5", "0.75")
        given: list[dt.date] = []
        wanted = consult[0] + dt.timedelta(days=rng.randint(5, 14))
        for number in range(1, courses.SERIES_LENGTH + 1):
            cancelled = number > course.infusions
            visit = self.visit(
                Kind.INFUSION, wanted, series=series_id, number=number, cancelled=cancelled
            )
            assert visit is not None  # a series is always booked whole
            day, start, done, appointment_id = visit
            b.table(InfusionOrder.appointments.through).add(
                infusionorder_id=order, appointment_id=appointment_id
            )
            if done:
                self.score(courses.induction_score(course, number, rng), start)
                self.infusion(appointment_id, order, start, SERIES_DOSES[number - 1])
                given.append(day)
            wanted = day + dt.timedelta(days=rng.choice((2, 3, 3, 4)))
        return given

    def boosters(self, follow_up: tuple[dt.date, dt.datetime, bool, int]) -> None:
        b, course, rng = self.b, self.course, self.rng
        order = None
        day = follow_up[0]
        for number in range(1, course.boosters + 1):
            gap = rng.randint(21, 42) if number == 1 else rng.randint(28, 56)
            visit = self.visit(Kind.BOOSTER, day + dt.timedelta(days=gap))
            if visit is None:
                return
            day, start, done, appointment_id = visit
            if order is None:
                order = self.order(
                    None, follow_up[1] + dt.timedelta(minutes=25), BOOSTER_DOSE, None
                )
            b.table(InfusionOrder.appointments.through).add(
                infusionorder_id=order, appointment_id=appointment_id
            )
            if not done:
                return
            self.score(courses.booster_score(course, number, rng), start)
            self.infusion(appointment_id, order, start, BOOSTER_DOSE)
            if number == course.relapse_at:
                self.diary(day - dt.timedelta(days=21), day - dt.timedelta(days=1), relapse=True)

    def order(self, series_id: int | None, at: dt.datetime, dose: str, up_to: str | None) -> int:
        b = self.b
        order_id = b.table(InfusionOrder).take_id()
        b.table(InfusionOrder).add(
            id=order_id,
            patient_id=self.patient_id,
            location_id=self.site.location.pk,
            series_id=series_id,
            mg_per_kg=D(dose),
            titrate_to_mg_per_kg=up_to and D(up_to),
            minutes=40,
            titration="Up by 0.1 mg/kg every second visit if tolerated." if up_to else "",
            status=InfusionOrder.Status.SIGNED,
            signed_by_id=self.site.prescribers[0],
            signed_at=at,
        )
        return order_id

    def infusion(self, appointment_id: int, order_id: int, start: dt.datetime, dose: str) -> None:
        b, site, rng = self.b, self.site, self.rng

        def at(minutes: int) -> dt.datetime:
            return start + dt.timedelta(minutes=minutes)

        nurse, prescriber = self.staff, site.prescribers[0]
        # The order's dose, lowered for a heavy patient to the clinic's most for one
        # infusion (INFUSION_MAX_DOSE_MG), as the prescriber would.
        most = (b.rules.max_dose_mg / self.weight).quantize(D("0.01"), rounding=ROUND_DOWN)
        mg_per_kg = min(D(dose), most)
        calculated = dosing.calculate(self.weight, mg_per_kg, CONCENTRATION, 40, b.rules)
        infusion_id = b.table(Infusion).take_id()
        b.table(Infusion).add(
            id=infusion_id,
            appointment_id=appointment_id,
            patient_id=self.patient_id,
            location_id=site.location.pk,
            order_id=order_id,
            stage="ready",
            mg_per_kg=mg_per_kg,
            minutes=40,
            checked_by_id=nurse,
            checked_at=at(3),
            identifiers=["name", "date_of_birth"],
            fasting_hours=D(6),
            escort_name="Synthetic Escort",
            escort_phone="+12025550199",
            weight_kg=self.weight,
            weight_entered=f"{self.weight} kg",
            pregnancy="not_applicable" if self.sex == "male" else "not_pregnant",
            questionnaires_reviewed=True,
            concentration_mg_per_ml=CONCENTRATION,
            lot="SYNTHETIC",
            dose_mg=calculated.dose_mg,
            drawn_ml=calculated.drawn_ml,
            total_ml=calculated.total_ml,
            rate_ml_per_h=calculated.rate_ml_per_h,
            verified_by_id=prescriber,
            verified_at=at(8),
            started_at=at(10),
            stopped_at=at(50),
            stop_reason="completed",
            infused_ml=calculated.total_ml,
            given_mg=calculated.dose_mg,
            discharge_score_system="aldrete",
            discharge_answers=ALDRETE,
            discharge_score=10,
            vitals_near_baseline=True,
            escort_present=True,
            discharged_by_id=nurse,
            discharged_at=at(95),
            updated_at=at(95),
        )
        systolic, diastolic = self.blood_pressure
        readings = (
            ("baseline", 5, 0),
            ("during", 30, rng.randint(6, 24)),
            ("after", 90, rng.randint(0, 6)),
        )
        for phase, minutes, rise in readings:
            vitals_id = b.table(VitalSigns).take_id()
            b.table(VitalSigns).add(
                id=vitals_id,
                infusion_id=infusion_id,
                phase=phase,
                taken_at=at(minutes),
                recorded_by_id=nurse,
                recorded_at=at(minutes + 1),
                cadss=rng.randint(2, 14) if phase == "during" else None,
            )
            values = (
                systolic + rise,
                diastolic + rise // 2,
                rng.randint(62, 88),
                rng.randint(96, 99),
            )
            for key, value in zip(VITAL_KEYS, values, strict=True):
                measure = MEASURES[key]
                b.table(Observation).add(
                    vital_signs_id=vitals_id, code=measure.loinc, value=D(value), unit=measure.ucum
                )

    # Drinking --------------------------------------------------------------------------

    def followback(self, consult_day: dt.date) -> None:
        """28 days before the consultation, gone through with a nurse at the visit."""
        for n in range(28, 0, -1):
            self.drinking(consult_day - dt.timedelta(days=n), "before", "tlfb")

    def diary(self, first: dt.date, last: dt.date, *, relapse: bool = False) -> None:
        if self.course.cohort != "alcohol":
            return
        better = self.course.kind in ("remits", "responds", "relapses") and not relapse
        end = min(
            last if relapse else first + dt.timedelta(days=55), self.b.today - dt.timedelta(days=1)
        )
        day = first
        while day <= end:
            self.drinking(day, "better" if better else "worse", "diary")
            day += dt.timedelta(days=1)

    def drinking(self, day: dt.date, phase: str, source: str) -> None:
        if day in self.drinking_days:
            return
        self.drinking_days.add(day)
        drinks = courses.drinks(self.rng, phase, self.heavy)
        with_staff = source == "tlfb"
        self.b.table(DrinkingDay).add(
            patient_id=self.patient_id,
            day=day,
            drinks=D(drinks),
            craving=None if with_staff else min(10, drinks + self.rng.randint(0, 3)),
            source=source,
            entered_by_id=self.site.nurses[0] if with_staff else None,
            updated_at=dt.datetime.combine(day, dt.time(21), self.zone),
        )
