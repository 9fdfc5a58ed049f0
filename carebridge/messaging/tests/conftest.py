"""Fixtures shared by the patient's messaging page tests: the clock frozen on Wednesday, March 4
2026 at 3:00 p.m. UTC, a private folder for attachments, and Pat's clinic's "Family medicine" team
(answered by the nurse) with one clinician, Dana Doc. Files that want the clock and the folder
say so with `pytest.mark.usefixtures("frozen", "folder")`."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine

from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam
from carebridge.testing import factories

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen() -> Iterator[datetime.datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.CAREBRIDGE_ATTACHMENT_DIR


@pytest.fixture
def team(cast: Any) -> CareTeam:
    team = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    return team


@pytest.fixture
def doctor(cast: Any, team: CareTeam) -> Any:
    practitioner = factories.make_practitioner(cast.clinic, given_name="Dana", family_name="Doc")
    team.practitioners.add(practitioner)
    return practitioner
