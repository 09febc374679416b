"""Printable documents as PDF, rendered by WeasyPrint from our own templates.

A PDF template extends ``pdf/base.html``, which embeds its stylesheet, so nothing is
fetched while rendering: the fetcher below refuses every address but inline ``data:``
ones (no network, no file on disk, no server asked for a page it would have to
authorise). The file name given to the browser never carries a patient's name.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def fetcher() -> URLFetcher:
    """Inline ``data:`` addresses only."""
    return URLFetcher(allowed_protocols=["data"])


def render_pdf(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> bytes:
    html = render_to_string(template_name, context, request=request)
    pdf: bytes = HTML(string=html, base_url="data:,", url_fetcher=fetcher()).write_pdf()
    return pdf  # write_pdf() without a target returns the bytes


def pdf_response(
    template_name: str,
    context: dict[str, Any],
    filename: str,
    request: HttpRequest | None = None,
    download: bool = False,
) -> HttpResponse:
    """The PDF as a response; ``filename`` is a generic name such as "after-care.pdf"."""
    response = HttpResponse(
        render_pdf(template_name, context, request), content_type="application/pdf"
    )
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
