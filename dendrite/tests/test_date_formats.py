"""One format for dates and times (STYLE.md): templates use the filters of dendrite/dates.py
(`day`, `when`, `clock`, `born`), never a format of their own, and those read the same
everywhere, in English and Spanish."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent  # the dendrite package
# A format written into a template: |date:"…", |time:'…', or a {% now "…" %}.
AD_HOC = re.compile(r"""\|(?:date|time):\s*["'](?P<format>[^"']*)["']|{%\s*now\s+["'][^"']*["']""")
# Machine formats, never read by a person: a day in a URL or a form field.
MACHINE = {"Y-m-d", "c", "U"}
BOSTON = ZoneInfo("America/New_York")
MOMENT = dt.datetime(2026, 11, 30, 19, 5, tzinfo=dt.UTC)  # 2:05 PM in Boston


def stray_formats(root: Path = ROOT) -> list[str]:
    found = []
    for file in sorted(root.glob("**/templates/**/*")):
        if not file.is_file() or file.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            for match in AD_HOC.finditer(line):
                if match.group("format") not in MACHINE:
                    found.append(f"{file.relative_to(root)}:{number}: {match.group(0)}")
    return found


def test_no_template_writes_its_own_date_format():
    assert stray_formats() == [], "use |day, |when, |clock or |born (dendrite/dates.py)"


def test_the_scan_finds_a_format_of_its_own(tmp_path):
    page = tmp_path / "app" / "templates" / "app" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('{{ a|date:"M j" }} {{ b|time:\'H:i\' }} {{ c|date:"Y-m-d" }} {{ d|when }}')
    assert stray_formats(tmp_path) == [
        'app/templates/app/page.html:1: |date:"M j"',
        "app/templates/app/page.html:1: |time:'H:i'",
    ]


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_dates_and_times_read_the_us_clinic_way_in_the_location_zone():
    with translation.override("en"):
        assert render("{{ at|when:zone }}", at=MOMENT, zone="America/New_York") == (
            "Mon, Nov 30, 2026, 2:05 PM"
        )
        assert render("{{ at|day:zone }}", at=MOMENT, zone=BOSTON) == "Mon, Nov 30, 2026"
        assert render("{{ at|clock:zone }}", at=MOMENT, zone="America/Chicago") == "1:05 PM"
        assert render("{{ born|born }}", born=dt.date(1985, 4, 2)) == "Apr 2, 1985"
        assert render("{{ t|clock }}", t=dt.time(8, 30)) == "8:30 AM"
        assert render("{{ nothing|when|default:'Not yet' }}", nothing=None) == "Not yet"


def test_a_datetime_without_a_zone_given_is_shown_in_the_current_one():
    source = "{% load tz %}{% timezone 'America/Los_Angeles' %}{{ at|when }}{% endtimezone %}"
    with translation.override("en"):
        assert render(source, at=MOMENT) == "Mon, Nov 30, 2026, 11:05 AM"


def test_spanish_reads_the_same_moment_in_spanish():
    with translation.override("es"):
        assert render("{{ at|when:zone }}", at=MOMENT, zone=BOSTON) == "lun 30 nov 2026, 14:05"
        assert render("{{ at|day:zone }}", at=MOMENT, zone=BOSTON) == "lun 30 nov 2026"
