"""The invitation link's page: a visitor creates an account, a signed-in user accepts or
declines, and a used, expired or wrong link gets a friendly 404."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from carebridge.accounts.models import User
from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies.models import EndReason, GrantStatus
from carebridge.proxies.services.common import invitation_link
from carebridge.proxies.services.invitations import decline_invitation, invite_caregiver
from carebridge.testing.clients import client_for as signed_in
from carebridge.testing.clients import flashed
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2025, 6, 1, 16, 0, tzinfo=datetime.UTC)
PASSWORD = "maple river lantern 42"
NEW_ACCOUNT = {
    "first_name": "Chris",
    "last_name": "Helper",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def accept_url(token):
    return reverse("proxies:invitation-accept", args=[token])


def invite(cast, email="chris@example.org"):
    return invite_caregiver(
        actor=cast.patient_user,
        patient=cast.patient,
        email=email,
        relationship="adult_child",
        scopes=["appointments", "results"],
    )


def page(response):
    return response.content.decode()


def test_the_link_is_built_from_the_page_address():
    assert invitation_link("abc-123") == "http://127.0.0.1:8000/account/caregivers/accept/abc-123/"
    assert accept_url("abc-123") == "/account/caregivers/accept/abc-123/"


# The whole journey: invitation e-mail, new account from the link, the patient told.


def test_a_new_caregiver_enrols_from_the_e_mailed_link(
    cast, patient_client, django_capture_on_commit_callbacks
):
    data = {"email": "chris@example.org", "relationship": "adult_child", "scopes": ["billing"]}
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(reverse("proxies:caregiver-invite"), data)
    [invitation] = mail.outbox
    path = re.search(
        r"http://127\.0\.0\.1:8000(/account/caregivers/accept/[\w-]+/)", invitation.body
    )
    assert path is not None
    # It names the patient who invites (they chose the address), and nothing else about them.
    assert mentions(invitation.body, "Pat Patient")
    for private in ("Riverside", "Bills", "bills", "billing"):
        assert not mentions(invitation.body, private)

    visitor = Client()
    response = visitor.get(path.group(1))
    assert response.status_code == 200
    assert "<h1>You have been invited to help someone with their care</h1>" in page(response)
    assert "<strong>chris@example.org</strong>" in page(response)
    for private in ("Pat", "Patient", "Riverside"):
        assert not mentions(page(response), private)
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(path.group(1), NEW_ACCOUNT)
    assert (response.status_code, response["Location"]) == (302, "/")
    chris = User.objects.get(email="chris@example.org")
    assert (chris.first_name, chris.last_name, chris.check_password(PASSWORD)) == (
        "Chris",
        "Helper",
        True,
    )
    assert visitor.session[SESSION_KEY] == str(chris.pk)
    assert list(EmailAddress.objects.filter(user=chris).values_list("verified", "primary")) == [
        (True, True)
    ]
    assert flashed(response) == [
        "You can now help Pat Patient. Choose them under “Whose account” at the top of the page."
    ]
    grant = cast.patient.proxy_grants.get(proxy=chris)
    assert (grant.status, grant.scopes, grant.invite_token_digest) == (
        GrantStatus.ACTIVE,
        ["billing"],
        "",
    )
    told = [(message.to, message.subject) for message in mail.outbox[1:]]
    assert told == [
        (["chris@example.org"], "[Carebridge] You can now help someone with their care"),
        (["pat@example.org"], "[Carebridge] Someone you invited can now help you"),
    ]
    for message in mail.outbox[1:]:
        assert "- Bills and payments\n" in message.body
        for private in ("Pat", "Patient", "Riverside", "Chris"):
            assert not mentions(message.body, private)
    home = visitor.get("/")
    assert [person.name for person in home.wsgi_request.acting.helped] == ["Pat Patient"]
    events = AuditEvent.objects.filter(actor=chris).order_by("sequence")
    assert [(e.action, e.object_type, e.acting_as, e.patient_id) for e in events][:2] == [
        (AuditAction.ENROL, "account", "self", None),
        (AuditAction.CREATE, "proxy_grant", "proxy", cast.patient.pk),
    ]
    assert visitor.get(path.group(1)).status_code == 404


def test_the_sign_in_link_comes_back_to_the_invitation(cast):
    _grant, token = invite(cast)
    response = Client().get(accept_url(token))
    assert f'href="/account/login/?next=%2Faccount%2Fcaregivers%2Faccept%2F{token}%2F"' in page(
        response
    )


def test_a_weak_or_mismatched_password_creates_nothing(cast):
    _grant, token = invite(cast)
    visitor = Client()
    weak = visitor.post(accept_url(token), NEW_ACCOUNT | {"password1": "tulip", "password2": "x"})
    assert weak.status_code == 200
    errors = weak.context["form"].errors
    assert errors["password1"] == [
        "This password is too short. It must contain at least 12 characters."
    ]
    mismatched = visitor.post(accept_url(token), NEW_ACCOUNT | {"password2": "something else 42"})
    assert mismatched.context["form"].errors == {
        "password2": ["The two passwords are not the same."]
    }
    assert not User.objects.filter(email="chris@example.org").exists()
    assert SESSION_KEY not in visitor.session


def test_a_password_like_ones_name_is_refused(cast):
    _grant, token = invite(cast)
    data = NEW_ACCOUNT | {"first_name": "Christopherson", "password1": "Christopherson1"}
    data["password2"] = data["password1"]
    response = Client().post(accept_url(token), data)
    assert response.context["form"].errors["password1"] == [
        "The password is too similar to the first name."
    ]


def test_an_address_with_an_account_is_told_to_sign_in(cast):
    _grant, token = invite(cast, email="val@example.org")
    visitor = Client()
    response = visitor.get(accept_url(token))
    assert "There is already an account for <strong>val@example.org</strong>." in page(response)
    assert "form" not in response.context
    visitor.post(accept_url(token), NEW_ACCOUNT)
    assert User.objects.filter(email="val@example.org").count() == 1
    assert SESSION_KEY not in visitor.session


def test_account_creation_is_all_or_nothing(cast, monkeypatch):
    _grant, token = invite(cast)

    def refuse(**kwargs):
        raise ValidationError("You can already help this person.")

    monkeypatch.setattr("carebridge.proxies.services.invitations.accept_invitation", refuse)
    visitor = Client()
    response = visitor.post(accept_url(token), NEW_ACCOUNT)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["You can already help this person."]
    assert not User.objects.filter(email="chris@example.org").exists()
    assert not EmailAddress.objects.filter(email="chris@example.org").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ENROL).exists()
    assert SESSION_KEY not in visitor.session


# Signed in: accept or decline.


def test_a_signed_in_user_sees_who_invited_them_and_accepts(
    cast, django_capture_on_commit_callbacks
):
    grant, token = invite(cast, email="val@example.org")
    val = signed_in(cast.visitor)
    response = val.get(accept_url(token))
    assert response.status_code == 200
    assert "<h1>Pat Patient has invited you to help with their care</h1>" in page(response)
    assert (response.context["relationship"], response.context["scopes"]) == (
        "Adult child",
        ["Test results", "Appointments"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = val.post(accept_url(token), {"action": "accept"})
    assert (response.status_code, response["Location"]) == (302, "/")
    grant.refresh_from_db()
    assert (grant.status, grant.proxy, grant.invite_email) == (
        GrantStatus.ACTIVE,
        cast.visitor,
        "val@example.org",
    )
    assert [m.to for m in mail.outbox] == [["val@example.org"], ["pat@example.org"]]
    home = val.get("/")
    assert [person.name for person in home.wsgi_request.acting.helped] == ["Pat Patient"]


def test_declining_ends_the_invitation_quietly(cast, django_capture_on_commit_callbacks):
    grant, token = invite(cast, email="val@example.org")
    val = signed_in(cast.visitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = val.post(accept_url(token), {"action": "decline"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert flashed(response) == ["You have declined the invitation. Nothing has changed."]
    grant.refresh_from_db()
    assert (grant.status, grant.end_reason, grant.ended_by, grant.proxy) == (
        GrantStatus.EXPIRED,
        EndReason.INVITATION_ENDED,
        cast.visitor,
        None,
    )
    assert grant.invite_token_digest == ""
    assert mail.outbox == []
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.actor, event.action, event.object_type, event.acting_as, event.patient) == (
        cast.visitor,
        AuditAction.REVOKE,
        "proxy_invitation",
        "proxy",
        cast.patient,
    )
    assert val.get(accept_url(token)).status_code == 404


def test_declining_a_used_link_is_refused(cast):
    _grant, token = invite(cast, email="val@example.org")
    decline_invitation(token=token, user=cast.visitor)
    with pytest.raises(ValidationError):
        decline_invitation(token=token, user=cast.visitor)


def test_the_patient_cannot_accept_her_own_invitation(cast, patient_client):
    grant, token = invite(cast)
    response = patient_client.post(accept_url(token), {"action": "accept"})
    assert response.status_code == 403
    assert "This invitation was sent to c***@example.org." in page(response)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.INVITED


def test_the_invited_person_cannot_accept_for_their_own_record(cast):
    # Pat added the address of a second, verified account to her own: still her own record.
    EmailAddress.objects.create(user=cast.patient_user, email="pat.two@example.org", verified=True)
    _grant, token = invite(cast, email="pat.two@example.org")
    response = signed_in(cast.patient_user).post(accept_url(token), {"action": "accept"})
    assert response.status_code == 200
    assert response.context["errors"] == ["You cannot accept an invitation to your own account."]


# Links that no longer work.


@pytest.mark.parametrize("signed_in_as", [None, "visitor"])
def test_a_wrong_link_gets_a_friendly_404(cast, signed_in_as):
    client = signed_in(cast.visitor) if signed_in_as else Client()
    response = client.get(accept_url("not-a-real-token"))
    assert response.status_code == 404
    assert "<h1>This invitation link no longer works</h1>" in page(response)
    assert "Please ask the person who invited you to send you a new invitation." in page(response)


def test_an_expired_link_gets_the_same_404(cast):
    with time_machine.travel(NOON, tick=False):
        _grant, token = invite(cast)
    with time_machine.travel(NOON + datetime.timedelta(days=6, hours=23), tick=False):
        assert Client().get(accept_url(token)).status_code == 200
    with time_machine.travel(NOON + datetime.timedelta(days=7), tick=False):
        response = signed_in(cast.visitor).post(accept_url(token), {"action": "accept"})
        assert response.status_code == 404
        assert Client().post(accept_url(token), NEW_ACCOUNT).status_code == 404
    assert not User.objects.filter(email="chris@example.org").exists()
    assert cast.patient.proxy_grants.filter(proxy=cast.visitor).count() == 0


def test_a_replaced_invitation_stops_working(cast):
    _first, old_token = invite(cast)
    _second, new_token = invite(cast)
    assert Client().get(accept_url(old_token)).status_code == 404
    assert Client().get(accept_url(new_token)).status_code == 200


def test_posts_are_limited_per_address(cast, settings):
    settings.CAREBRIDGE_ENROL_ATTEMPTS = 3
    _grant, token = invite(cast)
    visitor = Client()
    for _attempt in range(3):
        assert visitor.post(accept_url(token), {"first_name": ""}).status_code == 200
    response = visitor.post(accept_url(token), NEW_ACCOUNT)
    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in page(response)
    assert not User.objects.filter(email="chris@example.org").exists()
    assert visitor.get(accept_url(token)).status_code == 200
