"""The Spanish catalogue is complete, current and compiled (docs/adr/0013).

Runs on a machine without GNU gettext: the strings the code uses are found in Python
(carebridge.lib.catalogue.extract, which gives exactly makemessages' set), and the committed
.po and .mo are read in Python. Nothing here skips.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from carebridge.lib.catalogue.checks import catalogue_problems
from carebridge.lib.catalogue.extract import extract_messages
from carebridge.lib.catalogue.pofile import Entry, Key, compiled_messages, read_po

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "carebridge" / "locale" / "es" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def used() -> set[Key]:
    return extract_messages(ROOT)


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return read_po(MESSAGES / "django.po")


def test_every_string_the_code_uses_is_translated_well(
    used: set[Key], catalogue: list[Entry]
) -> None:
    problems = catalogue_problems(catalogue, used)
    assert problems == [], f"{len(problems)} problems in the Spanish catalogue:\n" + "\n".join(
        problems[:40]
    )


def test_the_catalogue_holds_exactly_the_strings_the_code_uses(
    used: set[Key], catalogue: list[Entry]
) -> None:
    # A string the code no longer uses, or one it uses that makemessages never saw, means the
    # catalogue is stale: run `make messages`.
    in_catalogue = {entry.key for entry in catalogue if not entry.is_header and not entry.obsolete}
    assert sorted(in_catalogue - used) == []
    assert sorted(used - in_catalogue) == []


def test_the_compiled_catalogue_matches_the_po_file(catalogue: list[Entry]) -> None:
    # The .mo is committed (a fresh machine has no msgfmt); it must say what the .po says.
    with (MESSAGES / "django.mo").open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)  # type: ignore[attr-defined]
    expected = compiled_messages(catalogue)
    # Recent versions of msgfmt leave the extraction date out of the .mo's header.
    compiled[""], expected[""] = _undated(compiled[""]), _undated(expected[""])
    assert compiled == expected


def _undated(header: str) -> str:
    return "".join(
        line for line in header.splitlines(keepends=True) if not line.startswith("POT-Creation")
    )


def test_the_catalogue_is_spanish_with_three_plural_forms(catalogue: list[Entry]) -> None:
    header = next(entry for entry in catalogue if entry.is_header).msgstr
    assert "Language: es\n" in header
    assert "Plural-Forms: nplurals=3;" in header
