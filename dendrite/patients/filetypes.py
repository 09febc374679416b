"""What an uploaded file really is, read from its first bytes — never from its name.

Plain Python, no Django. Only PDF, PNG and JPEG are accepted: a renamed program or
web page is refused whatever it is called.
"""

# Each signature is the fixed start of the format: PDF 1.7 (ISO 32000-1) §7.5.2 "%PDF-";
# PNG (ISO/IEC 15948) §5.2, the eight-byte signature; JPEG (ITU T.81) SOI marker FFD8
# followed by the next marker's FF.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
HEAD_BYTES = 8


def sniff(head: bytes) -> str | None:
    """The content type of a file starting with `head`, or None when it is not accepted."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None
