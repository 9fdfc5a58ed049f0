"""Every persona against the pages of an appointment booked in Carebridge, as the
authorisation matrix does it, with a real appointment of Pat's, Kit's or Tess's.

The shared matrix (`tests/routes/appointments.py`) builds its URLs after taking its snapshot, so
it cannot create an appointment first; it checks these pages with an appointment that does not
exist. Here each patient's appointment is made before the snapshot. Pat's is for Pat, Cora and
Abe (appointments scope); Kit's for Paula; Tess's for Terry (appointments stay open to a parent
of a teenager). Everyone else gets 404, and nothing changes; nobody signed in is sent to log in.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.scheduling.models import AppointmentStatus
from carebridge.scheduling.tests.factories import local, make_appointment, make_schedule
from carebridge.testing.clients import client_for
from carebridge.testing.matrix import NOT_FOUND, OK, Expect, expectations, snapshot
from carebridge.testing.personas import PERSONAS, Cast, user_for
from carebridge.testing.proxy_personas import PROXY_PERSONAS

pytestmark = pytest.mark.django_db

OWNERS = {
    "pat": expectations(NOT_FOUND, patient=OK, full_caregiver=OK, appointments_caregiver=OK),
    "kit": expectations(NOT_FOUND, parent_of_child=OK),
    "tess": expectations(NOT_FOUND, parent_of_teen=OK),
}
PAGES = (
    "scheduling:appointment-detail",
    "scheduling:appointment-ics",
    "scheduling:appointment-cancel",
    "scheduling:appointment-reschedule",
)


def owner_patient(cast: Cast, owner: str):
    return {"pat": cast.patient, "kit": cast.proxies.child, "tess": cast.proxies.teen}[owner]


def booked_for(cast: Cast, owner: str):
    schedule = make_schedule(cast.clinic)
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(owner_patient(cast, owner), *visit, local(2026, 3, 9, 9, 30))


def client_of(cast: Cast, persona: str):
    acting_for = cast.proxies.acting_for(persona) if persona in PROXY_PERSONAS else None
    return client_for(user_for(cast, persona), acting_for)


def outcome(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


@pytest.mark.parametrize("owner", sorted(OWNERS))
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", PAGES)
def test_get(cast, owner, persona, name):
    visit = booked_for(cast, owner)
    client = client_of(cast, persona)
    before = snapshot()
    response = client.get(reverse(name, args=[visit.pk]))
    expected: Expect = OWNERS[owner][persona]
    assert outcome(response)[0] == expected.status
    assert outcome(response)[1].startswith(expected.location)
    assert snapshot() == before


@pytest.mark.parametrize("owner", sorted(OWNERS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_reschedule_without_a_time(cast, owner, persona):
    """Allowed personas are sent back to the times; nobody changes anything."""
    visit = booked_for(cast, owner)
    client = client_of(cast, persona)
    before = snapshot()
    url = reverse("scheduling:appointment-reschedule", args=[visit.pk])
    response = client.post(url, {"time": "nonsense"})
    expected = OWNERS[owner][persona]
    if expected == OK:
        assert outcome(response) == (302, url)
    else:
        assert outcome(response)[0] == expected.status
        assert outcome(response)[1].startswith(expected.location)
    assert snapshot() == before


@pytest.mark.parametrize("owner", sorted(OWNERS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_cancel(cast, owner, persona):
    visit = booked_for(cast, owner)
    client = client_of(cast, persona)
    before = snapshot()
    url = reverse("scheduling:appointment-cancel", args=[visit.pk])
    response = client.post(url, {"reason": ""})
    visit.refresh_from_db()
    if OWNERS[owner][persona] == OK:
        assert outcome(response) == (302, f"/appointments/{visit.pk}/")
        assert visit.status == AppointmentStatus.CANCELLED
    else:
        expected = OWNERS[owner][persona]
        assert outcome(response)[0] == expected.status
        assert outcome(response)[1].startswith(expected.location)
        assert visit.status == AppointmentStatus.BOOKED
        assert snapshot() == before


BOOKERS = expectations(NOT_FOUND, patients=OK, proxies=OK, ended_proxies=NOT_FOUND)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_times_of_a_real_visit_type(cast, persona):
    """Each patient and each proxy acting today with the appointments scope sees the times."""
    schedule = make_schedule(cast.clinic)
    client = client_of(cast, persona)
    before = snapshot()
    response = client.get(reverse("scheduling:book-times"), {"type": schedule.visit_type.pk})
    expected = BOOKERS[persona]
    assert outcome(response)[0] == expected.status
    assert outcome(response)[1].startswith(expected.location)
    assert snapshot() == before


@pytest.mark.parametrize("owner", sorted(OWNERS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_join_a_visit_that_is_not_a_video_visit(cast, owner, persona):
    """Those who may see the appointment are sent back to its page (it is in person); everyone
    else gets 404; nobody signed in is sent to log in; nothing changes."""
    visit = booked_for(cast, owner)
    client = client_of(cast, persona)
    before = snapshot()
    response = client.get(reverse("scheduling:appointment-join", args=[visit.pk]))
    expected: Expect = OWNERS[owner][persona]
    if expected == OK:
        assert outcome(response) == (302, f"/appointments/{visit.pk}/")
    else:
        assert outcome(response)[0] == expected.status
        assert outcome(response)[1].startswith(expected.location)
    assert snapshot() == before
