"""An invitation goes to its person: only the account whose verified address is the invited one
may accept or decline it; anyone else holding the link is refused, audited, and changes nothing.
Both people hear of an acceptance, and a teenager hears what staff gave their parent.

Cast: Pat invites a caregiver; Sam (second patient) and Val (visitor) are signed in with other
addresses; Fran (front desk) gives parents' access to Kit (9, no account) and Tess (15, with an
account of her own).
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditAction, AuditEvent, AuditOutcome
from carebridge.proxies.models import GrantStatus, ProxyGrant
from carebridge.proxies.services.common import masked_address
from carebridge.proxies.services.grants import grant_parental_access
from carebridge.proxies.services.guardians import give_guardian_access, invite_guardian
from carebridge.proxies.services.invitations import (
    Invitation,
    NotInvitedPersonError,
    accept_invitation,
    decline_invitation,
    invite_caregiver,
)
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

REFUSAL = (
    "This invitation was sent to c***@example.org. Sign in with that address, or ask the "
    "person who invited you to send a new one."
)


def invite(cast: Cast, email: str = "Chris@Example.org") -> Invitation:
    return invite_caregiver(
        actor=cast.patient_user,
        patient=cast.patient,
        email=email,
        relationship="adult_child",
        scopes=["appointments", "billing"],
    )


def accept_url(token: str) -> str:
    return reverse("proxies:invitation-accept", args=[token])


def denied_events() -> list[tuple[object, ...]]:
    rows = AuditEvent.objects.filter(outcome=AuditOutcome.DENIED).order_by("sequence")
    return [(e.actor_id, e.action, e.object_type, e.acting_as, e.patient_id) for e in rows]


@pytest.mark.parametrize(
    ("address", "masked"),
    [("chris@example.org", "c***@example.org"), ("j@x.example", "j***@x.example")],
)
def test_the_address_is_masked_but_for_its_first_letter(address: str, masked: str) -> None:
    assert masked_address(address) == masked


def test_an_unrelated_patient_with_the_link_is_refused_and_nothing_changes(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        grant, token = invite(cast)
    mail.outbox.clear()
    sam = client_for(cast.second_patient_user)
    shown = sam.get(accept_url(token))
    with django_capture_on_commit_callbacks(execute=True):
        posted = sam.post(accept_url(token), {"action": "accept"})
    for response in (shown, posted):
        assert response.status_code == 403
        body = response.content.decode()
        assert "<h1>This invitation is for someone else</h1>" in body
        assert REFUSAL in body
        # The refusal never says whose invitation it is, nor what it offers.
        for private in ("Pat", "Patient", "Adult child", "Bills and payments"):
            assert not mentions(body, private)
    grant.refresh_from_db()
    assert (grant.status, grant.proxy_id) == (GrantStatus.INVITED, None)
    assert not ProxyGrant.objects.filter(proxy=cast.second_patient_user).exists()
    assert mail.outbox == []
    denied = (
        cast.second_patient_user.pk,
        AuditAction.CREATE,
        "proxy_invitation",
        "link_holder",
        cast.patient.pk,
    )
    assert denied_events() == [denied, denied]


def test_the_refused_person_cannot_decline_it_either(cast: Cast) -> None:
    grant, token = invite(cast)
    with pytest.raises(NotInvitedPersonError) as refusal:
        decline_invitation(token=token, user=cast.visitor)
    assert refusal.value.messages == [REFUSAL]
    grant.refresh_from_db()
    assert grant.status == GrantStatus.INVITED
    assert len(denied_events()) == 1


def test_the_invited_person_gets_in_whatever_the_case_of_the_address(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    grant, token = invite(cast, email="Chris@Example.org")
    chris = factories.make_user(email="chris.h@example.net")
    # Verified under another spelling of the invited address.
    EmailAddress.objects.create(user=chris, email="CHRIS@example.ORG", verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(chris).post(accept_url(token), {"action": "accept"})
    assert (response.status_code, response["Location"]) == (302, "/")
    grant.refresh_from_db()
    assert (grant.status, grant.proxy, grant.invite_email) == (
        GrantStatus.ACTIVE,
        chris,
        "chris@example.org",
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["chris.h@example.net"], "[Carebridge] You can now help someone with their care"),
        (["pat@example.org"], "[Carebridge] Someone you invited can now help you"),
    ]
    for message in mail.outbox:
        assert "- Appointments\n- Bills and payments\n" in message.body
    assert denied_events() == []


def test_a_second_verified_address_of_the_account_counts(cast: Cast) -> None:
    grant, token = invite(cast)
    EmailAddress.objects.create(user=cast.visitor, email="chris@example.org", verified=True)
    accept_invitation(token=token, user=cast.visitor)
    grant.refresh_from_db()
    assert (grant.status, grant.proxy) == (GrantStatus.ACTIVE, cast.visitor)


def test_an_unverified_address_does_not_count(cast: Cast) -> None:
    grant, token = invite(cast)
    EmailAddress.objects.create(user=cast.visitor, email="chris@example.org", verified=False)
    with pytest.raises(NotInvitedPersonError):
        accept_invitation(token=token, user=cast.visitor)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.INVITED


def test_a_visitor_who_is_not_signed_in_never_sees_the_patient(cast: Cast) -> None:
    _grant, token = invite(cast)
    response = Client().get(accept_url(token))
    assert response.status_code == 200
    assert not mentions(response.content.decode(), "Pat")


# Parents and guardians invited by clinic staff have the same binding.


def test_a_guardian_invitation_is_refused_to_anyone_else(cast: Cast) -> None:
    grant, token = invite_guardian(
        actor=cast.front_desk,
        patient=cast.proxies.child,
        email="new.parent@example.org",
        relationship="parent",
        scopes=["appointments"],
    )
    response = client_for(cast.visitor).post(accept_url(token), {"action": "accept"})
    assert response.status_code == 403
    assert "This invitation was sent to n***@example.org." in response.content.decode()
    grant.refresh_from_db()
    assert (grant.status, grant.proxy_id) == (GrantStatus.INVITED, None)
    denied = (cast.visitor.pk, AuditAction.CREATE, "guardian_invitation", "link_holder")
    assert denied_events() == [(*denied, grant.patient_id)]


def test_staff_give_access_at_once_only_to_a_verified_address(cast: Cast) -> None:
    unverified = factories.make_user(email="claims@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    grant = give_guardian_access(
        actor=cast.front_desk,
        patient=cast.proxies.child,
        email="Claims@example.org",
        relationship="parent",
        scopes=["appointments"],
        note="Birth certificate seen",
    )
    assert (grant.status, grant.proxy_id, grant.invite_email) == (
        GrantStatus.INVITED,
        None,
        "claims@example.org",
    )


def test_a_parent_grant_tells_the_parent_and_the_teenager_what_was_given(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    parent = factories.make_user(email="second.parent@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        grant = grant_parental_access(
            actor=cast.front_desk,
            patient=cast.proxies.teen,
            proxy=parent,
            relationship="parent",
            scopes=["appointments", "results"],
            note="Passport seen",
        )
    assert grant.invite_email == "second.parent@example.org"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["second.parent@example.org"],
            "[Carebridge] You can now help with a family member's care",
        ),
        (
            ["tess@example.org"],
            "[Carebridge] Your parent or guardian now has access to your account",
        ),
    ]
    teen_body = mail.outbox[1].body
    assert "What they may see and do:\n- Test results\n- Appointments\n" in teen_body
    assert "From age 12, some parts of your account stay private" in teen_body
    for message in mail.outbox:
        for private in ("Tess", "Teen", "RFC-2002", "Riverside", "Passport"):
            assert not mentions(message.body, private)
        assert len(re.findall(r"https?://", message.body)) == 1
