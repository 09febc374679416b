"""Every public page: its own title and description, one h1 in a sound outline, the
crisis line, nothing loaded from elsewhere — in English and in Spanish."""

import pytest
from django.conf import settings
from django.urls import reverse

from .helpers import PAGES, Page

pytestmark = pytest.mark.django_db


def fetch(client, name: str) -> Page:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return Page(response.content.decode())


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_its_title_one_h1_a_sound_outline_and_the_crisis_line(client, inboxes, name):
    page = fetch(client, name)
    english_h1, _ = PAGES[name]
    assert page.lang == "en"
    assert page.h1s == [english_h1]
    assert page.headings[0] == (1, english_h1)
    assert page.skipped_levels() == []
    assert page.title.endswith(settings.DENDRITE_SITE_NAME) and len(page.title) > 20
    assert len(page.description) > 50
    html = client.get(reverse(name)).content.decode()
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert "img/favicon.svg" in html


@pytest.mark.parametrize("name", PAGES)
def test_every_page_reads_in_spanish_with_the_crisis_line_in_spanish(spanish, inboxes, name):
    page = fetch(spanish, name)
    _, spanish_h1 = PAGES[name]
    assert page.lang == "es"
    assert page.h1s == [spanish_h1]
    assert page.skipped_levels() == []
    html = spanish.get(reverse(name)).content.decode()
    assert "Llame o envíe un mensaje de texto al" in html
    assert "oprima 2" in html  # 988 answers in Spanish on option 2 [R86a]
    assert 'href="tel:911"' in html


def test_titles_and_descriptions_differ_from_page_to_page(client, inboxes):
    pages = [fetch(client, name) for name in PAGES]
    assert len({page.title for page in pages}) == len(PAGES)
    assert len({page.description for page in pages}) == len(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_no_page_loads_anything_from_another_site_or_runs_an_inline_script(client, inboxes, name):
    page = fetch(client, name)
    assert page.scripts == 0
    assert page.resources and all(url.startswith("/static/") for url in page.resources)


def test_the_navigation_reaches_every_page_the_screening_and_the_contact_form(client, inboxes):
    html = client.get(reverse("website:home")).content.decode()
    for name in PAGES:
        if name != "website:thanks":
            assert f'href="{reverse(name)}"' in html
    assert 'href="/screening/"' in html
    assert "Am I a candidate?" in html


def test_the_current_page_is_marked_in_the_navigation(client, inboxes):
    html = client.get(reverse("website:faq")).content.decode()
    assert f'href="{reverse("website:faq")}" aria-current="page"' in html
    assert f'href="{reverse("website:home")}" aria-current' not in html


def test_the_language_switch_is_a_plain_form_that_works_without_javascript(client, inboxes):
    html = client.get(reverse("website:faq")).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert '<label for="language-choice">Language</label>' in html
    response = client.post(reverse("set_language"), {"language": "es", "next": "/questions/"})
    assert response.status_code == 302 and response.url == "/questions/"
    assert Page(client.get("/questions/").content.decode()).h1s == ["Preguntas frecuentes"]
    assert '<label for="language-choice">Idioma</label>' in client.get("/").content.decode()


def test_a_spanish_speaking_browser_gets_spanish_without_choosing(client, inboxes):
    page = Page(client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode())
    assert page.lang == "es"


def test_the_spanish_pages_say_the_screening_questionnaires_are_in_english(spanish, inboxes):
    html = spanish.get(reverse("website:home")).content.decode()
    assert "en inglés hasta que se añadan las traducciones oficiales" in html
    english_browser = Page(spanish.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert english_browser.lang == "es"  # the choice, once made, wins over the browser


def test_the_pages_answer_head_requests_and_refuse_posts(client, inboxes):
    assert client.head(reverse("website:faq")).status_code == 200
    assert client.post(reverse("website:faq")).status_code == 405
