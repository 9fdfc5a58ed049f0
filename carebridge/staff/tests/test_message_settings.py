"""The clinic's message settings page: clinic administrators choose how many working days the
clinic takes to answer; patients read it before writing. Audited; nobody else may change it."""

from __future__ import annotations

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.messaging.models import CareTeam
from carebridge.testing.clients import client_for, flashed

pytestmark = pytest.mark.django_db

URL = "/staff/inbox/settings/"


def test_the_admin_changes_the_reply_days_and_patients_read_it(cast):
    admin = client_for(cast.clinic_admin)
    page = admin.get(URL)
    assert page.status_code == 200
    assert 'name="reply_days" value="2"' in page.content.decode()
    response = admin.post(URL, {"reply_days": "4"})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert flashed(response) == ["Saved. Patients see this before they write."]
    cast.clinic.refresh_from_db()
    assert cast.clinic.message_reply_days == 4
    event = AuditEvent.objects.get(object_type="clinic_settings")
    assert (event.action, event.object_id, event.actor_id) == (
        "update",
        str(cast.clinic.pk),
        cast.clinic_admin.pk,
    )
    assert event.changes == {"message_reply_days": {"before": 2, "after": 4}}
    CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    compose = client_for(cast.patient_user).get("/messages/new/").content.decode()
    assert "The clinic answers messages within 4 working days." in " ".join(compose.split())
    # Another clinic keeps its own.
    cast.other_clinic.refresh_from_db()
    assert cast.other_clinic.message_reply_days == 2


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "Say how many working days the clinic takes to answer."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("31", "Ensure this value is less than or equal to 30."),
        ("two", "Enter a whole number."),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(cast, value, error):
    response = client_for(cast.clinic_admin).post(URL, {"reply_days": value})
    assert response.status_code == 200
    assert error in response.content.decode()
    cast.clinic.refresh_from_db()
    assert cast.clinic.message_reply_days == 2
    assert not AuditEvent.objects.filter(object_type="clinic_settings").exists()


def test_the_console_links_to_it_for_clinic_admins_only(cast):
    assert URL in client_for(cast.clinic_admin).get("/staff/").content.decode()
    assert URL not in client_for(cast.nurse).get("/staff/").content.decode()
    assert client_for(cast.nurse).post(URL, {"reply_days": "9"}).status_code == 404
    cast.clinic.refresh_from_db()
    assert cast.clinic.message_reply_days == 2
