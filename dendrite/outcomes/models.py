"""The clinic's outcome settings: the thresholds of response, remission and the booster
rule, per organisation, edited by clinic admins in the back office. The defaults are the
published definitions (CLINICAL.md §2); where the sources say definitions vary, the
clinic's medical director decides (status.py explains each number)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from . import status


class OutcomeSettings(models.Model):
    organization = models.OneToOneField(
        "clinics.Organization", on_delete=models.CASCADE, related_name="outcome_settings"
    )
    # Response: >= 50 % below baseline - CLINICAL.md §2 [R49][R50]
    response_percent = models.PositiveSmallIntegerField(
        "response: per cent below baseline",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # Remission: PHQ-9 < 5 - CLINICAL.md §2 [R49]
    remission_below = models.PositiveSmallIntegerField(
        "remission: PHQ-9 below",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    # Minimal clinically important change: 5 PHQ-9 points - CLINICAL.md §2 [R8]
    mcid_points = models.PositiveSmallIntegerField(
        "meaningful change: PHQ-9 points",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    # The booster rule has no published threshold (CLINICAL.md §11.2): the clinic's own.
    booster_rise_points = models.PositiveSmallIntegerField(
        "booster review: PHQ-9 rise from the lowest score",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    booster_back_to = models.PositiveSmallIntegerField(
        "booster review: or PHQ-9 back to",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    booster_in_a_row = models.PositiveSmallIntegerField(
        "booster review: measurements in a row",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    booster_due_days = models.PositiveSmallIntegerField(
        "booster review: due within (days)",
        default=7,
        validators=[MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = "outcome settings"
        verbose_name_plural = "outcome settings"

    def __str__(self) -> str:
        return f"Outcome settings of {self.organization}"

    @classmethod
    def for_organization(cls, organization_id: int) -> "OutcomeSettings":
        """The organisation's settings, or the defaults (unsaved) if none were saved."""
        found = cls.objects.filter(organization_id=organization_id).first()
        return found or cls(organization_id=organization_id)

    def thresholds(self, instrument: str) -> status.Thresholds:
        if instrument == "phq-9":
            return status.Thresholds(self.response_percent, self.remission_below, self.mcid_points)
        return status.Thresholds(self.response_percent)

    def booster_rule(self) -> status.BoosterRule:
        return status.BoosterRule(
            self.booster_rise_points, self.booster_back_to, self.booster_in_a_row
        )


class RuleSweep(models.Model):
    """When a rule's sweep (a cron command) last started, so the next run looks only at
    patients with questionnaires recorded since."""

    name = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
