"""Validated Spanish versions ride on FHIR's translation extension: the loader and the
form give the active language's wording (English otherwise), and nothing else changes:
the same questions, answer codes and scores."""

import json
import shutil

import pytest
from django.utils import translation
from fhir.resources.R4B.questionnaire import Questionnaire

from dendrite.instruments import forms, loader

NINE_ES = "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
NINE_EN = "Thoughts that you would be better off dead, or of hurting yourself in some way"
ANSWERS_ES = ["Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]
ANSWERS_EN = ["Not at all", "Several days", "More than half the days", "Nearly every day"]


@pytest.fixture
def definitions_dir(tmp_path, monkeypatch):
    for path in loader.DEFINITIONS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    monkeypatch.setattr(loader, "DEFINITIONS_DIR", tmp_path)
    caches = (loader._load, loader.questions, loader.language_versions)
    for cached in caches:
        cached.cache_clear()
    yield tmp_path
    for cached in caches:
        cached.cache_clear()


def test_the_loader_gives_spanish_and_falls_back_to_english():
    nine = loader.get_item("phq-9", "9")
    assert nine.text_in("es") == NINE_ES == nine.text_in("es-MX")
    assert nine.text_in("en") == NINE_EN == nine.text
    assert [option.display_in("es") for option in nine.options] == ANSWERS_ES
    assert [option.display_in("fr") for option in nine.options] == ANSWERS_EN
    assert loader.intro("phq-9", "es")[0].startswith("Durante las últimas 2 semanas")
    assert loader.title_in("phq-9", "es").startswith("Cuestionario sobre la salud del paciente")


def test_the_form_follows_the_active_language():
    questions = loader.questions("phq-9")
    with translation.override("es"):
        spanish = forms.QuestionsForm(questions)
        assert forms.in_english("phq-9") is False
        assert forms.in_english("audit") is True  # no validated Spanish version yet
    with translation.override("en"):
        english = forms.QuestionsForm(questions)
        assert forms.in_english("phq-9") is False
    assert spanish.fields["q9"].label == f"9. {NINE_ES}"
    assert english.fields["q9"].label == f"9. {NINE_EN}"
    # Same answer values either way: the Spanish page scores exactly as the English one.
    assert [value for value, _ in spanish.fields["q9"].choices] == ["0", "1", "2", "3"]
    assert spanish.fields["q9"].choices == list(zip(["0", "1", "2", "3"], ANSWERS_ES, strict=True))
    assert [v for v, _ in english.fields["q9"].choices] == ["0", "1", "2", "3"]


def test_only_sourced_translations_are_in_and_each_names_its_source():
    assert {code: loader.languages(code) for code in loader.instrument_codes()} == {
        "audit": (), "audit-c": (), "c-ssrs-screener": (), "dast-10": (), "gad-7": (),
        "pcl-5": (), "phq-2": ("es",), "phq-9": ("es",),
    }  # fmt: skip
    for code in ("phq-2", "phq-9"):
        (version,) = loader.language_versions(code)
        assert "Pfizer" in version["source"]


def test_the_definitions_stay_valid_fhir_with_their_translations():
    for code in loader.instrument_codes():
        parsed = Questionnaire.model_validate(loader.get_definition(code))
        again = json.loads(parsed.model_dump_json())
        assert again["item"] == loader.get_definition(code)["item"]


def test_a_half_translated_questionnaire_is_refused(definitions_dir):
    path = definitions_dir / "phq-9.json"
    data = json.loads(path.read_text())
    del data["item"][9]["_text"]  # item 9 without its Spanish
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="9: not translated into es"):
        loader.questions("phq-9")


def test_a_translation_without_a_declared_source_is_refused(definitions_dir):
    path = definitions_dir / "phq-9.json"
    data = json.loads(path.read_text())
    data["extension"] = []
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="es is not in language-versions"):
        loader.questions("phq-9")
