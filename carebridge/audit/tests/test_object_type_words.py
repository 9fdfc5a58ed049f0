"""Every kind of object an app audits has its own words on the activity page and the report."""

from __future__ import annotations

import re
from pathlib import Path

from carebridge.audit.labels import OBJECT_TYPES, PATIENT_SENTENCES

PACKAGE = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'object_type\s*=\s*"([a-z_]+)"')


def audited_object_types() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "testing" in path.parts:
            continue
        found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_audited_object_type_has_words():
    found = audited_object_types()
    assert {"appointment", "time_off", "video_visit", "appointment_request"} <= found
    assert sorted(found - set(OBJECT_TYPES)) == []


def test_the_scheduling_events_read_as_sentences_to_the_patient():
    assert str(PATIENT_SENTENCES[("create", "check_in")]) == "Checked in online for an appointment"
    assert str(PATIENT_SENTENCES[("view", "video_visit")]) == "Joined a video visit"
    assert str(PATIENT_SENTENCES[("create", "waitlist_offer")]) == (
        "Offered an earlier appointment time"
    )


def test_activity_sentences_read_right_to_the_patient_and_to_a_caregiver() -> None:
    """A caregiver reads the same sentences on the patient's activity page (issue 18 §4)."""
    addressed = [
        str(sentence)
        for sentence in PATIENT_SENTENCES.values()
        if re.search(r"\byou(r)?\b", str(sentence), re.I)
    ]
    assert addressed == []
