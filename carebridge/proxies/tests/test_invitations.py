import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.services import (
    accept_invitation,
    find_invitation,
    invite_caregiver,
    revoke_grant,
)
from carebridge.proxies.services.common import hash_invite_token
from carebridge.testing import factories
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _without_the_casts_grants(cast):
    """These tests count grants and events from a clean slate: the shared cast's caregivers
    and parents (see `testing/proxy_personas.py`) have their grants removed first."""
    ProxyGrant.objects.all().delete()


NOON = datetime.datetime(2025, 6, 1, 16, 0, tzinfo=datetime.UTC)


def invite(cast, **fields):
    defaults = {
        "actor": cast.patient_user,
        "patient": cast.patient,
        "email": " Chris@Example.org ",
        "relationship": "adult_child",
        "scopes": ["appointments", "results", "appointments"],
    }
    return invite_caregiver(**(defaults | fields))


@time_machine.travel(NOON, tick=False)
def test_invitation_is_stored_without_its_token_and_e_mailed(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        grant, token = invite(cast, ends_on=datetime.date(2025, 12, 31))
    grant.refresh_from_db()
    assert (grant.status, grant.proxy, grant.invite_email) == (
        GrantStatus.INVITED,
        None,
        "chris@example.org",
    )
    assert grant.scopes == ["appointments", "results"]
    assert (grant.starts_on, grant.ends_on) == (
        datetime.date(2025, 6, 1),
        datetime.date(2025, 12, 31),
    )
    assert grant.invite_token_digest == hash_invite_token(token) != token
    assert grant.invite_expires_at == NOON + datetime.timedelta(days=7)
    assert (grant.granted_by, grant.is_parental) == (cast.patient_user, False)
    [message] = mail.outbox
    assert message.to == ["chris@example.org"]
    assert message.subject == "[Carebridge] Pat Patient has invited you to help with their care"
    assert f"http://127.0.0.1:8000/account/caregivers/accept/{token}/" in message.body
    assert "for 7 days" in message.body
    # The patient who invites is named (they chose the address); nothing else about them.
    assert (
        "Pat Patient has invited you to help them with their health care on their clinic's "
        "patient portal."
    ) in message.body
    assert (
        "You will never need Pat Patient's password: you sign in with your own, and see only "
        "what Pat Patient allows."
    ) in message.body
    for private in (
        "Riverside",
        "result",
        "results",
        "appointment",
        "appointments",
    ):
        assert not mentions(message.body, private)
    event = AuditEvent.objects.get()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        cast.patient_user,
        cast.patient,
        "self",
        AuditAction.GRANT,
        "proxy_invitation",
    )
    assert event.object_id == str(grant.pk)


def test_accepting_activates_the_grant_once(cast, django_capture_on_commit_callbacks):
    _, token = invite(cast)
    chris = factories.make_user(email="chris@example.org")
    assert find_invitation(token) is not None
    with django_capture_on_commit_callbacks(execute=True):
        grant = accept_invitation(token=token, user=chris)
    grant.refresh_from_db()
    assert (grant.status, grant.proxy) == (GrantStatus.ACTIVE, chris)
    # The invited address stays: it is who the access went to.
    assert (grant.invite_email, grant.invite_token_digest, grant.invite_expires_at) == (
        "chris@example.org",
        "",
        None,
    )
    assert find_invitation(token) is None
    with pytest.raises(ValidationError):
        accept_invitation(token=token, user=chris)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["chris@example.org"], "[Carebridge] You can now help someone with their care"),
        (["pat@example.org"], "[Carebridge] Someone you invited can now help you"),
    ]
    event = AuditEvent.objects.filter(action=AuditAction.CREATE).get()
    assert (event.actor, event.patient, event.acting_as, event.object_type) == (
        chris,
        cast.patient,
        "proxy",
        "proxy_grant",
    )


def test_invitation_expires_after_seven_days(cast):
    with time_machine.travel(NOON, tick=False):
        _, token = invite(cast)
    chris = factories.make_user()
    with time_machine.travel(NOON + datetime.timedelta(days=7, seconds=-1), tick=False):
        assert find_invitation(token) is not None
    with time_machine.travel(NOON + datetime.timedelta(days=7), tick=False):
        assert find_invitation(token) is None
        with pytest.raises(ValidationError):
            accept_invitation(token=token, user=chris)
    assert ProxyGrant.objects.get().status == GrantStatus.INVITED


@pytest.mark.parametrize("token", ["", "not-the-token"])
def test_wrong_token_finds_nothing(cast, token):
    invite(cast)
    assert find_invitation(token) is None
    with pytest.raises(ValidationError):
        accept_invitation(token=token, user=cast.visitor)


def test_patient_cannot_accept_their_own_invitation(cast):
    _, token = invite(cast)
    with pytest.raises(ValidationError):
        accept_invitation(token=token, user=cast.patient_user)
    assert ProxyGrant.objects.get().status == GrantStatus.INVITED


def test_patient_cannot_invite_themselves(cast):
    with pytest.raises(ValidationError):
        invite(cast, email="PAT@example.org")
    assert not ProxyGrant.objects.exists()


def test_minor_cannot_invite(cast):
    teen_user = factories.make_user()
    teen = factories.make_patient(cast.clinic, user=teen_user, birth_date=datetime.date.today())
    with pytest.raises(ValidationError):
        invite(cast, actor=teen_user, patient=teen)
    assert not ProxyGrant.objects.exists()


def test_only_the_patient_may_invite(cast):
    with pytest.raises(PermissionError):
        invite(cast, actor=cast.second_patient_user)
    with pytest.raises(PermissionError):
        invite(cast, actor=cast.clinic_admin)
    assert not ProxyGrant.objects.exists()


@pytest.mark.parametrize("scopes", [[], ["everything"]])
def test_scopes_must_be_known_and_not_empty(cast, scopes):
    with pytest.raises(ValidationError):
        invite(cast, scopes=scopes)
    assert not ProxyGrant.objects.exists()


def test_inviting_the_same_address_again_replaces_the_first_invitation(cast):
    first, first_token = invite(cast)
    second, second_token = invite(cast)
    first.refresh_from_db()
    assert (first.status, first.end_reason) == (GrantStatus.EXPIRED, EndReason.INVITATION_ENDED)
    assert find_invitation(first_token) is None
    assert find_invitation(second_token) == second


def test_someone_already_helping_cannot_accept_again(cast):
    _, token = invite(cast)
    chris = factories.make_user(email="chris@example.org")
    accept_invitation(token=token, user=chris)
    with pytest.raises(ValidationError):
        invite(cast)
    _, other_token = invite(cast, email="chris.work@example.org")
    with pytest.raises(ValidationError):
        accept_invitation(token=other_token, user=chris)


def test_patient_can_cancel_an_invitation_without_e_mails(cast, django_capture_on_commit_callbacks):
    grant, token = invite(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        revoke_grant(actor=cast.patient_user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT)
    assert find_invitation(token) is None
    assert mail.outbox == []
    event = AuditEvent.objects.filter(action=AuditAction.REVOKE).get()
    assert (event.object_type, event.acting_as) == ("proxy_invitation", "self")
