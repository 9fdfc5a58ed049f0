"""Care teams and a thread for the staff inbox tests: the nurse and the clinician answer
"Family medicine"; the billing clerk answers "Billing office"; Pat wrote to Family medicine on
Wednesday, March 4, 2026 at 3:00 p.m. UTC (the clock is frozen there)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine

from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam, Thread, Topic
from carebridge.messaging.services import start_thread
from carebridge.testing.personas import Cast

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[datetime.datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path
    return tmp_path


@dataclass
class Inbox:
    cast: Cast
    family: CareTeam
    billing: CareTeam

    def write(self, subject: str = "My tablets", **changes: object) -> Thread:
        arguments: dict[str, object] = {
            "actor": self.cast.patient_user,
            "acting_as": "self",
            "patient": self.cast.patient,
            "team": self.family,
            "topic": Topic.OTHER,
            "subject": subject,
            "body": "Should I take them with food?",
            "now": NOW,
        }
        return start_thread(**(arguments | changes))  # type: ignore[arg-type]


def make_inbox(cast: Cast) -> Inbox:
    family = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    billing = CareTeam.objects.create(clinic=cast.clinic, name="Billing office")
    family.members.add(StaffMember.objects.get(user=cast.nurse))
    family.members.add(StaffMember.objects.get(user=cast.clinician))
    billing.members.add(StaffMember.objects.get(user=cast.billing))
    return Inbox(cast=cast, family=family, billing=billing)
