"""A set-up change in the clinic's audit report: its "Changes" column, on screen and in the CSV,
says what each changed setting was before and after."""

from __future__ import annotations

import csv
import io

import pytest

from carebridge.audit.labels import changes_words
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

WORDS = "name: Riverside Family Clinic → Riverside Health; phone: 555-0100 → (none)"


def _change_profile(cast: Cast) -> None:
    data = {
        "name": "Riverside Health",
        "phone": "",
        "address": "",
        "opening_hours": "",
        "help_for_patients": "",
        "emergency_wording": "",
        "time_zone": "America/New_York",
        "brand_colour": "#0b5394",
        "vital_units": "us",
    }
    assert client_for(cast.clinic_admin).post("/staff/setup/clinic/", data).status_code == 302


def test_the_report_shows_each_change_before_and_after(cast: Cast) -> None:
    _change_profile(cast)
    response = client_for(cast.clinic_admin).get("/staff/audit/")
    rows = [row for row in response.context["rows"] if row.object_type == "Clinic profile"]
    assert [(row.what, row.changes) for row in rows] == [("Changed", WORDS)]
    assert f'<td data-label="Changes">{WORDS}</td>' in response.content.decode()


def test_the_csv_has_a_changes_column(cast: Cast) -> None:
    _change_profile(cast)
    admin = client_for(cast.clinic_admin)
    response = admin.get("/staff/audit/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-1] == "changes"
    profile_rows = [row for row in rows[1:] if row[6] == "clinic_profile"]
    assert [row[-1] for row in profile_rows] == [WORDS]
    # Events without changes have an empty cell.
    assert {row[-1] for row in rows[1:] if row[6] == "audit_report"} == {""}


def test_change_words_for_every_kind_of_value() -> None:
    assert changes_words(None) == ""
    assert changes_words(
        {
            "places": {"before": [], "after": ["Hill Road Office", "Main Street Office"]},
            "require_patient_mfa": {"before": False, "after": True},
            "activation_code_days": {"before": 30, "after": 14},
        }
    ) == (
        "activation_code_days: 30 → 14; places: (none) → Hill Road Office, Main Street Office; "
        "require_patient_mfa: no → yes"
    )
