"""The chairside forms. Each keeps what was typed and gives a reason per field."""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import SimpleLazyObject

from dendrite import dates
from dendrite.accounts.forms import check_step_up, code_field
from dendrite.accounts.models import CLINICAL_ROLES, User
from dendrite.accounts.step_up import StepUp
from dendrite.clinics.phones import to_e164
from dendrite.controlled import balances
from dendrite.controlled.actions import WITNESS_CODE, confirm_witness
from dendrite.controlled.models import Vial
from dendrite.patients.models import Patient, Sex
from dendrite.scheduling.models import Appointment, Series

from . import dosing, recovery, rules, vitals
from .models import AdverseEvent, HoldDecision, IdentifierKind, InfusionOrder, Pregnancy, StopReason

NUMBER = {"inputmode": "decimal", "autocomplete": "off"}


def _number(
    label: str, *, required: bool = True, places: int = 1, help_text: str = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=6, decimal_places=places, help_text=help_text,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages={"invalid": "Please enter a number, such as 72 or 72.5."},
    )  # fmt: skip


class OrderForm(forms.ModelForm):
    """A prescriber's order, signed with their own code (accounts/step_up.py)."""

    class Meta:
        model = InfusionOrder
        fields = [
            "mg_per_kg",
            "minutes",
            "titrate_to_mg_per_kg",
            "titration",
            "series",
            "appointments",
        ]
        widgets = {
            "appointments": forms.CheckboxSelectMultiple,
            "mg_per_kg": forms.TextInput(attrs=NUMBER),
            "titrate_to_mg_per_kg": forms.TextInput(attrs=NUMBER),
            "titration": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"series": "For the whole series", "appointments": "For these visits"}

    def __init__(self, *args: Any, patient: Patient, step_up: StepUp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_up = step_up
        low, high = settings.INFUSION_MIN_MG_PER_KG, settings.INFUSION_MAX_MG_PER_KG
        self.fields["mg_per_kg"].help_text = f"The clinic allows {low} to {high} mg/kg."
        self.fields[
            "minutes"
        ].help_text = (
            f"From {settings.INFUSION_MIN_MINUTES} to {settings.INFUSION_MAX_MINUTES} minutes."
        )
        self.fields[
            "titrate_to_mg_per_kg"
        ].help_text = "Leave empty if every visit gets the same dose."
        self.fields["series"].queryset = Series.objects.filter(patient=patient)
        self.fields["series"].required = False
        self.fields["appointments"].queryset = (
            Appointment.objects.holding()
            .filter(patient=patient, appointment_type__kind__in=["infusion", "booster"])
            .order_by("starts_at")
        )
        self.fields["appointments"].required = False
        self.fields["appointments"].label_from_instance = lambda a: dates.when(a.local_start)
        self.fields["series"].label_from_instance = lambda s: f"{s.name} ({s.infusions} infusions)"
        self.fields["code"] = code_field(step_up)
        self.fields["code"].label = "Your own six-digit code, to sign"
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("mg_per_kg", settings.INFUSION_DEFAULT_MG_PER_KG)
            self.initial.setdefault("minutes", settings.INFUSION_DEFAULT_MINUTES)

    def _in_range(self, name: str) -> None:
        value = self.cleaned_data.get(name)
        if value is None:
            return
        try:
            dosing.check_mg_per_kg(value, rules.dosing_rules())
        except dosing.DoseError as error:
            self.add_error(name, error.message)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._in_range("mg_per_kg")
        self._in_range("titrate_to_mg_per_kg")
        dose, top = data.get("mg_per_kg"), data.get("titrate_to_mg_per_kg")
        if dose is not None and top is not None and top < dose:
            self.add_error(
                "titrate_to_mg_per_kg", "The highest dose cannot be below the starting dose."
            )
        minutes = data.get("minutes")
        if (
            minutes is not None
            and not settings.INFUSION_MIN_MINUTES <= minutes <= settings.INFUSION_MAX_MINUTES
        ):
            low, high = settings.INFUSION_MIN_MINUTES, settings.INFUSION_MAX_MINUTES
            self.add_error("minutes", f"The clinic allows {low} to {high} minutes.")
        if not data.get("series") and not data.get("appointments"):
            self.add_error(
                "appointments", "Please choose the visits or the series this order is for."
            )
        check_step_up(self, self.step_up)
        return data


class WeightFields(forms.Form):
    weight = _number("Weight measured today", help_text="On the scale now, not as remembered.")
    weight_unit = forms.ChoiceField(
        label="Unit", choices=[(dosing.KG, "kilograms (kg)"), (dosing.LB, "pounds (lb)")],
        widget=forms.RadioSelect,
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weight, unit = data.get("weight"), data.get("weight_unit")
        if weight is not None and unit:
            try:
                data["weight_kg"] = dosing.check_weight(dosing.to_kg(weight, unit))
                data["weight_entered"] = f"{weight} {unit}"
            except dosing.DoseError as error:
                self.add_error("weight", error.message)
        return data


class VitalsFields(forms.Form):
    systolic = _number("Systolic blood pressure (mmHg)", places=0)
    diastolic = _number("Diastolic blood pressure (mmHg)", places=0)
    heart_rate = _number("Heart rate (beats a minute)", places=0)
    spo2 = _number("Oxygen saturation (%)", places=0)
    resp_rate = _number("Breathing rate (breaths a minute)", places=0)
    temperature = _number("Temperature (°C)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in vitals.MEASURES:
            value = data.get(key)
            problem = vitals.implausible(key, value) if value is not None else None
            if problem:
                self.add_error(key, problem)
        if data.get("systolic") and data.get("diastolic") and data["diastolic"] >= data["systolic"]:
            self.add_error("diastolic", "The diastolic pressure must be lower than the systolic.")
        return data

    def values(self) -> dict[str, Decimal | None]:
        return {key: self.cleaned_data.get(key) for key in vitals.MEASURES}


class CheckForm(WeightFields, VitalsFields):
    identifiers = forms.MultipleChoiceField(
        label="Patient identified by", choices=IdentifierKind.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Confirm at least two.",
    )  # fmt: skip
    consent_confirmed = forms.BooleanField(label="Treatment consent is signed and in force")
    fasting_hours = _number("Hours since the patient last ate", required=False)
    escort_name = forms.CharField(
        label="Escort's name", max_length=120, help_text="Who takes the patient home."
    )
    escort_phone = forms.CharField(label="Escort's phone number", max_length=32)
    pregnancy = forms.ChoiceField(
        label="Pregnancy", choices=Pregnancy.choices, widget=forms.RadioSelect
    )
    questionnaires_reviewed = forms.BooleanField(
        label="Today's questionnaires are done and any safety answer has been reviewed"
    )

    field_order = [
        "identifiers", "consent_confirmed", "fasting_hours", "escort_name", "escort_phone",
        "weight", "weight_unit", "systolic", "diastolic", "heart_rate", "spo2", "resp_rate",
        "temperature", "pregnancy", "questionnaires_reviewed",
    ]  # fmt: skip

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hours = settings.INFUSION_FASTING_HOURS
        if hours:
            self.fields["fasting_hours"].required = True
            self.fields["fasting_hours"].help_text = f"The clinic asks for {hours} hours."
        else:
            del self.fields["fasting_hours"]
        if patient.sex == Sex.MALE:
            self.fields["pregnancy"].initial = Pregnancy.NOT_APPLICABLE
            self.fields["pregnancy"].required = False

    def clean_identifiers(self) -> list[str]:
        chosen = self.cleaned_data["identifiers"]
        if len(chosen) < 2:
            raise forms.ValidationError(
                "Please confirm two identifiers, such as name and date of birth."
            )
        return chosen

    def clean_escort_phone(self) -> str:
        number = to_e164(self.cleaned_data["escort_phone"])
        if number is None:
            raise forms.ValidationError(
                "Please enter a phone number we can call, such as (617) 555-0142."
            )
        return number

    def clean_pregnancy(self) -> str:
        return self.cleaned_data.get("pregnancy") or Pregnancy.NOT_APPLICABLE


class HoldForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", choices=HoldDecision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


def concentration_choices() -> list[tuple[str, str]]:
    return [("", "Choose the vial's strength")] + [
        (str(c), f"{c} mg/mL") for c in rules.concentrations()
    ]


UNKNOWN_CONCENTRATION = (
    "That is not a concentration the clinic stocks. Please read the vial's label again."
)


class ConcentrationField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Concentration on the vial", coerce=Decimal, choices=concentration_choices,
            error_messages={"invalid_choice": UNKNOWN_CONCENTRATION}, **kwargs,
        )  # fmt: skip


NOT_A_VIAL = (
    "That vial cannot be drawn from here: it is empty, at another location, or not in the "
    "log. Please choose one from the list."
)


def vial_label(vial: Vial) -> str:
    """Vial 3 · 50 mg/mL · lot AB1234 · expires … · 7.20 mL (360 mg) left."""
    left_mg = balances.mg(vial.balance_ml, vial.concentration_mg_per_ml)
    expires = f"{vial.expires_on:%B} {vial.expires_on.day}, {vial.expires_on.year}"
    return (
        f"Vial {vial.number}: {vial.concentration_mg_per_ml} mg/mL, lot {vial.lot}, "
        f"expires {expires}, {vial.balance_ml} mL ({left_mg} mg) left"
    )


class PrepareForm(forms.Form):
    """The vial in hand, chosen from the controlled-substance log's vials in use at the
    location (access.vials_to_draw_from): the dose is worked out from its
    concentration."""

    vial = forms.ChoiceField(
        label="Vial from the controlled-substance log",
        error_messages={"invalid_choice": NOT_A_VIAL, "required": "Please choose the vial."},
    )

    def __init__(self, *args: Any, vials: list[Vial], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vials = {str(vial.pk): vial for vial in vials}
        field = self.fields["vial"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose the vial in your hand")] + [
            (pk, vial_label(vial)) for pk, vial in self.vials.items()
        ]
        if not vials:
            field.help_text = (
                "No vial with ketamine left is in the log at this location. Receive stock "
                "in the controlled-substance log first."
            )

    def clean_vial(self) -> Vial:
        return self.vials[self.cleaned_data["vial"]]


class VerifyForm(WeightFields):
    """The second clinician's own reading of the weight and the vial: nothing filled in."""

    concentration = ConcentrationField()


class TitrateForm(forms.Form):
    mg_per_kg = _number("This visit's dose (mg/kg)", places=2)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


WITNESS_IS_DRAWER = "The witness must be someone other than the person who drew the dose."


class _ListedPeople(forms.models.ModelChoiceIterator):
    """The choices from the list the form read once (`PersonChoice.people`), so that two
    lists of the same people cost one query; the choice is still checked against the
    queryset when the form is sent."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for person in self.field.people:
            yield self.choice(person)

    def __len__(self) -> int:
        return len(self.field.people) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.people)


class PersonChoice(forms.ModelChoiceField):
    iterator = _ListedPeople

    @property
    def people(self) -> Any:
        listed = getattr(self, "_people", None)
        return self.queryset if listed is None else listed

    @people.setter
    def people(self, value: Any) -> None:
        self._people = value

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj)


class StopForm(forms.Form):
    """The stop, and the controlled-substance record it makes: who drew the dose from the
    vial, and the second clinician who witnesses what is left over being wasted. The
    witness proves they are at the chair with their own authenticator code (as a
    prescriber signs an order), not by a name picked from a list (CLINICAL.md §8.7)."""

    reason = forms.ChoiceField(
        label="Why the infusion stopped", choices=StopReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", max_length=300, required=False)
    infused_ml = _number("Volume infused, from the pump (mL)", places=2)
    drawn_by = PersonChoice(
        label="Who drew the dose from the vial", queryset=User.objects.none(),
        empty_label="Choose the nurse or prescriber", required=False,
    )  # fmt: skip
    witness = PersonChoice(
        label="Witness to the waste", queryset=User.objects.none(), required=False,
        empty_label="No witness (nothing is wasted)",
        help_text="A second nurse or prescriber who sees what is left over being wasted.",
    )  # fmt: skip
    witness_code = forms.CharField(
        label="The witness's own six-digit code", max_length=32, required=False,
        help_text="Needed when anything is wasted: the witness types it themselves.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip

    def __init__(
        self, *args: Any, location_id: int | None = None, drawer_id: int | None = None,
        witness: User | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(
                locations=location_id, role__in=CLINICAL_ROLES, is_active=True
            ).order_by("last_name", "first_name")
            if location_id is not None
            else User.objects.none()
        )
        listed = SimpleLazyObject(lambda: list(people))  # read once, only if drawn
        for name in ("drawn_by", "witness"):
            field = self.fields[name]
            assert isinstance(field, PersonChoice)
            field.queryset = people
            field.people = listed
        self.initial.setdefault("drawn_by", drawer_id)
        self.initial.setdefault("witness", witness.pk if witness else None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") and data["reason"] != StopReason.COMPLETED and not data.get("note"):
            self.add_error("note", "Please say briefly why the infusion was stopped early.")
        if data.get("infused_ml") is not None and data["infused_ml"] < 0:
            self.add_error("infused_ml", "The volume cannot be below zero.")
        drawer, witness = data.get("drawn_by"), data.get("witness")
        if witness is not None and drawer is not None and witness.pk == drawer.pk:
            self.add_error("witness", WITNESS_IS_DRAWER)
        data["witness_confirmed"] = False
        code = data.get("witness_code", "")
        if witness is not None and code and not self.errors:
            # Checked only once the rest is valid, so a slip elsewhere does not use it up;
            # outside the stop's transaction, so a wrong code's throttle is kept.
            data["witness_confirmed"] = confirm_witness(witness, code)
            if not data["witness_confirmed"]:
                self.add_error("witness_code", WITNESS_CODE)
        return data

    def stop_args(self) -> dict[str, Any]:
        keys = ("reason", "note", "infused_ml", "drawn_by", "witness", "witness_confirmed")
        return {key: self.cleaned_data.get(key) for key in keys}


CADSS_RANGE = "The CADSS total is 0 to 92."


class VitalsForm(VitalsFields):
    cadss = forms.IntegerField(
        label="CADSS score (optional)", required=False, min_value=0, max_value=92,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": CADSS_RANGE, "max_value": CADSS_RANGE},
    )  # fmt: skip


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label="What you did", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class AdverseEventForm(forms.ModelForm):
    class Meta:
        model = AdverseEvent
        fields = ["kind", "other", "severity", "action", "medicine_given", "outcome"]
        labels = {"kind": "What happened"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == AdverseEvent.Kind.OTHER and not data.get("other"):
            self.add_error("other", "Please say what happened.")
        return data


class DischargeForm(forms.Form):
    escort_present = forms.BooleanField(
        label="The escort is here to take the patient home", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        system = settings.INFUSION_DISCHARGE_SCORE
        for item in recovery.ITEMS.get(system, ()):
            self.fields[f"score_{item.key}"] = forms.TypedChoiceField(
                label=item.label, coerce=int, widget=forms.RadioSelect,
                choices=[(points, f"{text} ({points})") for points, text in item.choices],
            )  # fmt: skip

    def answers(self) -> dict[str, int]:
        return {
            k.removeprefix("score_"): v
            for k, v in self.cleaned_data.items()
            if k.startswith("score_")
        }
