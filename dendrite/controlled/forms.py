"""The forms of the controlled-substance screens. Every volume is a Decimal in mL and
every strength in mg/mL (forms.DecimalField never yields a float); every refusal is a
sentence tied to its field."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dendrite.accounts.models import CLINICAL_ROLES, User
from dendrite.clinics.models import Location
from dendrite.clinics.registration import dea_number_ok, normalise

from .actions import WITNESS_CODE, confirm_witness
from .models import Count, Movement, Vial

# Marketed ketamine injection strengths (CLINICAL.md §8.1 [A38a][A38c][A38d]).
STRENGTHS = [("10", "10 mg/mL"), ("50", "50 mg/mL"), ("100", "100 mg/mL")]
# The three 10-digit NDC layouts (4-4-2, 5-3-2, 5-4-1) and the 11-digit 5-4-2 billing form.
NDC = re.compile(r"^(\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2})$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ml_field(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=8, decimal_places=2, min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Please enter a number of millilitres, for example 2.5.",
            "max_decimal_places": "Volumes are recorded to a hundredth of a millilitre.",
            "min_value": "The volume cannot be less than 0 mL.",
        },
        **kwargs,
    )  # fmt: skip


class ReceiveForm(forms.Form):
    received_on = forms.DateField(label="Date received", widget=DATE)
    supplier_name = forms.CharField(label="Supplier", max_length=200)
    supplier_address = forms.CharField(label="Supplier's address", max_length=300)
    supplier_dea_number = forms.CharField(
        label="Supplier's DEA number", max_length=9, help_text="Two letters and seven digits."
    )
    invoice_number = forms.CharField(label="Invoice or packing-slip number", max_length=60)
    vials = forms.IntegerField(label="Number of vials", min_value=1, max_value=100)
    ndc = forms.CharField(label="NDC", max_length=13, help_text="As printed, e.g. 0409-2051-05.")
    lot = forms.CharField(label="Lot number", max_length=40)
    expires_on = forms.DateField(label="Expiry date", widget=DATE)
    concentration_mg_per_ml = forms.TypedChoiceField(
        label="Strength", choices=STRENGTHS, coerce=Decimal
    )
    volume_ml = ml_field("Volume of each vial (mL)", max_value=Decimal("100"))
    stored_in = forms.CharField(
        label="Stored in", max_length=100, required=False,
        help_text="For example the locked cabinet or safe it is kept in.",
    )  # fmt: skip
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, location: Location, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = location.local_now().date()
        self.fields["volume_ml"].min_value = Decimal("0.01")

    def clean_received_on(self) -> dt.date:
        day = self.cleaned_data["received_on"]
        if day > self.today:
            raise ValidationError("The date received cannot be in the future.")
        return day

    def clean_supplier_dea_number(self) -> str:
        number = normalise(self.cleaned_data["supplier_dea_number"])
        if not dea_number_ok(number):
            raise ValidationError(
                "That is not a valid DEA number. Please copy it from the invoice."
            )
        return number

    def clean_ndc(self) -> str:
        ndc = self.cleaned_data["ndc"].strip()
        if not NDC.match(ndc):
            raise ValidationError("Please enter the NDC with its dashes, as on the label.")
        return ndc

    def clean_expires_on(self) -> dt.date:
        day = self.cleaned_data["expires_on"]
        if day < self.today:
            raise ValidationError("This stock has already expired; it cannot be received.")
        return day

    def clean_volume_ml(self) -> Decimal:
        volume = self.cleaned_data["volume_ml"]
        if volume <= 0:
            raise ValidationError("Enter the volume of each vial, more than 0 mL.")
        return volume


def code_field(label: str = "Your own six-digit code") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=32,
        help_text="The current code from your authenticator app, as your signature.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip


class CountForm(forms.Form):
    """A blind count: the measured volume of every vial in stock, without its balance."""

    kind = forms.ChoiceField(label="Kind of count", choices=Count.Kind.choices)
    timing = forms.ChoiceField(
        label="Taken", choices=Count.Timing.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label="Explanation of any difference", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only if what you found differs from the log.",
    )  # fmt: skip

    def __init__(self, *args: Any, vials: list[Vial], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vials = vials
        for vial in vials:
            self.fields[f"vial_{vial.pk}"] = ml_field(f"{vial.label}: volume found (mL)")
            self.fields[f"estimated_{vial.pk}"] = forms.BooleanField(
                label=f"Vial {vial.number} is opened and the volume is estimated",
                required=False,
            )
        self.fields["code"] = code_field()

    def signature_code(self) -> str:
        """As typed, without spaces or dashes (recovery codes are shown with a dash)."""
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()

    def vial_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"vial_{v.pk}"], self[f"estimated_{v.pk}"]) for v in self.vials]

    def counted(self) -> dict[int, tuple[Decimal, bool]]:
        data = self.cleaned_data
        return {v.pk: (data[f"vial_{v.pk}"], data[f"estimated_{v.pk}"]) for v in self.vials}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        differs = any(data[f"vial_{v.pk}"] != v.balance_ml for v in self.vials)
        if differs and not data.get("explanation", "").strip():
            self.add_error(
                "explanation",
                "What you found differs from the log. Please explain the difference.",
            )
        return data


def clinicians_at(location: Location, but: User) -> Any:
    return (
        User.objects.filter(locations=location, role__in=CLINICAL_ROLES, is_active=True)
        .exclude(pk=but.pk)
        .order_by("last_name", "first_name")
    )


class VialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label}, {obj.balance_ml} mL left"


class LossForm(forms.Form):
    vial = VialChoice(label="Vial", queryset=Vial.objects.none(), empty_label="Choose a vial")
    volume_ml = ml_field("Volume lost (mL)")
    discovered_at = forms.DateTimeField(
        label="Discovered at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    description = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Theft, breakage, a spill or a vial that cannot be found; who found it and how.",
    )  # fmt: skip

    def __init__(self, *args: Any, location: Location, vials: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.location = location
        self.fields["vial"].queryset = vials  # type: ignore[attr-defined]

    def clean_discovered_at(self) -> dt.datetime:
        at = self.cleaned_data["discovered_at"]
        if at > timezone.now():
            raise ValidationError("The time of discovery cannot be in the future.")
        return at

    def clean_volume_ml(self) -> Decimal:
        volume = self.cleaned_data["volume_ml"]
        if volume <= 0:
            raise ValidationError("Enter the volume lost, more than 0 mL.")
        return volume


class DisposeForm(forms.Form):
    vial = VialChoice(label="Vial", queryset=Vial.objects.none(), empty_label="Choose a vial")
    kind = forms.ChoiceField(
        label="How it leaves the stock",
        choices=[
            (Movement.Kind.DISPOSED, "Disposed of (reverse distributor or destroyed on site)"),
            (Movement.Kind.RETURNED, "Returned to the supplier"),
        ],
        widget=forms.RadioSelect,
    )
    method = forms.CharField(
        label="Manner", max_length=200,
        help_text="For example the reverse distributor's name, or how it was destroyed.",
    )  # fmt: skip
    reference = forms.CharField(
        label="Reference", max_length=100, required=False,
        help_text="The DEA Form 41 or the return paperwork's number, if any.",
    )  # fmt: skip
    witness = forms.ModelChoiceField(
        label="Witness", queryset=User.objects.none(), required=False,
        empty_label="No witness", help_text="A second nurse or prescriber; required to dispose.",
    )  # fmt: skip
    witness_code = forms.CharField(
        label="The witness's own six-digit code", max_length=32, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )  # fmt: skip

    def __init__(
        self, *args: Any, location: Location, vials: Any, user: User, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vial"].queryset = vials  # type: ignore[attr-defined]
        self.fields["witness"].queryset = clinicians_at(location, user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        witness = data.get("witness")
        if data.get("kind") == Movement.Kind.DISPOSED and witness is None:
            self.add_error("witness", "A disposal is witnessed by a second nurse or prescriber.")
        elif (
            witness is not None
            and not self.errors
            and not confirm_witness(witness, data.get("witness_code", ""))
        ):
            self.add_error("witness_code", WITNESS_CODE)
        return data


class ExportForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date cannot be before the start date.")
        return data
