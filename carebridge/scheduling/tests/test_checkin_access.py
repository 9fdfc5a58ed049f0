"""Every persona against the check-in page of a real appointment of Pat's, Kit's or Tess's,
as the authorisation matrix does it (the shared matrix can only use an appointment that does
not exist; see `tests/routes/checkin.py`).

Pat's is for Pat, Cora and Abe (appointments scope); Kit's for Paula; Tess's for Terry.
Everyone else gets 404 and nothing changes; nobody signed in is sent to log in. A complete
check-in posted by an allowed persona is saved; by anyone else, nothing is.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.scheduling.models import CheckIn
from carebridge.scheduling.tests.factories import local, make_appointment, make_schedule
from carebridge.testing.clients import client_for
from carebridge.testing.matrix import NOT_FOUND, OK, expectations, snapshot
from carebridge.testing.personas import PERSONAS, Cast, user_for
from carebridge.testing.proxy_personas import PROXY_PERSONAS

pytestmark = pytest.mark.django_db

OWNERS = {
    "pat": expectations(NOT_FOUND, patient=OK, full_caregiver=OK, appointments_caregiver=OK),
    "kit": expectations(NOT_FOUND, parent_of_child=OK),
    "tess": expectations(NOT_FOUND, parent_of_teen=OK),
}
# A complete check-in for a viewer who may not see the allergy and medicine lists (Abe);
# the others are also asked about the lists they may see, so the lists' answers are included.
COMPLETE = {
    "contact_confirmed": "on",
    "self_pay": "on",
    "allergies": "right",
    "medications": "right",
}


def owner_patient(cast: Cast, owner: str):
    return {"pat": cast.patient, "kit": cast.proxies.child, "tess": cast.proxies.teen}[owner]


def booked_for(cast: Cast, owner: str):
    """An appointment tomorrow afternoon: check-in is open."""
    schedule = make_schedule(cast.clinic)
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(owner_patient(cast, owner), *visit, local(2026, 3, 5, 14))


def client_of(cast: Cast, persona: str):
    acting_for = cast.proxies.acting_for(persona) if persona in PROXY_PERSONAS else None
    return client_for(user_for(cast, persona), acting_for)


@pytest.mark.parametrize("owner", sorted(OWNERS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_get(cast, owner, persona):
    visit = booked_for(cast, owner)
    client = client_of(cast, persona)
    before = snapshot()
    response = client.get(reverse("scheduling:appointment-check-in", args=[visit.pk]))
    expected = OWNERS[owner][persona]
    assert response.status_code == expected.status
    assert response.get("Location", "").startswith(expected.location)
    assert snapshot() == before


@pytest.mark.parametrize("owner", sorted(OWNERS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post(cast, owner, persona):
    visit = booked_for(cast, owner)
    client = client_of(cast, persona)
    before = snapshot()
    url = reverse("scheduling:appointment-check-in", args=[visit.pk])
    response = client.post(url, COMPLETE)
    expected = OWNERS[owner][persona]
    if expected == OK:
        assert (response.status_code, response["Location"]) == (302, f"/appointments/{visit.pk}/")
        assert CheckIn.objects.get(appointment=visit).completed_by == user_for(cast, persona)
    else:
        assert response.status_code == expected.status
        assert response.get("Location", "").startswith(expected.location)
        assert snapshot() == before
