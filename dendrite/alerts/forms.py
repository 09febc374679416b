from django import forms

from .models import Action, SafetyAlert


class AcknowledgeForm(forms.ModelForm):
    class Meta:
        model = SafetyAlert
        fields = ["action", "note"]
        labels = {"action": "What was done", "note": "Note"}
        widgets = {"action": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = Action.choices
        self.fields["action"].required = True

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action") == Action.OTHER and not data.get("note"):
            self.add_error("note", "Please say in a few words what was done.")
        return data
