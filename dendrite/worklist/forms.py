from django import forms

from .models import Status


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="How did it end?",
        choices=[(Status.DONE, "Done"), (Status.NOT_NEEDED, "Not needed")],
        widget=forms.RadioSelect,
        initial=Status.DONE,
    )
    outcome = forms.CharField(
        label="What happened",
        help_text="A few words for the next person: who you spoke to, what was agreed.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Please say in a few words what happened."},
    )

    def clean_outcome(self) -> str:
        outcome: str = self.cleaned_data["outcome"].strip()
        if not outcome:
            raise forms.ValidationError("Please say in a few words what happened.")
        return outcome
