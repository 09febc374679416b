"""Record entry for the chart: ModelForms with explicit fields and kind, specific messages."""

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from dendrite.accounts.forms import check_step_up, code_field
from dendrite.clinics.models import Location
from dendrite.clinics.phones import for_display, to_e164
from dendrite.dates import born

from . import filetypes, history_items, icd10
from .models import (
    Allergy,
    Answer,
    Consent,
    Contact,
    Diagnosis,
    Document,
    Medication,
    Patient,
    Provider,
    TriageOverride,
    validate_icd10,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PhoneField(forms.CharField):
    """A telephone number typed any usual way, stored in E.164 (+16175550142)."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if not value:
            return value
        e164 = to_e164(value)
        if e164 is None:
            raise ValidationError(
                "Please enter a telephone number with its area code, such as (617) 555-0142.",
                code="invalid",
            )
        return e164

    def prepare_value(self, value: Any) -> Any:
        # A stored number is shown the usual way; whatever was typed is kept as typed.
        return for_display(value) if isinstance(value, str) and value.startswith("+") else value


def in_sentence(label: str) -> str:
    """A label inside a sentence: "Legal first name" → "legal first name"; "ZIP code" stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


class KindForm(forms.ModelForm):
    """Messages that say which field and what to do, not "This field is required".

    Meta.error_messages, where a form gives them, win over these.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = self._meta.error_messages or {}
        for name, field in self.fields.items():
            messages = self.messages_for(field, in_sentence(str(field.label)))
            field.error_messages.update(messages | own.get(name, {}))
            if isinstance(field, forms.DateField):
                field.input_formats = DATE_INPUT_FORMATS

    @staticmethod
    def messages_for(field: forms.Field, label: str) -> dict[str, str]:
        choose = isinstance(field, forms.ChoiceField)
        messages = {"required": f"Please {'choose' if choose else 'enter'} the {label}."}
        if choose:
            messages["invalid_choice"] = f"Please choose the {label} from the list."
        if isinstance(field, forms.DateField):
            messages["invalid"] = f"Please enter the {label} as a date, such as 1984-03-27."
        if isinstance(field, forms.EmailField):
            messages["invalid"] = "Please enter an e-mail address such as name@example.com."
        if getattr(field, "max_length", None):
            messages["max_length"] = (
                f"Please keep the {label} to {field.max_length} characters or fewer."
            )
        return messages


def not_in_future(value: dt.date | None, what: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(f"The {what} cannot be in the future.")


class PatientForm(KindForm):
    class Meta:
        model = Patient
        fields = [
            "location",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "pronouns",
            "email",
            "phone",
            "street",
            "city",
            "state",
            "postal_code",
            "preferred_language",
        ]
        field_classes = {"phone": PhoneField}
        widgets = {"date_of_birth": DateInput()}
        help_texts = {
            "first_name": "As on their ID and insurance.",
            "preferred_name": "What they like to be called, if different.",
            "date_of_birth": "Such as 1984-03-27.",
            "sex": "Administrative sex, as insurers and laboratories ask for it.",
            "pronouns": "Such as she/her, he/him or they/them.",
            "phone": "With the area code, such as (617) 555-0142.",
        }

    GROUPS = (
        (
            "Who they are",
            (
                "location",
                "first_name",
                "last_name",
                "preferred_name",
                "date_of_birth",
                "sex",
                "pronouns",
            ),
        ),
        (
            "How to reach them",
            (
                "email",
                "phone",
                "preferred_language",
                "street",
                "city",
                "state",
                "postal_code",
            ),
        ),
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        locations = Location.objects.filter(pk__in=user.location_ids, is_active=True)
        if self.instance.pk is not None:
            # The MRN belongs to the organisation: a patient moves only within it.
            locations = locations.filter(organization_id=self.instance.organization_id)
        self.fields["location"].queryset = locations
        self.fields["location"].empty_label = None
        for name in ("first_name", "last_name", "preferred_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in fieldsets, for the template."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        not_in_future(born, "date of birth")
        if born < dt.date(1900, 1, 1):
            raise ValidationError("Please check the year of birth: it is before 1900.")
        return born


class ContactForm(KindForm):
    class Meta:
        model = Contact
        fields = ["kind", "name", "relationship", "phone"]
        field_classes = {"phone": PhoneField}
        labels = {"kind": "Kind of contact"}
        help_texts = {"relationship": "Such as partner, parent or friend."}


class ProviderForm(KindForm):
    class Meta:
        model = Provider
        fields = ["name", "practice", "phone", "fax"]
        field_classes = {"phone": PhoneField, "fax": PhoneField}
        labels = {"name": "Provider's name", "fax": "Fax"}


class DiagnosisForm(KindForm):
    # No length limit of its own: the shape check says what is wrong with a long code.
    code = forms.CharField(
        label="ICD-10-CM code", help_text="Such as F33.1. Common codes are offered as you type."
    )

    class Meta:
        model = Diagnosis
        fields = ["code", "description"]
        help_texts = {
            "description": "Filled in for codes on the clinic's list when left empty.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"list": "icd10-codes", "autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["description"].required = False

    def clean_code(self) -> str:
        code = icd10.normalize(self.cleaned_data["code"])
        validate_icd10(code)
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        code = cleaned.get("code")
        if code and not cleaned.get("description"):
            cleaned["description"] = icd10.description_of(code)
            if not cleaned["description"]:
                self.add_error(
                    "description",
                    f"{code} is not on the clinic's list, so please describe the diagnosis.",
                )
        return cleaned


class MedicationForm(KindForm):
    class Meta:
        model = Medication
        fields = ["name", "dose", "frequency", "started_on", "active"]
        labels = {"name": "Medication"}
        widgets = {"started_on": DateInput()}

    def clean_started_on(self) -> dt.date | None:
        started = self.cleaned_data["started_on"]
        not_in_future(started, "start date")
        return started


class AllergyForm(KindForm):
    class Meta:
        model = Allergy
        fields = ["substance", "reaction", "severity"]
        help_texts = {
            "substance": "A medicine, food or material, such as penicillin or latex.",
            "reaction": "Such as rash, swelling or anaphylaxis.",
        }


class ConsentForm(KindForm):
    class Meta:
        model = Consent
        fields = ["kind", "status", "date"]
        labels = {"kind": "Consent to", "date": "Date given or withdrawn"}
        error_messages = {
            "kind": {
                "required": "Please choose what the consent is for.",
                "invalid_choice": "Please choose what the consent is for from the list.",
            },
            "status": {"required": "Please choose whether consent was given or withdrawn."},
        }
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "date": DateInput(),
        }

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        not_in_future(date, "date of the consent")
        return date


class TriageOverrideForm(KindForm):
    class Meta:
        model = TriageOverride
        fields = ["reason"]
        labels = {"reason": "Why infusions may go ahead"}
        help_texts = {
            "reason": "What you reviewed and why ketamine is suitable for this patient now."
        }
        error_messages = {
            "reason": {
                "required": "Please give the reason for the override: what you reviewed and "
                "why ketamine is suitable now."
            }
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


def documents_max_bytes() -> int:
    return settings.DOCUMENTS_MAX_BYTES


def size_in_words(size: int) -> str:
    megabyte = 1024 * 1024
    return f"{size // megabyte} MB" if size % megabyte == 0 else filesizeformat(size)


class DocumentForm(KindForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "file"]
        labels = {"kind": "Kind of document", "title": "Title", "file": "File"}
        help_texts = {"title": "Such as “Referral from Dr Rivera, March”."}
        widgets = {"file": forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].max_length = None  # the uploaded name is never kept
        limit = size_in_words(documents_max_bytes())
        self.fields["file"].help_text = f"A PDF, PNG or JPEG file of at most {limit}."
        self.fields["file"].error_messages["required"] = "Please choose a file to upload."
        self.fields["file"].error_messages["empty"] = "That file is empty; please choose another."

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.instance.content_type = check_upload(
            upload,
            too_large=(
                f"That file is larger than {size_in_words(documents_max_bytes())}. Please "
                "scan it at a lower resolution or split it into parts."
            ),
            wrong_type=(
                "Only PDF, PNG and JPEG files can be uploaded, and this file is none of "
                "them (whatever its name says)."
            ),
        )
        self.instance.size = upload.size
        return upload


def check_upload(upload: Any, *, too_large: str, wrong_type: str) -> str:
    """The chart documents' rules for any uploaded file (a document, a file sent with a
    secure message): at most DOCUMENTS_MAX_BYTES, and a PDF, PNG or JPEG by its first
    bytes (filetypes.sniff), never by its name. Returns the content type; refuses with
    the caller's words (ValidationError), so each form keeps its own voice."""
    if upload.size > documents_max_bytes():
        raise ValidationError(too_large, code="too_large")
    upload.seek(0)
    content_type = filetypes.sniff(upload.read(filetypes.HEAD_BYTES))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(wrong_type, code="wrong_type")
    return content_type


ANSWER_CHOICES = Answer.choices


class HistoryForm(forms.Form):
    """The ketamine medical history: every item of history_items.ITEMS, each answered."""

    def __init__(self, *args: Any, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in history_items.ITEMS:
            row = answers.get(item.code)
            self.fields[f"{item.code}-answer"] = forms.ChoiceField(
                label=item.text,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                initial=row.answer if row else None,
                error_messages={"required": "Please answer yes, no or not known."},
            )
            self.fields[f"{item.code}-note"] = forms.CharField(
                label="Note",
                required=False,
                max_length=300,
                initial=row.note if row else "",
            )

    def items(self) -> list[tuple[history_items.HistoryItem, Any, Any]]:
        """(item, answer field, note field) in order, for the template."""
        return [
            (item, self[f"{item.code}-answer"], self[f"{item.code}-note"])
            for item in history_items.ITEMS
        ]

    def answers(self) -> dict[str, tuple[str, str]]:
        return {
            item.code: (
                self.cleaned_data[f"{item.code}-answer"],
                self.cleaned_data[f"{item.code}-note"].strip(),
            )
            for item in history_items.ITEMS
        }


class DuplicateChoiceForm(forms.Form):
    """What staff decide when charts that may be the same person are shown: link to (or
    open) one of them, or make a new chart anyway, with the reason."""

    link_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    decision = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why is this a different person?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only to create a new chart anyway; kept with the new chart.",
        error_messages={"max_length": "Please keep the reason under 2000 characters."},
    )
    token = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("link_to"):
            data["decision"] = "link"
        elif data.get("decision") == "new" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                "Please say why this is a different person, or link to the existing chart.",
            )
        elif data.get("decision") not in ("", None, "new"):
            data["decision"] = ""
        return data


class MergeChoiceForm(forms.Form):
    """Which chart's value each differing demographic keeps, and the admin's own code."""

    def __init__(
        self, *args: Any, survivor: Patient, merged: Patient, step_up: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step_up = step_up
        self.differing = []
        for name in MERGE_FIELDS:
            ours, theirs = getattr(survivor, name), getattr(merged, name)
            if ours == theirs:
                continue
            self.differing.append(name)
            label = Patient._meta.get_field(name).verbose_name
            self.fields[f"take_{name}"] = forms.ChoiceField(
                label=str(label)[:1].upper() + str(label)[1:],
                choices=[
                    ("keep", shown(name, ours, survivor)),
                    ("take", shown(name, theirs, merged)),
                ],
                initial="keep" if ours not in ("", None) else "take",
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose which value the chart keeps."},
            )
        self.fields["code"] = code_field(step_up)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_step_up(self, self.step_up)
        return data

    def taken(self) -> list[str]:
        return [name for name in self.differing if self.cleaned_data.get(f"take_{name}") == "take"]


MERGE_FIELDS = (
    "first_name", "last_name", "preferred_name", "date_of_birth", "sex", "pronouns",
    "email", "phone", "street", "city", "state", "postal_code",
)  # fmt: skip


def shown(name: str, value: Any, patient: Patient) -> str:
    """A demographic as staff read it, with the chart it comes from."""
    if value in ("", None):
        text = "(empty)"
    elif name == "phone":
        text = for_display(value)
    elif name in ("sex", "state"):
        text = str(getattr(patient, f"get_{name}_display")())
    elif name == "date_of_birth":
        text = born(value)
    else:
        text = str(value)
    return f"{text} — from {patient.mrn}"
