"""The words a PDF response holds, as WeasyPrint laid them out on its pages (pypdf is
not a dependency): the test client keeps the template and context the view rendered;
they are rendered again and laid out, and the text boxes of every page are read."""

import re
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox

from dendrite import pdf


def laid_out_text(response: Any) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    index, name = next(
        (i, t.name) for i, t in enumerate(response.templates) if not t.name.startswith("pdf/")
    )
    context = response.context[index] if isinstance(response.context, list) else response.context
    html = render_to_string(name, context.flatten())
    document = HTML(string=html, base_url="data:,", url_fetcher=pdf.fetcher()).render()
    words = [
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TextBox)
    ]
    return re.sub(r"\s+", " ", " ".join(words))
