"""Small slips in the words people read: "a infusion", "a e-mail" (issue 13, point 7).

Templates and the string literals of our Python are scanned for "a" before a word that
starts with a vowel sound. Words that start with a vowel letter but a consonant sound
("a user", "a one-off", "a unique") are allowed.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the dendrite package
A_BEFORE_VOWEL = re.compile(
    r"(?<![\w'’-])[Aa] (?=[aeiou])(?!u[nr]?i|us|ur|uk|eu|one|once|intentar)[\w-]+"
)  # lower-case only: "a US number" is right; "vuelva a intentarlo" is Spanish


def slips_in(text: str) -> list[str]:
    return [m.group(0) for m in A_BEFORE_VOWEL.finditer(text)]


def literals(source: str) -> list[str]:
    tree = ast.parse(source)
    found = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    found += ["".join(p.value for p in node.values if isinstance(p, ast.Constant))
              for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)]  # fmt: skip
    return found


def test_no_a_before_a_vowel_in_templates_or_messages():
    found = []
    for file in sorted(ROOT.glob("**/templates/**/*")):
        if file.is_file() and file.suffix in {".html", ".txt"}:
            found += [f"{file.relative_to(ROOT)}: {s}" for s in slips_in(file.read_text())]
    for file in sorted(ROOT.rglob("*.py")):
        parts = file.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for text in literals(file.read_text()):
            found += [f"{file.relative_to(ROOT)}: {s}" for s in slips_in(text)]
    assert found == []


def test_the_scan_finds_the_slips_and_spares_a_user():
    assert slips_in("Book a infusion; a e-mail; a user; a unique link; a one-off; plan a") == [
        "a infusion",
        "a e-mail",
    ]
