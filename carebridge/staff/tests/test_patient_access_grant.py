"""Giving a parent or guardian access from the console, with or without a portal account."""

import re

import pytest
from django.core import mail
from django.test import Client

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies import rules
from carebridge.proxies.models import GrantStatus, ProxyGrant
from carebridge.proxies.services.invitations import accept_invitation
from carebridge.testing import factories
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accept/([^/\s]+)/")
PRIVATE = ("Kit", "Kid", "RFC-2001", "Riverside", "Fran", "birth certificate")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def grant_url(patient):
    return f"/staff/patients/{patient.pk}/access/parent/"


def form_data(**fields):
    defaults = {
        "email": "cora@example.org",
        "relationship": "parent",
        "scopes": ["appointments", "record"],
        "note": "Photo ID and birth certificate seen",
        "confirmed": "on",
    }
    return defaults | fields


def snapshot():
    return ProxyGrant.objects.count(), AuditEvent.objects.filter(action=AuditAction.GRANT).count()


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def test_the_form_asks_for_everything_in_plain_words(cast):
    response = client_for(cast.front_desk).get(grant_url(cast.proxies.child))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<label for="id_email">Their e-mail address</label>' in body
    assert '<legend class="label">They are the patient&#x27;s</legend>' in body
    assert '<legend class="label">What they may see and do</legend>' in body
    assert '<label for="id_scopes_4">Bills and payments</label>' in body
    assert '<label for="id_note">How you checked identity and relationship</label>' in body
    assert "Do not write anything about the patient&#x27;s health." in body
    assert (
        '<label for="id_confirmed">I have checked this person&#x27;s identity and their '
        "relationship to the patient</label>"
    ) in body
    assert "From age 12 the clinic's age rules narrow this access, and it ends at 18." in body


def test_a_parent_with_an_account_has_access_at_once(cast, django_capture_on_commit_callbacks):
    kit, cora = cast.proxies.child, cast.proxies.full_caregiver
    client = client_for(cast.front_desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(grant_url(kit), form_data(email="CORA@example.org"), follow=True)
    assert response.redirect_chain == [(f"/staff/patients/{kit.pk}/access/", 302)]
    assert shown_messages(response) == [
        "Cora Caregiver can now help with this patient's care. We have told them by e-mail."
    ]
    grant = ProxyGrant.objects.get(patient=kit, proxy=cora)
    assert (grant.status, grant.is_parental, grant.relationship, grant.scopes) == (
        GrantStatus.ACTIVE,
        True,
        "parent",
        ["appointments", "record"],
    )
    assert (grant.note, grant.granted_by) == (
        "Photo ID and birth certificate seen",
        cast.front_desk,
    )
    assert rules.scopes_now(grant) == {"appointments", "record"}
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["cora@example.org"],
        "[Carebridge] You can now help with a family member's care",
    )
    for private in PRIVATE:
        assert not mentions(message.body, private)
    event = AuditEvent.objects.filter(action=AuditAction.GRANT).get()
    assert (event.actor, event.patient, event.acting_as, event.object_type) == (
        cast.front_desk,
        kit,
        "staff",
        "proxy_grant",
    )


def test_a_parent_without_an_account_is_invited_then_accepts(
    cast, django_capture_on_commit_callbacks
):
    kit = cast.proxies.child
    client = client_for(cast.clinic_admin)
    data = form_data(email="New.Parent@example.org", relationship="legal_guardian")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(grant_url(kit), data, follow=True)
    assert shown_messages(response) == [
        "We have e-mailed an invitation to new.parent@example.org. Their access starts when "
        "they accept it; the link works once, for 7 days."
    ]
    grant = ProxyGrant.objects.get(patient=kit, invite_email="new.parent@example.org")
    assert (grant.status, grant.proxy, grant.is_parental, grant.granted_by) == (
        GrantStatus.INVITED,
        None,
        True,
        cast.clinic_admin,
    )
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["new.parent@example.org"],
        "[Carebridge] You are invited to help with a family member's care",
    )
    for private in PRIVATE:
        assert not mentions(message.body, private)
    event = AuditEvent.objects.filter(action=AuditAction.GRANT).get()
    assert (event.actor, event.patient, event.acting_as, event.object_type) == (
        cast.clinic_admin,
        kit,
        "staff",
        "guardian_invitation",
    )
    [token] = LINK.findall(message.body)
    parent = factories.make_user(email="new.parent@example.org")
    accept_invitation(token=token, user=parent)
    grant.refresh_from_db()
    assert (grant.status, grant.proxy, grant.is_parental, grant.relationship) == (
        GrantStatus.ACTIVE,
        parent,
        True,
        "legal_guardian",
    )
    assert rules.scopes_now(grant) == {"appointments", "record"}


@pytest.mark.parametrize(
    ("patient", "fields", "error"),
    [
        (
            "child",
            {"email": "paula@example.org"},
            "This person already has access for this patient.",
        ),
        (
            "teen",
            {"email": "tess@example.org"},
            "A patient cannot be their own parent or guardian.",
        ),
        ("child", {"confirmed": ""}, "Tick the box once you have checked."),
        ("child", {"note": "   "}, "Say how you checked who they are."),
        ("child", {"scopes": []}, "Choose at least one thing they may see or do."),
        ("child", {"scopes": ["everything"]}, "Select a valid choice. everything is not one"),
        ("child", {"relationship": "caregiver"}, "Select a valid choice. caregiver is not one"),
        ("child", {"email": "not an address"}, "Enter a valid email address."),
    ],
)
def test_refusals_are_shown_on_the_form_and_save_nothing(
    cast, patient, fields, error, django_capture_on_commit_callbacks
):
    before = snapshot()
    client = client_for(cast.front_desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(grant_url(getattr(cast.proxies, patient)), form_data(**fields))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div class="error-summary" role="alert" tabindex="-1">' in body
    assert error in body.replace("&#x27;", "'")
    assert (snapshot(), mail.outbox) == (before, [])


def test_an_adult_patient_cannot_be_given_parental_access(cast):
    jo = cast.proxies.new_adult
    client = client_for(cast.front_desk)
    body = client.get(grant_url(jo)).content.decode()
    assert "Parental access is not possible: this patient is an adult." in body
    assert "The patient can invite a caregiver themselves, from their own account." in body
    assert '<form method="post" novalidate>' not in body
    before = snapshot()
    response = client.post(grant_url(jo), form_data())
    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["clinician", "nurse", "billing", "other_clinic_admin"])
def test_staff_without_the_permission_get_a_404_and_nothing_is_saved(cast, persona):
    before = snapshot()
    client = client_for(getattr(cast, persona))
    assert client.get(grant_url(cast.proxies.child)).status_code == 404
    assert client.post(grant_url(cast.proxies.child), form_data()).status_code == 404
    assert (snapshot(), mail.outbox) == (before, [])
