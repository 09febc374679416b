"""The controlled-substance log of one registered location (ketamine, DEA Schedule III).

Every record belongs to one location: DEA and both states register each place where
stock is kept, and the continuing records are kept separately for each registered
location (CLINICAL.md §8.2, §8.6, 21 CFR 1304.21(b)).

- Receipt: stock as it arrived, against an invoice, dated the day it was actually
  received (1304.21(d)). Schedule III is ordered on an invoice: DEA Form 222 is for
  Schedules I–II only, so none is asked for (CLINICAL.md §8.4 [A5]).
- Vial: one container received (NDC, lot, expiry, mg/mL, mL), numbered per location.
- Movement: the ledger. Each line moves one vial's volume (received, drawn for an
  administration, disposed of, returned, adjusted after a count, lost or stolen), says
  who and when (and the witness where one is required), and carries the vial's balance
  after it, so the running balance is written down as on a paper log.
- Count, CountLine: daily counts and the initial and biennial inventories (1304.11,
  §8.5), each signed by the person who took it.

Nothing here is ever changed or deleted: the models refuse it and database triggers
(triggers.py) refuse raw SQL too. A mistake is put right by a further line (an
adjustment with its explanation), never by rewriting one. Records are kept at least
two years (1304.04(a), 105 CMR 700.006(B); CLINICAL.md §8.4): there is no purge.
"""

from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan

from dendrite.clinics.models import Location
from dendrite.patients.models import Patient
from dendrite.scheduling.models import Appointment

from . import balances

STAFF = settings.AUTH_USER_MODEL
# SQLite keeps decimals as binary floating point, where 2.8 − 2.5 is not exactly 0.3:
# the database's own check of drawn = given + wasted allows less than half a hundredth.
HALF_HUNDREDTH = models.Value(Decimal("0.005"))


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The controlled-substance log cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The controlled-substance log cannot be deleted.")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The controlled-substance log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The controlled-substance log cannot be deleted.")


def volume(**kwargs: Any) -> models.DecimalField:
    """Millilitres to the hundredth (balances.ML)."""
    return models.DecimalField(max_digits=8, decimal_places=2, **kwargs)


class CountKind(models.TextChoices):
    DAILY = "daily", "Daily count"
    INITIAL = "initial", "Initial inventory"
    BIENNIAL = "biennial", "Biennial inventory"


class CountTiming(models.TextChoices):
    # An inventory states whether it was taken at the opening or the close of business
    # (1304.11; CLINICAL.md §8.5).
    OPENING = "opening", "At the opening of business"
    CLOSE = "close", "At the close of business"


class MovementKind(models.TextChoices):
    RECEIVED = "received", "Received"
    ADMINISTERED = "administered", "Drawn for an infusion"
    DISPOSED = "disposed", "Disposed of"
    RETURNED = "returned", "Returned to the supplier"
    ADJUSTED = "adjusted", "Corrected after a count"
    LOST = "lost", "Lost or stolen"


class Receipt(AppendOnly):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField("date received")  # the day it actually arrived (1304.21(d))
    supplier_name = models.CharField(max_length=200)
    supplier_address = models.CharField(max_length=300)
    supplier_dea_number = models.CharField("supplier's DEA number", max_length=9)
    invoice_number = models.CharField(max_length=60)
    received_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    note = models.TextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Invoice {self.invoice_number} from {self.supplier_name}"


class VialQuerySet(AppendOnlyQuerySet["Vial"]):
    def with_balance(self) -> "VialQuerySet":
        """Each vial's balance (mL) and first draw, read from its ledger in SQL."""
        last = Movement.objects.filter(vial=models.OuterRef("pk")).order_by("-seq")
        first_draw = Movement.objects.filter(
            vial=models.OuterRef("pk"), kind=MovementKind.ADMINISTERED
        ).order_by("seq")
        return self.annotate(
            balance_ml=models.functions.Coalesce(
                models.Subquery(last.values("balance_after_ml")[:1]),
                models.Value(balances.ZERO),
                output_field=models.DecimalField(max_digits=8, decimal_places=2),
            ),
            opened_at=models.Subquery(first_draw.values("at")[:1]),
        )

    def in_stock(self) -> "VialQuerySet":
        return self.with_balance().filter(balance_ml__gt=0)


def settled[V: "Vial"](vial: V) -> V:
    """The vial with its annotated balance to the hundredth. SQLite hands computed
    decimals back through a float (7.2 as 7.20000000000000): same value, untidy digits."""
    vial.balance_ml = balances.to_ml(vial.balance_ml)
    return vial


class Vial(AppendOnly):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="vials")
    number = models.PositiveIntegerField()  # "Vial 12" at this location
    ndc = models.CharField("NDC", max_length=13)
    lot = models.CharField(max_length=40)
    expires_on = models.DateField("expiry date")
    concentration_mg_per_ml = models.DecimalField(
        "strength (mg/mL)", max_digits=6, decimal_places=2
    )
    volume_ml = volume(verbose_name="volume (mL)")
    multiple_dose = models.BooleanField(default=True)
    stored_in = models.CharField(max_length=100, blank=True)

    objects = VialQuerySet.as_manager()
    # Read from the ledger by VialQuerySet.with_balance() (and so in_stock()); not a column.
    balance_ml: Decimal

    class Meta:
        ordering = ["location", "number"]
        constraints = [
            models.UniqueConstraint(fields=["location", "number"], name="vial_number_per_location"),
            models.CheckConstraint(
                condition=Q(concentration_mg_per_ml__gt=0), name="vial_concentration_positive"
            ),
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="vial_volume_positive"),
        ]

    def __str__(self) -> str:
        return f"Vial {self.number}"

    @property
    def label(self) -> str:
        return (
            f"Vial {self.number}: {self.concentration_mg_per_ml} mg/mL, "
            f"{self.volume_ml} mL, lot {self.lot}"
        )

    @property
    def content_mg(self) -> Any:
        return balances.mg(self.volume_ml, self.concentration_mg_per_ml)


class Count(AppendOnly):
    Kind = CountKind
    Timing = CountTiming

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    timing = models.CharField(max_length=10, choices=Timing.choices)
    taken_at = models.DateTimeField()
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()  # when the taker's own code was checked
    expected_ml = volume(verbose_name="expected (mL)")
    counted_ml = volume(verbose_name="counted (mL)")
    has_discrepancy = models.BooleanField("difference found")
    explanation = models.TextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CountKind.values), name="count_kind_known"),
            models.CheckConstraint(
                condition=Q(timing__in=CountTiming.values), name="count_timing_known"
            ),
            models.CheckConstraint(
                condition=Q(has_discrepancy=False) | ~Q(explanation=""),
                name="count_discrepancy_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class CountLine(AppendOnly):
    count = models.ForeignKey(Count, on_delete=models.PROTECT, related_name="lines")
    vial = models.ForeignKey(Vial, on_delete=models.PROTECT, related_name="+")
    expected_ml = volume(verbose_name="expected (mL)")
    counted_ml = volume(verbose_name="counted (mL)")
    estimated = models.BooleanField(default=False)  # an opened CIII vial may be estimated

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["vial__number"]
        constraints = [
            models.UniqueConstraint(fields=["count", "vial"], name="one_line_per_vial_per_count"),
            models.CheckConstraint(condition=Q(counted_ml__gte=0), name="counted_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.vial} in {self.count}"

    @property
    def difference_ml(self) -> Any:
        return self.counted_ml - self.expected_ml


class Movement(AppendOnly):
    Kind = MovementKind

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    vial = models.ForeignKey(Vial, on_delete=models.PROTECT, related_name="movements")
    seq = models.PositiveIntegerField(
        "entry number for the vial"
    )  # 1, 2, 3 … per vial: two writers cannot both add n
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField("when")  # when it happened (1304.21(d))
    recorded_at = models.DateTimeField()
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    change_ml = volume(verbose_name="change (mL)")  # + into the vial's balance, − out of it
    balance_after_ml = volume(verbose_name="balance after (mL)")
    # An administration: drawn = given + wasted (the waste is not inventory, §8.7).
    drawn_ml = volume(verbose_name="drawn (mL)", null=True, blank=True)
    given_ml = volume(verbose_name="given (mL)", null=True, blank=True)
    wasted_ml = volume(verbose_name="wasted (mL)", null=True, blank=True)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    count = models.ForeignKey(
        Count, on_delete=models.PROTECT, related_name="adjustments", null=True, blank=True
    )
    method = models.CharField(max_length=200, blank=True)  # of waste or disposal
    reference = models.CharField(max_length=100, blank=True)  # invoice, Form 41/106, …
    note = models.TextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["location", "at"], name="movement_location_at")]
        constraints = [
            models.UniqueConstraint(fields=["vial", "seq"], name="one_movement_per_vial_seq"),
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="movement_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(balance_after_ml__gte=0), name="movement_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind="received", change_ml__gt=0)
                | Q(kind="adjusted") & ~Q(change_ml=0)
                | Q(kind__in=["administered", "disposed", "returned", "lost"], change_ml__lt=0),
                name="movement_change_direction",
            ),
            models.CheckConstraint(
                condition=~Q(kind="administered")
                | Q(
                    LessThan(Abs(F("drawn_ml") - F("given_ml") - F("wasted_ml")), HALF_HUNDREDTH),
                    drawn_ml__gt=0,
                    given_ml__gte=0,
                    wasted_ml__gte=0,
                    change_ml=-F("drawn_ml"),
                    patient__isnull=False,
                ),
                name="administration_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(kind="administered") | Q(wasted_ml=0) | Q(witness__isnull=False),
                name="waste_witnessed",
            ),
            models.CheckConstraint(
                condition=Q(witness__isnull=True) | ~Q(witness=F("by")),
                name="witness_is_someone_else",
            ),
            models.CheckConstraint(
                condition=~Q(kind="adjusted") | Q(count__isnull=False),
                name="adjustment_from_a_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.vial}"

    @property
    def change_mg(self) -> Any:
        return balances.mg(self.change_ml, self.vial.concentration_mg_per_ml)


class DailyCountReminder(models.Model):
    """The nurses of a location were reminded that the day's count was not signed: one
    row per location and day, so the sweep reminds once however often it runs. Not part
    of the log itself (a reminder moves no ketamine)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # the location's local date
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "day"], name="one_count_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"Count reminder, {self.location}, {self.day}"
