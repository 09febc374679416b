"""The screening in Spanish: its own words are translated, the questionnaires keep their
validated English wording (marked lang="en") until official translations are added, and
the English screening reads exactly as before."""

import datetime as dt
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from dendrite.screening import defences

from .helpers import start, url, walk

pytestmark = pytest.mark.django_db

STILL_IN_ENGLISH = "en inglés hasta que se añadan las traducciones oficiales"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    translation.deactivate()


@pytest.fixture
def spanish(client: Client) -> Client:
    """A visitor who chose Spanish (the cookie the language switch sets)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S)[1].strip()


def test_the_start_page_reads_in_spanish_and_says_the_questionnaires_are_in_english(spanish):
    html = spanish.get("/screening/").content.decode()
    assert '<html lang="es">' in html
    assert h1(html) == "¿Soy candidato para el tratamiento con ketamina?"
    assert "<title>¿Soy candidato? Autoevaluación · " in html
    assert "Cómo funciona" in html and "Estado de ánimo" in html
    assert STILL_IN_ENGLISH in html
    assert "Empezar la autoevaluación" in html
    assert "oprima 2" in html  # 988 answers in Spanish on option 2


def test_the_first_step_reads_in_spanish(spanish, clinic):
    html = spanish.get(url("contact")).content.decode()
    assert h1(html) == "Paso 1 de 8: Sobre usted"
    assert "Paso 1 de 8: Sobre usted" in html
    for words in ("¿Qué edad tiene?", "Menos de 18 años", "65 años o más", "Sexo", "Femenino"):
        assert words in html
    assert "Su nombre" in html and "(opcional)" in html
    assert ">Atrás</a>" in html and ">Siguiente</button>" in html
    assert STILL_IN_ENGLISH not in html  # this step has no questionnaire
    assert "How old are you?" not in html and "Under 18" not in html


def test_a_step_sent_incomplete_explains_each_problem_in_spanish(spanish, clinic):
    token = defences.new_token(shown_at=time.time() - 60)
    html = spanish.post(url("contact"), {"token": token}).content.decode()
    assert "Corrija los campos marcados abajo, por favor." in html
    assert "Elija una respuesta para esta pregunta, por favor." in html
    assert "Díganos su nombre, por favor." in html


def test_a_questionnaire_with_a_validated_spanish_version_reads_in_spanish(spanish, clinic):
    start(spanish, clinic)
    html = spanish.get(url("mood")).content.decode()
    assert h1(html) == "Paso 2 de 8: Estado de ánimo"
    assert STILL_IN_ENGLISH not in html
    assert "<legend>1. Poco interés o placer en hacer cosas</legend>" in html
    assert re.search(r'<label for="id_q1_0">Ningún día</label>', html)
    assert "Little interest" not in html and "Not at all" not in html
    assert '<p class="small-print" lang="en">PHQ-9 ©' in html


def test_a_questionnaire_keeps_its_english_wording_marked_as_english(spanish, clinic):
    response = walk(spanish, clinic, stop_at="anxiety")
    html = spanish.get(response.url).content.decode()
    assert STILL_IN_ENGLISH in html
    assert '<span lang="en">1. Feeling nervous, anxious, or on edge</span>' in html
    assert re.search(r'<label for="id_q1_0" lang="en">Not at all</label>', html)


def test_the_health_step_offers_the_answer_its_help_text_names(spanish, clinic):
    response = walk(spanish, clinic, stop_at="health")
    html = spanish.get(response.url).content.decode()
    assert "Si no lo sabe, responda “No sé”." in html
    assert ">No sé</label>" in html
    assert "¿Tiene una enfermedad grave del hígado, como la cirrosis?" in html


def test_the_result_reads_in_spanish_and_marks_the_rules_english_reasons(spanish, clinic):
    assert walk(spanish, clinic).url == "/screening/result/"
    html = spanish.get("/screening/result/").content.decode()
    assert h1(html) == "Un profesional de la salud necesita revisar sus respuestas"
    assert "Qué respuestas llevaron a este resultado" in html
    assert re.search(r'<ul class="reasons"><li lang="en">[A-Z]', html)
    assert 'Llame al <a href="tel:' in html
    assert 'llame al <a href="tel:911">911</a>' in html


def test_the_link_page_gives_the_date_the_spanish_way(spanish, clinic, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False)
    start(spanish, clinic)
    html = spanish.post("/screening/save/").content.decode()
    assert "Funciona hasta el lun 9 mar 2026." in html


def test_the_under_18_page_reads_in_spanish(spanish):
    html = spanish.get("/screening/adults-only/").content.decode()
    assert h1(html) == "Esta clínica atiende a adultos"
    assert "llame al 988 y oprima 2" in html


def test_in_english_the_screening_reads_as_before(client, clinic):
    page = client.get("/screening/").content.decode()
    assert h1(page) == "Am I a candidate for ketamine treatment?"
    assert "until official translations" not in page
    step = client.get(url("contact")).content.decode()
    assert '<html lang="en">' in step
    assert h1(step) == "Step 1 of 8: About you"
    assert "How old are you?" in step and "Under 18" in step and "Female" in step
    assert ">Next</button>" in step
    start(client, clinic)
    mood = client.get(url("mood")).content.decode()
    assert h1(mood) == "Step 2 of 8: Mood"
    assert "until official translations" not in mood
