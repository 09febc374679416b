"""The information pages say what CLINICAL.md says, and no more: each fact that matters
to a patient's safety is on the page that promises it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def text_of(client, name: str) -> str:
    return " ".join(client.get(reverse(name)).content.decode().split())


def test_the_infusion_day_page_says_how_long_and_that_someone_must_drive_you_home(client):
    text = text_of(client, "website:infusion_day")
    assert "about 40 minutes" in text  # [R97][R98]
    assert "someone must drive you home" in text  # [R69a]
    assert "do not drive," in text and "For the next 24 hours:" in text  # [R69a]


def test_the_substance_use_page_is_honest_about_relapse_and_the_evidence(client):
    text = text_of(client, "website:substance_use")
    assert "40 to 60 in every 100" in text  # [R60]
    assert "The KARE trial" in text and "162 of 180 days" in text  # [R72a][R72d]
    assert "not clearly different" in text  # no difference in relapse [R72a]
    assert "promising but early" in text
    assert "1-800-662-4357" in text  # SAMHSA National Helpline [R86c]


def test_the_depression_page_states_the_limits_and_who_may_not_be_suited(client):
    text = text_of(client, "website:depression")
    assert "off-label" in text  # [R68b]
    assert "the studies were small" in text  # [R61a]
    assert "Who may not be suited" in text  # [R66]


def test_the_faq_answers_the_spanish_and_crisis_questions(client):
    text = text_of(client, "website:faq")
    assert "Can I get help in Spanish?" in text and "press 2" in text  # [R86a]
    assert "What if I am in crisis?" in text


def test_the_privacy_notice_explains_hipaa_and_part_2_in_plain_words(client):
    text = text_of(client, "website:privacy")
    for words in (
        "What we keep when you send us a message",
        "Who can see it",
        "HIPAA",
        "within 30 days",  # right of access [R84a]
        "42 CFR Part 2",
        "cannot be used against you",  # [R80b]
        "no analytics",
    ):
        assert words in text
