"""What an upload really is (filetypes.py): read from its first bytes, never its name."""

import pytest

from dendrite.patients.filetypes import sniff

from .conftest import EXE, JPEG, PDF, PNG


@pytest.mark.parametrize(
    ("head", "content_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_pdf_png_and_jpeg_are_recognised(head, content_type):
    assert sniff(head[:8]) == content_type


@pytest.mark.parametrize(
    "head",
    [
        EXE,
        b"",
        b"%PD",
        b"\x89PNG\r\n",
        b"\xff\xd8",
        b"<html>",
        b"GIF89a",
        b"PK\x03\x04",
        b" %PDF-1.7",
        b"{\\rtf1",
    ],
)
def test_everything_else_is_refused(head):
    assert sniff(head[:8]) is None
