"""The words of a PDF file as WeasyPrint writes them (pypdf is not a dependency): the
objects, plain or in object streams, are read; each font's ToUnicode map turns the glyph
numbers of the page's text operators back into letters. Enough for WeasyPrint's own
output, not a general PDF reader."""

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
TOKEN = re.compile(rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>|(TJ|Tj|ET)")


def _objects(data: bytes) -> tuple[dict[int, bytes], dict[int, bytes]]:
    """Each object's dictionary text, and the decoded stream of those that have one."""
    bodies: dict[int, bytes] = {}
    streams: dict[int, bytes] = {}
    for match in OBJECT.finditer(data):
        number, body = int(match.group(1)), match.group(2)
        head, found, rest = body.partition(b"stream")
        bodies[number] = head
        if found:
            length = re.search(rb"/Length (\d+)", head)
            raw = rest.lstrip(b"\r\n")[: int(length.group(1))] if length else rest
            streams[number] = zlib.decompress(raw) if b"FlateDecode" in head else raw
    for number, head in list(bodies.items()):
        if b"/ObjStm" in head:
            stream = streams[number]
            first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
            pairs = [int(n) for n in stream[:first].split()]
            offsets = list(zip(pairs[::2], pairs[1::2], strict=True))
            for i, (inner, offset) in enumerate(offsets):
                end = offsets[i + 1][1] if i + 1 < len(offsets) else len(stream) - first
                bodies[inner] = stream[first + offset : first + end]
    return bodies, streams


def _unicode_map(cmap: bytes) -> dict[int, str]:
    glyphs: dict[int, str] = {}

    def text(hex_: bytes) -> str:
        return bytes.fromhex(hex_.decode()).decode("utf-16-be")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for source, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            glyphs[int(source, 16)] = text(target)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, target in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])", block
        ):
            targets = re.findall(rb"<([0-9a-fA-F]+)>", target)
            for i, glyph in enumerate(range(int(low, 16), int(high, 16) + 1)):
                if target.startswith(b"["):
                    glyphs[glyph] = text(targets[i])
                else:
                    start = text(targets[0])
                    glyphs[glyph] = start[:-1] + chr(ord(start[-1]) + i)
    return glyphs


def pdf_words(data: bytes) -> str:
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), "not a PDF file"
    bodies, streams = _objects(data)
    maps = {
        number: _unicode_map(streams[int(ref.group(1))])
        for number, body in bodies.items()
        if (ref := re.search(rb"/ToUnicode (\d+) 0 R", body))
    }
    fonts: dict[bytes, dict[int, str]] = {}
    for body in bodies.values():
        blocks = re.findall(rb"/Font\s*<<(.*?)>>", body, re.S)
        blocks += [bodies.get(int(n), b"") for n in re.findall(rb"/Font (\d+) 0 R", body)]
        for block in blocks:
            for name, number in re.findall(rb"/([^\s/]+)\s+(\d+) 0 R", block):
                fonts[name] = maps.get(int(number), {})
    said: list[str] = []
    for number, stream in streams.items():
        if b"BT" not in stream or number in maps or b"/CIDInit" in stream:
            continue
        glyphs: dict[int, str] = {}
        shown: list[str] = []
        for font, hex_, operator in TOKEN.findall(stream):
            if font:
                glyphs = fonts.get(font, {})
            elif operator:
                said.append("".join(shown))
                shown = []
            else:
                digits = re.sub(rb"\s", b"", hex_).decode()
                shown += [
                    glyphs.get(int(digits[i : i + 4], 16), "") for i in range(0, len(digits), 4)
                ]
    return re.sub(r"\s+", " ", " ".join(said)).strip()
