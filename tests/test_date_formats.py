"""One date format across the portal: pages and e-mails use only named formats, and each
language the portal offers writes them its own way (carebridge/formats)."""

from __future__ import annotations

import datetime
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent
# A named format: Django's (DATE_FORMAT, TIME_FORMAT ...) or the portal's WEEKDAY_* ones.
_NAMED = re.compile(r"^[A-Z_]+_FORMAT$")
# Formats for machines, not people: ISO 8601 in <time datetime> and a date input's value.
_MACHINE_FORMATS = {"c", "Y-m-d"}
_FILTER = re.compile(r"""\|\s*(date|time)\s*:\s*("[^"]*"|'[^']*')""")
_PYTHON_CALL = re.compile(r"""\b(date_format|time_format)\([^,()]+,\s*("[^"]*"|'[^']*')""")
NAMES = [
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "WEEKDAY_FORMAT",
    "WEEKDAY_DATE_FORMAT",
    "WEEKDAY_MONTH_DAY_FORMAT",
    "WEEKDAY_DATETIME_FORMAT",
]
MOMENT = datetime.datetime(2026, 12, 7, 15, 5)


def _templates() -> list[Path]:
    folders = [ROOT / "templates", ROOT / "carebridge"]
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt"} and "tests" not in path.parts
    )


def literal_formats(source: str, pattern: re.Pattern[str] = _FILTER) -> list[str]:
    """The format strings in `source` that are neither a named format nor a machine format."""
    found = [argument[1:-1] for _name, argument in pattern.findall(source)]
    return [text for text in found if not _NAMED.match(text) and text not in _MACHINE_FORMATS]


def test_no_template_writes_a_date_with_a_literal_format() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _templates()
        if (found := literal_formats(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_no_python_code_formats_a_date_with_a_literal_format() -> None:
    sources = (ROOT / "carebridge").rglob("*.py")
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if "tests" not in path.parts
        and (found := literal_formats(path.read_text(encoding="utf-8"), _PYTHON_CALL))
    }
    assert offenders == {}


def test_the_check_catches_a_literal_format() -> None:
    source = '{{ a|date:"j F Y" }}{{ b|time:\'g:i A\' }}{{ c|date:"DATE_FORMAT" }}{{ d|date:"c" }}'
    assert literal_formats(source) == ["j F Y", "g:i A"]
    assert literal_formats('formats.date_format(day, "l j F")', _PYTHON_CALL) == ["l j F"]


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_every_offered_language_defines_every_named_format(code: str) -> None:
    module = import_module(f"carebridge.formats.{code}.formats")
    assert [name for name in NAMES if not hasattr(module, name)] == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "en",
            {
                "DATE_FORMAT": "December 7, 2026",
                "SHORT_DATE_FORMAT": "12/07/2026",
                "DATETIME_FORMAT": "December 7, 2026, 3:05 p.m.",
                "TIME_FORMAT": "3:05 p.m.",
                "WEEKDAY_DATE_FORMAT": "Monday, December 7, 2026",
                "WEEKDAY_MONTH_DAY_FORMAT": "Monday, December 7",
                "WEEKDAY_DATETIME_FORMAT": "Monday, December 7, 2026, 3:05 p.m.",
                "YEAR_MONTH_FORMAT": "December 2026",
            },
        ),
        (
            "es",
            {
                "DATE_FORMAT": "7 de diciembre de 2026",
                "SHORT_DATE_FORMAT": "07/12/2026",
                "DATETIME_FORMAT": "7 de diciembre de 2026, 15:05",
                "TIME_FORMAT": "15:05",
                "WEEKDAY_DATE_FORMAT": "lunes 7 de diciembre de 2026",
                "WEEKDAY_MONTH_DAY_FORMAT": "lunes 7 de diciembre",
                "WEEKDAY_DATETIME_FORMAT": "lunes 7 de diciembre de 2026, 15:05",
                "YEAR_MONTH_FORMAT": "diciembre de 2026",
            },
        ),
    ],
)
def test_dates_are_written_in_each_languages_form(code: str, expected: dict[str, str]) -> None:
    with translation.override(code):
        written = {name: formats.date_format(MOMENT, name) for name in expected}
    assert written == expected


@pytest.mark.parametrize("code", ["en", "es"])
def test_numbers_keep_the_us_decimal_point_and_thousands_comma(code: str) -> None:
    with translation.override(code):
        assert formats.number_format(1234.5, decimal_pos=1, force_grouping=True) == "1,234.5"
        assert formats.localize(4.5) == "4.5"
