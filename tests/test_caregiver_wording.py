"""A caregiver reads about the person they help, never about "your" record: every patient page
Cora (Pat's caregiver, every scope) may open is rendered, and the words of its main content
may say "your"/"Your" only in the few phrases that really mean the caregiver.

Scope (issue 18 §4): every page, the scheduling and results pages included; only staff, API
and sign-in pages are left out (`LEFT_OUT`), which a caregiver does not read as someone's
helper.
"""

from __future__ import annotations

import html
import re

import pytest

from carebridge.testing.clients import client_for
from carebridge.testing.matrix import OK
from carebridge.testing.personas import Cast
from tests.test_authorization_matrix import ROUTES

# Phrases in which "your" is the caregiver's own: their access, their account and sign-in,
# their own drafts and choices, and the emergency advice addressed to whoever reads the page.
MEANS_THE_CAREGIVER = (
    "your access",
    "your own account",
    "your account",
    "your password",
    "your draft",
    "your drafts",
    "your choice",
    "your browser",
    "your phone",
    "your clinic's local time",
)
# URL name prefixes the caregiver wording test does not cover (not pages a caregiver reads as
# a helper).
LEFT_OUT = (
    "staff:",
    "fhir",
    "smart",
    "oauth",
    "account_",
    "mfa",
    "usersessions",
    "admin:",
)
# Known "your" still addressed to the patient on a caregiver's page, listed exactly so that
# fixing one (or adding another) fails this test until the list says so. None is left: every
# page a caregiver may open speaks of the person they help, or neutrally of "the record".
NOT_YET_WORDED: dict[str, list[str]] = {}
MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
YOUR = re.compile(r"\byour\b[^.!?:\n]{0,30}", re.I)


def _main_words(page: str) -> str:
    found = MAIN.search(page)
    text = re.sub(r"<[^>]+>", " ", found.group(1) if found else page)
    return " ".join(html.unescape(text).split())


def _offending(words: str) -> list[str]:
    lowered = words.lower()
    bad = []
    for match in YOUR.finditer(words):
        start = match.start()
        if not any(lowered.startswith(phrase, start) for phrase in MEANS_THE_CAREGIVER):
            bad.append(match.group(0).strip())
    return bad


def _caregiver_pages() -> list[tuple[str, object]]:
    seen: dict[str, object] = {}
    for route in ROUTES:
        if route.method != "get" or route.expected_for("full_caregiver") != OK:
            continue
        if route.name.startswith(LEFT_OUT):
            continue
        seen.setdefault(route.name, route.url)
    return sorted(seen.items())


@pytest.mark.django_db
def test_a_caregiver_never_reads_your_record(cast_with_records: Cast) -> None:
    cast = cast_with_records
    client = client_for(cast.proxies.full_caregiver, cast.patient)
    offending: dict[str, list[str]] = {}
    for name, build in _caregiver_pages():
        response = client.get(build(cast))  # type: ignore[operator]
        assert response.status_code == 200, name
        bad = _offending(_main_words(response.content.decode()))
        if bad:
            offending[name] = bad
    assert offending == NOT_YET_WORDED


@pytest.mark.django_db
def test_the_record_names_the_person_helped_and_the_patient_reads_your(
    cast_with_records: Cast,
) -> None:
    cast = cast_with_records
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    page = cora.get("/record/procedures/").content.decode()
    assert '<h2 class="record-nav-title">Health record of Pat</h2>' in page
    assert (
        "Operations, scans and other procedures the clinic has recorded for Pat, newest first."
    ) in page
    own = client_for(cast.patient_user).get("/record/procedures/").content.decode()
    assert '<h2 class="record-nav-title">Your health record</h2>' in own
    assert "Operations, scans and other procedures your clinic has recorded, newest first." in own
