"""A questionnaire's questions as a Django form: one radio group per question, worded as
in its definition, in the active language where the definition carries a validated
translation (English otherwise). Shared by every page a patient answers on (the
self-screening, the questionnaires before a visit)."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import loader
from .loader import Item

CHOOSE_ONE = _("Please choose an answer to this question.")
NOT_SHOWN = _("Please choose one of the answers shown.")


def radio(label: Any, choices: Sequence[tuple[Any, str]], **extra: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE, "invalid_choice": NOT_SHOWN},
        **extra,
    )


def language() -> str:
    return get_language() or "en"


def in_english(code: str | None) -> bool:
    """The questionnaire is shown in English on a page in another language (no validated
    translation): its text then carries lang="en" for screen readers."""
    current = language().split("-")[0]
    return bool(code) and current != "en" and current not in loader.languages(str(code))


def intro(code: str | None) -> list[str]:
    """The questionnaire's instructions in the active language, English where untranslated."""
    return loader.intro(code, language()) if code else []


def _encode(item: Item, value: Any) -> str:
    if item.is_yes_no:
        return "yes" if value else "no"
    return str(value)


def _choices(item: Item, lang: str) -> list[tuple[str, str]]:
    if item.is_yes_no:
        return [("yes" if o.code == loader.YES else "no", o.display_in(lang)) for o in item.options]
    if item.is_scored:
        return [(str(o.score), o.display_in(lang)) for o in item.options]
    # unscored: the LOINC answer code
    return [(o.code, o.display_in(lang)) for o in item.options]


def _decode(item: Item, value: str) -> Any:
    if item.is_yes_no:
        return value == "yes"
    return int(value) if item.is_scored else value


class QuestionsForm(forms.Form):
    """The questions of one page of a questionnaire, worded as in its definition."""

    def __init__(self, questions: Sequence[Item], *args: Any, **kwargs: Any) -> None:
        given: Mapping[str, Any] = kwargs.pop("answers", {})
        super().__init__(*args, **kwargs)
        self.questions = {f"q{item.link_id}": item for item in questions}
        lang = language()
        for name, item in self.questions.items():
            number = f"{item.link_id}. " if item.link_id[0].isdigit() else ""
            self.fields[name] = radio(
                f"{number}{item.text_in(lang)}", _choices(item, lang), required=item.required
            )
            if item.link_id in given:
                self.initial[name] = _encode(item, given[item.link_id])

    def answers(self) -> dict[str, Any]:
        return {
            item.link_id: _decode(item, self.cleaned_data[name])
            for name, item in self.questions.items()
            if self.cleaned_data.get(name) not in (None, "")
        }

    def valid_answers(self) -> dict[str, Any]:
        """The answers that are valid on their own, valid page or not: the safety answers
        among them are kept even when the rest of the page is not."""
        self.is_valid()  # runs the checks once; the errors stay for the page
        return self.answers()
