"""Changing a parent's access, and ending anyone's, from the console."""

import re

import pytest
from django.core import mail
from django.test import Client

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies.models import EndReason, GrantStatus
from carebridge.proxies.services.guardians import invite_guardian
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

ENDED_SUBJECTS = [
    ("patient", "[Carebridge] Someone's access to help you has ended"),
    ("paula@example.org", "[Carebridge] Your access to help someone has ended"),
]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(grant, patient=None):
    return f"/staff/patients/{(patient or grant.patient).pk}/access/{grant.pk}/"


def end_url(grant, patient=None):
    return change_url(grant, patient) + "end/"


def access_url(grant):
    return f"/staff/patients/{grant.patient_id}/access/"


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def last_change():
    """The latest audit event other than a view of the access page (where staff are sent)."""
    return AuditEvent.objects.exclude(action=AuditAction.VIEW).order_by("-sequence").first()


def test_the_change_form_starts_from_the_grants_scopes(cast):
    grant = cast.proxies.grants["parent_of_child"]
    grant.scopes = ["billing", "messaging"]
    grant.save()
    body = client_for(cast.front_desk).get(change_url(grant)).content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="scopes" value="(\w+)" id="\w+" checked>', body
    )
    assert checked == ["messaging", "billing"]
    assert '<legend class="label">What they may see and do</legend>' in body
    assert '<h2 class="grant-person">Paula Parent</h2>' in body


def test_staff_change_what_a_parent_may_do(cast, django_capture_on_commit_callbacks):
    grant = cast.proxies.grants["parent_of_child"]
    client = client_for(cast.clinic_admin)
    data = {"scopes": ["messaging", "appointments"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(grant), data, follow=True)
    assert response.redirect_chain == [(access_url(grant), 302)]
    assert shown_messages(response) == ["Saved. The change applies from their next page."]
    grant.refresh_from_db()
    assert (grant.scopes, grant.status) == (["appointments", "messaging"], GrantStatus.ACTIVE)
    event = last_change()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        cast.clinic_admin,
        cast.proxies.child,
        "staff",
        AuditAction.UPDATE,
        "proxy_grant",
    )
    assert mail.outbox == []


def test_choosing_nothing_is_refused(cast):
    grant = cast.proxies.grants["parent_of_child"]
    response = client_for(cast.front_desk).post(change_url(grant), {})
    assert response.status_code == 200
    assert "Choose at least one thing they may see or do." in response.content.decode()
    grant.refresh_from_db()
    assert len(grant.scopes) == 6


def test_a_caregivers_scopes_are_the_patients_to_change(cast):
    grant = cast.proxies.grants["appointments_caregiver"]
    client = client_for(cast.front_desk)
    assert client.get(change_url(grant)).status_code == 404
    assert client.post(change_url(grant), {"scopes": ["record"]}).status_code == 404
    grant.refresh_from_db()
    assert grant.scopes == ["appointments"]


def test_a_grant_of_another_patient_is_a_404(cast):
    paula = cast.proxies.grants["parent_of_child"]
    terry = cast.proxies.grants["parent_of_teen"]
    client = client_for(cast.front_desk)
    # Terry's grant (for Tess) addressed through Kit's page.
    for url in (change_url(terry, cast.proxies.child), end_url(terry, cast.proxies.child)):
        assert client.get(url).status_code == 404
    assert (
        client.post(change_url(terry, cast.proxies.child), {"scopes": ["record"]}).status_code
        == 404
    )
    assert client.post(end_url(terry, cast.proxies.child)).status_code == 404
    assert client.get(change_url(paula, cast.proxies.teen)).status_code == 404
    terry.refresh_from_db()
    assert (terry.status, len(terry.scopes)) == (GrantStatus.ACTIVE, 6)


@pytest.mark.parametrize("persona", ["clinician", "nurse", "billing", "other_clinic_admin"])
def test_staff_without_the_permission_change_and_end_nothing(cast, persona):
    grant = cast.proxies.grants["parent_of_child"]
    client = client_for(getattr(cast, persona))
    assert client.get(change_url(grant)).status_code == 404
    assert client.post(change_url(grant), {"scopes": ["record"]}).status_code == 404
    assert client.get(end_url(grant)).status_code == 404
    assert client.post(end_url(grant)).status_code == 404
    grant.refresh_from_db()
    assert (grant.status, len(grant.scopes)) == (GrantStatus.ACTIVE, 6)


def test_ending_asks_first(cast):
    grant = cast.proxies.grants["parent_of_child"]
    response = client_for(cast.front_desk).get(end_url(grant))
    body = response.content.decode()
    assert "<h1>End someone's access</h1>" in body
    assert '<h2 class="grant-person">Paula Parent</h2>' in body
    assert "Patient: Kit Kid (medical record number RFC-2001)." in body
    assert '<button type="submit" class="danger">End access</button>' in body
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE


def test_staff_end_a_parents_access_and_both_are_told(cast, django_capture_on_commit_callbacks):
    grant = cast.proxies.grants["parent_of_child"]
    kit = cast.proxies.child
    client = client_for(cast.front_desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(end_url(grant), follow=True)
    assert response.redirect_chain == [(access_url(grant), 302)]
    assert shown_messages(response) == [
        "Access ended. They and the patient have been told by e-mail."
    ]
    grant.refresh_from_db()
    assert (grant.status, grant.end_reason, grant.ended_by) == (
        GrantStatus.REVOKED,
        EndReason.REVOKED_BY_STAFF,
        cast.front_desk,
    )
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == sorted([(kit.email, ENDED_SUBJECTS[0][1]), ENDED_SUBJECTS[1]])
    for message in mail.outbox:
        assert "Why: Ended by clinic staff." in message.body
        for private in ("Kit", "Kid", "Paula", "Riverside", "RFC-2001"):
            assert not mentions(message.body, private)
    event = last_change()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        cast.front_desk,
        kit,
        "staff",
        AuditAction.REVOKE,
        "proxy_grant",
    )


def test_staff_may_end_a_caregivers_access(cast, django_capture_on_commit_callbacks):
    grant = cast.proxies.grants["full_caregiver"]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.clinic_admin).post(end_url(grant))
    grant.refresh_from_db()
    assert (grant.status, grant.end_reason, grant.ended_by) == (
        GrantStatus.REVOKED,
        EndReason.REVOKED_BY_STAFF,
        cast.clinic_admin,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["cora@example.org", "pat@example.org"]
    assert last_change().acting_as == "staff"


def test_cancelling_an_invitation_tells_nobody(cast, django_capture_on_commit_callbacks):
    grant, _token = invite_guardian(
        actor=cast.front_desk,
        patient=cast.proxies.child,
        email="new.parent@example.org",
        relationship="parent",
        scopes=["record"],
        note="Passport seen",
    )
    client = client_for(cast.front_desk)
    assert "<h1>Cancel an invitation</h1>" in client.get(end_url(grant)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(end_url(grant), follow=True)
    assert shown_messages(response) == [
        "The invitation has been cancelled. Its link no longer works."
    ]
    grant.refresh_from_db()
    assert (grant.status, grant.end_reason, grant.invite_token_digest) == (
        GrantStatus.REVOKED,
        EndReason.REVOKED_BY_STAFF,
        "",
    )
    assert mail.outbox == []
    assert (last_change().action, last_change().object_type) == (
        AuditAction.REVOKE,
        "guardian_invitation",
    )


def test_an_ended_grant_sends_staff_back_with_a_note(cast):
    grant = cast.proxies.grants["parent_of_child"]
    client = client_for(cast.front_desk)
    client.post(end_url(grant), follow=True)
    events = AuditEvent.objects.count()
    for response in (
        client.get(end_url(grant), follow=True),
        client.post(end_url(grant), follow=True),
        client.get(change_url(grant), follow=True),
        client.post(change_url(grant), {"scopes": ["record"]}, follow=True),
    ):
        assert response.redirect_chain[0] == (access_url(grant), 302)
        assert shown_messages(response) == ["This access has already ended."]
    # Only the access page's own views were recorded: nothing was changed or ended again.
    assert set(
        AuditEvent.objects.order_by("sequence")[events:].values_list("object_type", flat=True)
    ) == {"proxy_grants"}
    grant.refresh_from_db()
    assert len(grant.scopes) == 6
