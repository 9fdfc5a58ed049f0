"""The appointments tests run on a fixed day: Wednesday, March 4, 2026, 10:00 a.m. in New York,
four days before the clocks there go forward (Sunday, March 8). The cast is built on that day
too, so its ages and grant dates are what the personas say."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client

from carebridge.accounts.models import User
from carebridge.patients.models import Patient
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)

ActAs = Callable[[User, Patient], Client]


@pytest.fixture
def frozen() -> Iterator[datetime.datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def cast(frozen: datetime.datetime, cast: Cast) -> Cast:
    """The shared cast, built on the fixed day."""
    return cast


@pytest.fixture
def act_as(cast: Cast) -> ActAs:
    """A client signed in as `user`, who has chosen `patient` in the header switcher."""

    return client_for
