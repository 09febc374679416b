"""The PDF helper renders our templates and fetches nothing while it does."""

import pytest
from django.template import engines

from dendrite import pdf


def test_a_template_becomes_a_pdf_with_its_text(tmp_path, settings):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "probe.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>After care {{ word }}</h1>'
        "{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._engines = {}  # pick up the changed setting
    try:
        data = pdf.render_pdf("pdf/probe.html", {"word": "sheet"})
    finally:
        engines._engines = {}
    assert data.startswith(b"%PDF-")
    assert len(data) > 800


def test_nothing_outside_the_document_is_fetched(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    for address in (f"file://{secret}", "http://127.0.0.1:9/x.css", "https://example.org/"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            pdf.fetcher().fetch(address)
    pdf.fetcher().fetch("data:text/css,p{}")  # inline data is allowed


def test_the_response_names_a_generic_file():
    response = pdf.pdf_response("pdf/base.html", {}, "after-care.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="after-care.pdf"'
    assert response.content.startswith(b"%PDF-")
