"""The door to patient data for the FHIR API: what each resource type reads, scoped to
the reader's locations and checked against its scopes, and audited with the reader's
name (a registered client's, or the staff member's).

A reader is a registered backend client (auth.py; scopes from its token, locations from
its registration) or a staff member reading through their session (scopes from their
role, as on the staff pages: front desk no clinical record, clinic admins no chart).
Everything of a patient is scoped by the patient's home location, as charts are.

Each search makes the same queries whatever the page size: one count and one page
query per table, a fixed number of prefetches, one audit entry."""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dendrite.accounts.models import CLINICAL_ROLES, Role, User
from dendrite.audit.log import record
from dendrite.audit.models import AuditEvent
from dendrite.clinics.models import Location, Organization
from dendrite.infusions.models import Infusion
from dendrite.infusions.models import Observation as VitalValue
from dendrite.instruments import loader
from dendrite.patients.models import Consent, Patient, QuestionnaireResponse
from dendrite.scheduling.models import Appointment

from . import actions, mapping, scopes, serializer
from .models import DisclosureConsent
from .search import DateRange, Query, Token

# A fixed moment for records that keep no time of change (organisations, locations,
# the instrument definitions): their versionId still follows their content.
REFERENCE_DATA = datetime(2026, 1, 1, tzinfo=UTC)
STAFF_SCOPES = {
    "clinical": "system/*.rs",
    Role.FRONT_DESK: " ".join(
        f"system/{t}.rs"
        for t in ("Patient", "Practitioner", "Organization", "Location", "Appointment",
                  "Consent", "Questionnaire")
    ),
    Role.CLINIC_ADMIN: "system/Practitioner.rs system/Organization.rs system/Location.rs "
    "system/Questionnaire.rs",
}  # fmt: skip


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


WITHHELD = (
    "Substance use disorder records were withheld under 42 CFR Part 2: the patient has "
    "no consent in force to disclose them to this client."
)


@dataclass(frozen=True)
class Reader:
    name: str  # as the audit trail names it
    location_ids: frozenset[int]
    scopes: str
    user: User | None = None
    client_id: int | None = None
    # Part 2 (a client only): patient id -> (consent id, purpose) of the consents in force
    # naming this client. None for staff: the clinic's own use, not a disclosure.
    part2: Mapping[int, tuple[int, str]] | None = None
    # And which substance-use instruments' records those consents cover, by patient.
    part2_records: Mapping[int, frozenset[str]] | None = None
    # A client's stated medical emergency (42 CFR 2.51, break-the-glass): the reason.
    emergency: str = ""

    def may(self, resource_type: str, interaction: str) -> bool:
        return scopes.allows(self.scopes, resource_type, interaction)


def staff_reader(user: User) -> Reader:
    granted = (
        STAFF_SCOPES["clinical"] if user.role in CLINICAL_ROLES else STAFF_SCOPES.get(user.role, "")
    )
    return Reader(user.get_username(), user.location_ids, granted, user=user)


def part2_in_force(
    client_id: int,
) -> tuple[dict[int, tuple[int, str]], dict[int, frozenset[str]]]:
    """A client reader's Part 2 fields: the consents in force today naming the client
    and the records they cover, by patient (one query)."""
    today = timezone.localdate()
    rows = (
        DisclosureConsent.objects.filter(
            client_id=client_id, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today
        )
        .order_by("created_at")
        .values_list("patient_id", "id", "purpose", "records")
    )
    consents: dict[int, tuple[int, str]] = {}
    records: dict[int, frozenset[str]] = {}
    for patient, pk, purpose, covered in rows:
        consents[patient] = (pk, purpose)
        records[patient] = records.get(patient, frozenset()) | frozenset(covered or ())
    return consents, records


Filter = Callable[[QuerySet[Any], Any], QuerySet[Any]]


@dataclass(frozen=True)
class Source:
    """One table a resource type is served from."""

    prefix: str  # of the ids ("" for plain row ids)
    rows: Callable[[frozenset[int]], QuerySet[Any]]
    build: Callable[[Any], dict[str, Any] | None]
    last_updated: Callable[[Any], datetime]
    patient_of: Callable[[Any], int | None]
    filters: dict[str, Filter] = field(default_factory=dict)
    updated_field: str | None = None
    profiles: Callable[[dict[str, Any]], list[str]] = lambda resource: []
    labels: Callable[[Any], list[dict[str, str]]] = lambda row: []

    def pk(self, resource_id: str) -> int | None:
        if not resource_id.startswith(self.prefix):
            return None
        rest = resource_id.removeprefix(self.prefix)
        return int(rest) if rest.isascii() and rest.isdigit() and len(rest) < 19 else None


@dataclass(frozen=True)
class Kind:
    name: str
    params: dict[str, str]  # search parameter: kind
    sources: tuple[Source, ...]
    doc: str = ""


# Filters shared by the tables.


def _dates(field_name: str, on_date: bool = False) -> Filter:
    def apply(rows: QuerySet[Any], value: DateRange) -> QuerySet[Any]:
        low, high, negate = value.bounds()
        condition = Q()
        if low is not None:
            condition &= Q(**{f"{field_name}__gte": _day(low) if on_date else low})
        if high is not None:
            condition &= Q(**{f"{field_name}__lt": _day(high) if on_date else high})
        return rows.exclude(condition) if negate else rows.filter(condition)

    return apply


def _day(moment: datetime) -> Any:
    moment = moment.astimezone(UTC)
    return moment.date() + timedelta(days=1 if moment.time() != datetime.min.time() else 0)


def _patients(field_name: str = "patient_id") -> Filter:
    def apply(rows: QuerySet[Any], ids: list[str | None]) -> QuerySet[Any]:
        return rows.filter(**{f"{field_name}__in": [int(i) for i in ids if i and i.isdigit()]})

    return apply


def _codes(mapping_: Callable[[Token], Iterable[str]], field_name: str) -> Filter:
    def apply(rows: QuerySet[Any], tokens: list[Token]) -> QuerySet[Any]:
        wanted = {code for token in tokens for code in mapping_(token)}
        return rows.filter(**{f"{field_name}__in": wanted})

    return apply


def _statuses(table: dict[Any, str], field_name: str = "status") -> Filter:
    def apply(rows: QuerySet[Any], tokens: list[Token]) -> QuerySet[Any]:
        asked = {t.code for t in tokens}
        return rows.filter(
            **{f"{field_name}__in": [ours for ours, fhir in table.items() if fhir in asked]}
        )

    return apply  # fmt: skip


def _only(value: str) -> Filter:
    """A parameter every row of the table has the same value of."""

    def apply(rows: QuerySet[Any], tokens: list[Token]) -> QuerySet[Any]:
        return rows if any(t.code == value for t in tokens) else rows.none()

    return apply


def _mrn(rows: QuerySet[Any], tokens: list[Token]) -> QuerySet[Any]:
    """Patients by MRN; a system, if given, must be the organisation's MRN system."""
    condition = Q(pk__in=[])
    prefix = f"{mapping.BASE}/sid/mrn/"
    for token in tokens:
        if token.system in (None, ""):
            condition |= Q(mrn=token.code)
        elif token.system.startswith(prefix):
            slug = token.system.removeprefix(prefix)
            condition |= Q(mrn=token.code, organization__slug=slug)
    return rows.filter(condition)


def _code_is(code: str) -> Filter:
    """The code parameter of a table that holds one code only."""

    def apply(rows: QuerySet[Any], tokens: list[Token]) -> QuerySet[Any]:
        return rows if any(_loinc(t, {code: [code]}) for t in tokens) else rows.none()

    return apply


def _loinc(token: Token, ours: Mapping[str, Iterable[str]]) -> Iterable[str]:
    if token.system not in (None, "", mapping.LOINC):
        return ()
    return ours.get(token.code, ())


# The score Observations: the LOINC code of each instrument's result item.
def _score_codes() -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for code in loader.instrument_codes():
        definition = loader.get_definition(code)
        result = next((i for i in definition["item"] if i.get("readOnly")), None)
        for coding in (result or {}).get("code", []):
            if coding.get("system") == loader.LOINC:
                codes.setdefault(coding["code"], []).append(code)
    return codes


SCORE_CODES = _score_codes()
VITAL_CODES: dict[str, list[str]] = {
    **{code: [code] for code in mapping.VITAL_PROFILES if code != mapping.WEIGHT},
    mapping.BP_PANEL: [mapping.SYSTOLIC],
    "2708-6": [mapping.SPO2],  # the second code US Core asks for on oximetry
}
CATEGORY_SURVEY = "survey"
CATEGORY_VITALS = "vital-signs"


def _vital_profiles(resource: dict[str, Any]) -> list[str]:
    name = mapping.VITAL_PROFILES.get(resource["code"]["coding"][0]["code"])
    if not name:
        return [mapping.CORE + "vitalsigns"]
    return [mapping.CORE + name, mapping.US_CORE + mapping.US_CORE_VITALS[name]]


def _patient_rows(ids: frozenset[int]) -> QuerySet[Patient]:
    return Patient.objects.filter(location_id__in=ids).select_related("organization")


SOURCES_OBSERVATION = (
    Source(
        "score-",
        lambda ids: QuestionnaireResponse.objects.filter(
            patient__location_id__in=ids
        ).select_related("patient").order_by("id"),
        mapping.score_observation,
        lambda row: row.recorded_at,
        lambda row: row.patient_id,
        {
            "patient": _patients(), "subject": _patients(),
            "date": _dates("authored_at"),
            "code": _codes(lambda t: _loinc(t, SCORE_CODES), "instrument"),
            "category": _only(CATEGORY_SURVEY), "status": _only("final"),
        },
        updated_field="recorded_at",
        profiles=lambda r: [mapping.US_CORE + "us-core-observation-screening-assessment"],
        labels=lambda row: serializer.labels_for(row.instrument),
    ),
    Source(
        "vital-",
        lambda ids: VitalValue.objects.filter(
            vital_signs__infusion__patient__location_id__in=ids
        ).exclude(code=mapping.DIASTOLIC).select_related("vital_signs__infusion")
        .prefetch_related("vital_signs__observations").order_by("id"),
        mapping.vital_observation,
        lambda row: row.vital_signs.recorded_at,
        lambda row: row.vital_signs.infusion.patient_id,
        {
            "patient": _patients("vital_signs__infusion__patient_id"),
            "subject": _patients("vital_signs__infusion__patient_id"),
            "date": _dates("vital_signs__taken_at"),
            "code": _codes(lambda t: _loinc(t, VITAL_CODES), "code"),
            "category": _only(CATEGORY_VITALS), "status": _only("final"),
        },
        updated_field="vital_signs__recorded_at",
        profiles=_vital_profiles,
    ),
    Source(
        "weight-",
        lambda ids: Infusion.objects.filter(patient__location_id__in=ids).order_by("id"),
        mapping.weight_observation,
        lambda row: row.updated_at,
        lambda row: row.patient_id,
        {
            "patient": _patients(), "subject": _patients(),
            "date": _dates("checked_at"),
            "code": _code_is(mapping.WEIGHT),
            "category": _only(CATEGORY_VITALS), "status": _only("final"),
        },
        updated_field="updated_at",
        profiles=_vital_profiles,
    ),
)  # fmt: skip

PATIENT_PARAMS = {"patient": "reference"}
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("Patient", {"identifier": "token", "birthdate": "date"}, (Source(
            "", _patient_rows, mapping.patient, lambda row: row.updated_at, lambda row: row.pk,
            {"identifier": _mrn, "birthdate": _dates("date_of_birth", on_date=True)},
            updated_field="updated_at",
            profiles=lambda r: [mapping.US_CORE + "us-core-patient"],
        ),)),
        Kind("Practitioner", {}, (Source(
            "",
            lambda ids: User.objects.filter(
                pk__in=User.objects.filter(locations__in=ids).values("pk")
            ).order_by("id"),
            mapping.practitioner, lambda row: row.date_joined, lambda row: None,
            profiles=lambda r: [mapping.US_CORE + "us-core-practitioner"],
        ),)),
        Kind("Organization", {}, (Source(
            "",
            lambda ids: Organization.objects.filter(
                pk__in=Location.objects.filter(pk__in=ids).values("organization_id")
            ).order_by("id"),
            mapping.organization, lambda row: REFERENCE_DATA, lambda row: None,
            profiles=lambda r: [mapping.US_CORE + "us-core-organization"],
        ),)),
        Kind("Location", {}, (Source(
            "", lambda ids: Location.objects.filter(pk__in=ids).order_by("id"),
            mapping.location, lambda row: REFERENCE_DATA, lambda row: None,
            profiles=lambda r: [mapping.US_CORE + "us-core-location"],
        ),)),
        Kind("Questionnaire", {}, ()),
        Kind("QuestionnaireResponse", {"patient": "reference", "subject": "reference",
                                       "authored": "date", "status": "token"}, (Source(
            "",
            lambda ids: QuestionnaireResponse.objects.filter(
                patient__location_id__in=ids
            ).select_related("patient").order_by("id"),
            mapping.questionnaire_response, lambda row: row.recorded_at,
            lambda row: row.patient_id,
            {"patient": _patients(), "subject": _patients(),
             "authored": _dates("authored_at"), "status": _only("completed")},
            updated_field="recorded_at",
            profiles=lambda r: [mapping.US_CORE + "us-core-questionnaireresponse"],
            labels=lambda row: serializer.labels_for(row.instrument),
        ),)),
        Kind("Observation", {"patient": "reference", "subject": "reference", "date": "date",
                             "code": "token", "category": "token", "status": "token"},
             SOURCES_OBSERVATION),
        Kind("Appointment", {"patient": "reference", "date": "date", "status": "token"}, (Source(
            "",
            lambda ids: Appointment.objects.filter(patient__location_id__in=ids)
            .select_related("appointment_type", "location").order_by("id"),
            mapping.appointment, lambda row: row.updated_at, lambda row: row.patient_id,
            {"patient": _patients(), "date": _dates("starts_at"),
             "status": _statuses(mapping.APPOINTMENT_STATUS)},
            updated_field="updated_at",
        ),)),
        Kind("Encounter", {"patient": "reference", "subject": "reference", "date": "date",
                           "status": "token"}, (Source(
            "",
            lambda ids: Appointment.objects.filter(
                patient__location_id__in=ids, status__in=list(mapping.ENCOUNTER_STATUS)
            ).select_related("appointment_type", "location").order_by("id"),
            mapping.encounter, lambda row: row.updated_at, lambda row: row.patient_id,
            {"patient": _patients(), "subject": _patients(), "date": _dates("starts_at"),
             "status": _statuses(mapping.ENCOUNTER_STATUS)},
            updated_field="updated_at",
            profiles=lambda r: [mapping.US_CORE + "us-core-encounter"],
        ),)),
        Kind("MedicationAdministration", {"patient": "reference", "subject": "reference",
                                          "effective-time": "date", "status": "token"}, (Source(
            "",
            lambda ids: Infusion.objects.filter(
                patient__location_id__in=ids, started_at__isnull=False
            ).order_by("id"),
            mapping.medication_administration, lambda row: row.updated_at,
            lambda row: row.patient_id,
            {"patient": _patients(), "subject": _patients(),
             "effective-time": _dates("started_at"),
             "status": lambda rows, tokens: _ma_status(rows, tokens)},
            updated_field="updated_at",
        ),)),
        Kind("Consent", {"patient": "reference", "date": "date", "status": "token"}, (Source(
            "",
            lambda ids: Consent.objects.filter(patient__location_id__in=ids)
            .select_related("patient").order_by("id"),
            mapping.consent, lambda row: row.recorded_at, lambda row: row.patient_id,
            {"patient": _patients(), "date": _dates("date", on_date=True),
             "status": _statuses({Consent.Status.GIVEN: "active",
                                  Consent.Status.WITHDRAWN: "inactive"})},
            updated_field="recorded_at",
        ), Source(
            "part2-",
            lambda ids: DisclosureConsent.objects.filter(patient__location_id__in=ids)
            .select_related("patient", "client").order_by("id"),
            mapping.part2_consent, lambda row: row.created_at, lambda row: row.patient_id,
            {"patient": _patients(), "date": _dates("created_at"),
             "status": lambda rows, tokens: _part2_status(rows, tokens)},
            labels=lambda row: [dict(label) for label in serializer.PART2_LABELS],
        ))),
    )
}  # fmt: skip
PATIENT_DATA = frozenset(KINDS) - {"Practitioner", "Organization", "Location", "Questionnaire"}


def _part2_status(rows: QuerySet[Any], tokens: list[Token]) -> QuerySet[Any]:
    asked = {t.code for t in tokens}
    today = timezone.localdate()
    in_force = Q(revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today)
    condition = Q(pk__in=[])
    if "active" in asked:
        condition |= in_force
    if "inactive" in asked:
        condition |= ~in_force
    return rows.filter(condition)


def _ma_status(rows: QuerySet[Any], tokens: list[Token]) -> QuerySet[Any]:
    asked = {t.code for t in tokens}
    condition = Q(pk__in=[])
    if "completed" in asked:
        condition |= Q(stopped_at__isnull=False) & ~Q(stage__in=["paused", "not_given"])
    if "in-progress" in asked:
        condition |= Q(stopped_at__isnull=True) & ~Q(stage__in=["paused", "not_given"])
    if "on-hold" in asked:
        condition |= Q(stage="paused")
    if "not-done" in asked:
        condition |= Q(stage="not_given")
    return rows.filter(condition)


# Reading


def kind_of(name: str) -> Kind:
    if name not in KINDS:
        raise NotFound(f"The resource type {name} is not served here.")
    return KINDS[name]


def _check(reader: Reader, kind: Kind, interaction: str) -> None:
    if not reader.may(kind.name, interaction):
        audit(reader, f"fhir.{kind.name.lower()}.{interaction}", denied=True)
        raise Forbidden(f"The access token's scopes do not cover {interaction} of {kind.name}.")


def serve(source: Source, row: Any, reader: Reader) -> dict[str, Any] | None:
    built = source.build(row)
    if built is None:
        return None
    finished = serializer.finish(
        built,
        last_updated=source.last_updated(row),
        profiles=source.profiles(built),
        security=source.labels(row),
    )
    if reader.part2 is None:
        return finished
    return serializer.disclose(
        finished,
        to_client=True,
        consented=bool(reader.emergency) or consented(source, row, reader),
    )


def consented(source: Source, row: Any, reader: Reader) -> bool:
    """Whether a consent in force for the reader covers this row (its patient, and for a
    substance-use instrument's record, that instrument)."""
    patient = source.patient_of(row)
    if reader.part2 is None or patient is None or patient not in reader.part2:
        return False
    instrument = getattr(row, "instrument", None)
    if reader.part2_records is None or instrument not in serializer.SUD_INSTRUMENTS:
        return True
    return instrument in reader.part2_records.get(patient, frozenset())


def withheld(source: Source, row: Any, reader: Reader) -> bool:
    """Whether Part 2 keeps this row from the reader (cheap: no mapping)."""
    return (
        reader.part2 is not None
        and not reader.emergency
        and bool(source.labels(row))
        and not consented(source, row, reader)
    )


def disclosed(source: Source, row: Any, reader: Reader) -> bool:
    return (
        reader.part2 is not None and bool(source.labels(row)) and not withheld(source, row, reader)
    )


def log_disclosures(reader: Reader, served: Iterable[tuple[Source, Any, str]]) -> None:
    """One accounting row per patient whose Part 2 records this request disclosed."""
    if reader.part2 is None or reader.client_id is None:
        return
    per_patient: dict[int, Counter[str]] = {}
    for source, row, type_name in served:
        patient_id = source.patient_of(row)
        if patient_id is not None and disclosed(source, row, reader):
            per_patient.setdefault(patient_id, Counter())[type_name] += 1
    if per_patient:
        actions.record_disclosures(
            reader.client_id, per_patient, reader.part2, emergency=reader.emergency
        )


def read(reader: Reader, kind: Kind, resource_id: str) -> dict[str, Any]:
    """One resource, audited; NotFound for a missing one or one outside the reader's
    locations (audited as denied), Forbidden when the scopes do not cover it."""
    _check(reader, kind, scopes.READ)
    action = f"fhir.{kind.name.lower()}.read"
    if kind.name == "Questionnaire":
        if resource_id not in loader.instrument_codes():
            raise NotFound(f"Questionnaire/{resource_id} is not known.")
        audit(reader, action, object_id=resource_id)
        return questionnaire(resource_id)
    for source in kind.sources:
        pk = source.pk(resource_id)
        if pk is None:
            continue
        row = source.rows(reader.location_ids).filter(pk=pk).first()
        if row is not None and withheld(source, row, reader):
            audit(reader, action, object_id=resource_id, patient_id=source.patient_of(row),
                  denied=True)  # fmt: skip
            raise Forbidden(WITHHELD)
        served = serve(source, row, reader) if row is not None else None
        if served is not None:
            audit(reader, action, object_id=resource_id, patient_id=source.patient_of(row))
            log_disclosures(reader, [(source, row, kind.name)])
            return served
    audit(reader, action, object_id=resource_id, denied=True)
    raise NotFound(f"{kind.name}/{resource_id} is not known.")


@dataclass
class Page:
    total: int
    resources: list[dict[str, Any]]
    included: list[dict[str, Any]]
    withheld: int = 0


def search(reader: Reader, kind: Kind, query: Query) -> Page:
    _check(reader, kind, scopes.SEARCH)
    if kind.name == "Questionnaire":
        return _search_questionnaires(reader, query)
    tables = [(source, _filtered(source, reader, query)) for source in kind.sources]
    counts = [rows.count() for _, rows in tables]
    offset, wanted = query.offset, query.count
    found: list[tuple[Source, Any]] = []
    for (source, rows), count in zip(tables, counts, strict=True):
        if offset >= count:
            offset -= count
            continue
        if wanted > 0:
            page = list(rows[offset : offset + wanted])
            found += [(source, row) for row in page]
            wanted -= len(page)
        offset = 0
    resources = [r for r in (serve(s, row, reader) for s, row in found) if r is not None]
    kept_back = sum(withheld(s, row, reader) for s, row in found)
    log_disclosures(reader, [(s, row, kind.name) for s, row in found])
    patient_ids = {s.patient_of(row) for s, row in found} - {None}
    included = _included(reader, query, patient_ids)
    audit(
        reader,
        f"fhir.{kind.name.lower()}.search",
        patient_id=next(iter(patient_ids)) if len(patient_ids) == 1 else "",
        ids=[r["id"] for r in resources + included],
    )
    return Page(sum(counts), resources, included, kept_back)


def _filtered(source: Source, reader: Reader, query: Query) -> QuerySet[Any]:
    rows = source.rows(reader.location_ids)
    for name, _kind, value in query.filters:
        if name == "_id":
            rows = rows.filter(pk__in=[p for t in value if (p := source.pk(t.code)) is not None])
        elif name == "_lastUpdated":
            if source.updated_field is None:
                rows = rows if _matches(REFERENCE_DATA, value) else rows.none()
            else:
                rows = _dates(source.updated_field)(rows, value)
        else:
            rows = source.filters[name](rows, value)
    return rows


def _matches(moment: datetime, value: DateRange) -> bool:
    low, high, negate = value.bounds()
    inside = (low is None or moment >= low) and (high is None or moment < high)
    return inside != negate


def _included(reader: Reader, query: Query, patient_ids: set[Any]) -> list[dict[str, Any]]:
    if not query.includes or not patient_ids or not reader.may("Patient", scopes.READ):
        return []
    source = KINDS["Patient"].sources[0]
    rows = source.rows(reader.location_ids).filter(pk__in=patient_ids).order_by("id")
    return [r for r in (serve(source, row, reader) for row in rows) if r is not None]


def questionnaire(code: str) -> dict[str, Any]:
    return serializer.finish(
        mapping.questionnaire(code),
        last_updated=REFERENCE_DATA,
        profiles=[],
    )


def _search_questionnaires(reader: Reader, query: Query) -> Page:
    codes = list(loader.instrument_codes())
    for name, _kind, value in query.filters:
        if name == "_id":
            codes = [c for c in codes if c in {t.code for t in value}]
        elif name == "_lastUpdated" and not _matches(REFERENCE_DATA, value):
            codes = []
    page = codes[query.offset : query.offset + query.count]
    resources = [questionnaire(code) for code in page]
    audit(reader, "fhir.questionnaire.search", ids=page)
    return Page(len(codes), resources, [])


def audit(
    reader: Reader,
    action: str,
    *,
    object_id: str = "",
    patient_id: Any = "",
    ids: list[str] | None = None,
    denied: bool = False,
) -> None:
    detail: dict[str, Any] = {"via": "fhir"}
    if reader.client_id is not None:
        detail["client"] = reader.client_id
    if ids is not None:
        detail["ids"] = ids
    record(
        action[:64],
        user=reader.user,
        username=reader.name,
        object_type="fhir",
        object_id=object_id,
        patient_id=patient_id or "",
        outcome=AuditEvent.Outcome.DENIED if denied else AuditEvent.Outcome.SUCCESS,
        detail=detail,
    )
