import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from . import registration

# What a state controlled-substance registration looks like on its certificate: letters,
# digits, dots and dashes (MA "MCSR" and CT "CSP" numbers differ in layout, so only the
# characters are held).
STATE_REGISTRATION = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\- ]{2,29}$",
    "Please copy the registration number as printed on the state certificate: letters, "
    "digits, dots and dashes.",
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone, such as America/New_York.")


def validate_dea_number(value: str) -> None:
    if not registration.dea_number_ok(value):
        raise ValidationError(
            "That is not a valid DEA registration number: it is two letters and seven "
            "digits, and the last digit must match the others. Please copy it from the "
            "registration certificate."
        )


class Organization(models.Model):
    """The clinic business: one per deployment, or one per member of a network."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    mrn_prefix = models.CharField(
        max_length=8, help_text="Prefix of medical record numbers issued by this organisation."
    )

    def __str__(self) -> str:
        return self.name


class LocationQuerySet(models.QuerySet["Location"]):
    def active(self) -> "LocationQuerySet":
        return self.filter(is_active=True)

    def with_hours(self) -> "LocationQuerySet":
        """Everything a location card shows, in a fixed number of queries."""
        return self.select_related("organization").prefetch_related(
            "opening_hours",
            "closures",
            models.Prefetch("chairs", queryset=Chair.objects.filter(is_active=True)),
        )


class Location(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, help_text="Two-letter US state code, such as MA.")
    postal_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=32)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(default=True)
    first_response_business_days = models.PositiveSmallIntegerField(
        default=1, help_text="Leads should have a first response within this many open days."
    )

    # The registration that lets this place keep ketamine: DEA and the state register
    # each location where stock is kept (21 CFR 1301.12(a); MA MCSR, CT CSR), and its
    # log's export for an inspector is headed with them.
    registrant_name = models.CharField(
        "registrant", max_length=200, blank=True,
        help_text="The practitioner or business the registrations are in the name of. "
        "Left empty, the organisation's name is used.",
    )  # fmt: skip
    dea_number = models.CharField(
        "DEA registration number", max_length=9, blank=True,
        validators=[validate_dea_number], help_text="Two letters and seven digits.",
    )  # fmt: skip
    state_registration_number = models.CharField(
        "state controlled-substance registration number", max_length=30, blank=True,
        validators=[STATE_REGISTRATION],
        help_text="In Massachusetts the MCSR number; in Connecticut the CSR number.",
    )  # fmt: skip
    daily_count_due_by = models.TimeField(
        "daily ketamine count due by", default=dt.time(10),
        help_text="On open days with ketamine in stock, the nurses are reminded if no daily "
        "count is signed by this local time.",
    )  # fmt: skip

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        self.dea_number = registration.normalise(self.dea_number)
        self.state_registration_number = self.state_registration_number.strip()
        super().clean_fields(exclude=exclude)

    @property
    def registrant(self) -> str:
        return self.registrant_name or self.organization.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address_lines(self) -> list[str]:
        return [self.street, f"{self.city}, {self.state} {self.postal_code}"]

    def local_now(self) -> dt.datetime:
        return dt.datetime.now(tz=self.tz)

    def closure_on(self, day: dt.date) -> "Closure | None":
        # Reads the prefetched closures (see LocationQuerySet.with_hours).
        return next((c for c in self.closures.all() if c.start_date <= day <= c.end_date), None)

    def hours_on(self, day: dt.date) -> list["OpeningHours"]:
        """Opening intervals on a local date; none when the location is closed that day."""
        if self.closure_on(day) is not None:
            return []
        return [h for h in self.opening_hours.all() if h.weekday == day.weekday()]

    def weekly_hours(self) -> list[tuple[str, list["OpeningHours"]]]:
        """(weekday name, intervals) for Monday to Sunday, for display."""
        return [
            (label, [h for h in self.opening_hours.all() if h.weekday == value])
            for value, label in OpeningHours.Weekday.choices
        ]

    def is_open_at(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(self.tz)
        return any(h.opens <= local.time() < h.closes for h in self.hours_on(local.date()))


class OpeningHours(models.Model):
    """One opening interval on one weekday, in the location's local time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="hours_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="hours_weekday_range"
            ),
            models.UniqueConstraint(
                fields=["location", "weekday", "opens"], name="hours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A holiday or other day(s) a location is closed, inclusive of both dates."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=120)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="closure_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.start_date}–{self.end_date})"


class Chair(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="chairs")
    name = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"], name="chair_unique_name_per_location"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.name} · {self.name}"
