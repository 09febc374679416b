"""The note's page forms: its sections (saved as a draft, or signed with the signer's
own code), the co-signature, an addendum, and a template's sections."""

from typing import Any

from django import forms

from dendrite.accounts.forms import check_step_up, code_field
from dendrite.accounts.step_up import StepUp

from .models import Addendum, Fill

SIGN_CODE_MISSING = (
    "To sign, please enter the current six-digit code from your own authenticator app."
)


def _signing_code(form: forms.Form, step_up: StepUp) -> None:
    """The signer's own code (accounts/step_up.py), asked again unless given a moment ago."""
    if not step_up.fresh and not form.cleaned_data.get("code", "").strip():
        form.add_error("code", SIGN_CODE_MISSING)
        return
    check_step_up(form, step_up)


def _code(step_up: StepUp, label: str) -> forms.CharField:
    field = code_field(step_up)
    field.label = label
    return field


class NoteForm(forms.Form):
    """One text box per section of the note, in its order; the code to sign."""

    def __init__(
        self, *args: Any, sections: list[dict[str, Any]], step_up: StepUp, signing: bool,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.sections, self.step_up, self.signing = sections, step_up, signing
        for index, section in enumerate(sections):
            self.fields[f"section_{index}"] = forms.CharField(
                label=section["heading"],
                help_text=section.get("prompt", ""),
                required=False,
                max_length=20000,
                initial=section.get("text", ""),
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        self.fields["code"] = _code(step_up, "Your own six-digit code, to sign")

    @property
    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"section_{index}"] for index in range(len(self.sections))]

    def texts(self) -> list[str]:
        return [self.cleaned_data.get(f"section_{i}", "") for i in range(len(self.sections))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.signing:
            return data
        for index, section in enumerate(self.sections):
            name = f"section_{index}"
            if section.get("required") and not data.get(name, "").strip():
                self.add_error(name, f"Please write the “{section['heading']}” section to sign.")
        _signing_code(self, self.step_up)
        return data


class CosignForm(forms.Form):
    def __init__(self, *args: Any, step_up: StepUp, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_up = step_up
        self.fields["code"] = _code(step_up, "Your own six-digit code, to co-sign")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _signing_code(self, self.step_up)
        return data


class AddendumForm(forms.ModelForm):
    class Meta:
        model = Addendum
        fields = ["reason", "text"]
        labels = {"reason": "Why you are adding to the note", "text": "Addendum"}
        help_texts = {"reason": "For example: a correction, or something learned later."}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Please say why you are adding to it."
        self.fields["text"].error_messages["required"] = "Please write the addendum."


class SectionForm(forms.Form):
    heading = forms.CharField(label="Heading", max_length=120)
    prompt = forms.CharField(
        label="Help shown under it", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    text = forms.CharField(
        label="Text a new note starts with", max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    fill = forms.ChoiceField(
        label="Written in from the chart", choices=Fill.choices, required=False
    )
    required = forms.BooleanField(label="Must be written to sign", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heading"].error_messages["required"] = "Please give the section a heading."


class BaseSectionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Position"
        form.fields["DELETE"].label = "Remove this section"


SectionFormSet = forms.formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=30,
    validate_max=True,
)


def template_sections(formset: Any) -> list[dict[str, Any]]:
    """The sections kept, in the order given (blank extra rows and removed ones left out)."""
    kept = [
        form for form in formset.ordered_forms
        if form.has_changed() and not form.cleaned_data.get("DELETE")
    ]  # fmt: skip
    return [
        {key: form.cleaned_data.get(key) or ("" if key != "required" else False)
         for key in ("heading", "prompt", "text", "fill", "required")}
        for form in kept
    ]  # fmt: skip
