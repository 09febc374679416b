"""The error pages follow the visitor's language, with the Spanish navigation and crisis
line; the 500 page, which cannot know the language, says it in both."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dendrite.conftest import PASSWORD, signed_in

from .helpers import Page

pytestmark = pytest.mark.django_db


def test_the_not_found_page_reads_in_spanish_with_the_spanish_navigation(spanish):
    response = spanish.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    page = Page(html)
    assert page.lang == "es"
    assert page.h1s == ["No pudimos encontrar esa página"]
    assert page.title.startswith("Página no encontrada · ")
    assert 'la <a href="/">página de inicio</a>' in html
    assert "¿Soy candidato?" in html and "Contáctenos" in html and "Preguntas" in html
    assert "oprima 2" in html  # the crisis line in Spanish
    assert '<label for="language-choice">Idioma</label>' in html


def test_in_english_the_not_found_page_reads_as_before(client):
    html = client.get("/no/such/page/").content.decode()
    page = Page(html)
    assert page.lang == "en"
    assert page.h1s == ["We could not find that page"]
    assert "Am I a candidate?" in html and "Contact us" in html
    assert "oprima 2" not in html


def test_the_bad_request_page_reads_in_spanish(spanish):
    response = spanish.get("/", HTTP_HOST="not-our-site.example")
    assert response.status_code == 400
    assert Page(response.content.decode()).h1s == ["No pudimos entender esa solicitud"]


def test_the_expired_form_page_reads_in_spanish(nurse):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.post(
        reverse("accounts:login"), {"username": nurse.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert Page(response.content.decode()).h1s == ["Su formulario expiró: vuelva a intentarlo"]


def test_the_not_available_page_reads_in_spanish(nurse):
    client = signed_in(nurse)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert Page(response.content.decode()).h1s == ["Esta página no está disponible para usted"]


@pytest.mark.urls("dendrite.tests.urls_boom")
def test_the_crash_page_says_it_in_english_and_in_spanish_whatever_was_chosen():
    for language in ("en", "es"):
        client = Client(raise_request_exception=False)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/boom/")
        assert response.status_code == 500
        html = response.content.decode()
        assert Page(html).lang == "en"
        assert "<h1>Something went wrong on our side</h1>" in html
        assert '<div lang="es">' in html and "<h2>Algo salió mal de nuestro lado</h2>" in html
        assert "oprima 2" in html and html.count('href="tel:911"') == 2
        assert "secret detail" not in html
