import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies import rules
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.services.common import hash_invite_token, may_manage_proxy_access
from carebridge.proxies.services.grants import change_scopes, revoke_grant
from carebridge.proxies.services.guardians import give_guardian_access, invite_guardian
from carebridge.proxies.services.invitations import accept_invitation, find_invitation
from carebridge.testing import factories
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

STAFF_ROLES = ["clinician", "nurse", "front_desk", "billing", "clinic_admin", "staff_without_mfa"]
GRANTERS = {"front_desk", "clinic_admin"}
LINK = re.compile(r"https?://\S+/accept/([^/\s]+)/")


def invite(cast, **fields):
    defaults = {
        "actor": cast.front_desk,
        "patient": cast.proxies.child,
        "email": " New.Parent@Example.org ",
        "relationship": "legal_guardian",
        "scopes": ["results", "appointments", "results"],
        "note": "  Passport and court order seen  ",
    }
    return invite_guardian(**(defaults | fields))


def counts():
    return ProxyGrant.objects.count(), AuditEvent.objects.count()


def event_of(event):
    return (event.actor, event.patient, event.acting_as, event.action, event.object_type)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_only_front_desk_and_clinic_admins_hold_the_permission(cast, role):
    user = getattr(cast, role)
    assert user.has_perm("proxies.grant_proxy_access") is (role in GRANTERS)
    assert may_manage_proxy_access(user, cast.proxies.child) is (role in GRANTERS)


def test_the_permission_is_for_our_clinic_only(cast):
    assert cast.other_clinic_admin.has_perm("proxies.grant_proxy_access")
    assert not may_manage_proxy_access(cast.other_clinic_admin, cast.proxies.child)
    assert not may_manage_proxy_access(cast.proxies.parent_of_child, cast.proxies.child)
    assert not may_manage_proxy_access(cast.patient_user, cast.patient)


def test_inviting_a_guardian_waits_for_them(cast, django_capture_on_commit_callbacks):
    child = cast.proxies.child
    now = timezone.now()
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        grant, token = invite(cast)
    grant.refresh_from_db()
    assert (grant.patient, grant.proxy, grant.status, grant.is_parental) == (
        child,
        None,
        GrantStatus.INVITED,
        True,
    )
    assert (grant.relationship, grant.scopes, grant.note, grant.granted_by) == (
        "legal_guardian",
        ["appointments", "results"],
        "Passport and court order seen",
        cast.front_desk,
    )
    assert (grant.invite_email, grant.starts_on, grant.ends_on) == (
        "new.parent@example.org",
        rules.clinic_today(cast.clinic),
        None,
    )
    assert grant.invite_token_digest == hash_invite_token(token)
    assert grant.invite_expires_at == now + datetime.timedelta(days=7)
    assert event_of(AuditEvent.objects.order_by("-sequence").first()) == (
        cast.front_desk,
        child,
        "staff",
        AuditAction.GRANT,
        "guardian_invitation",
    )


def test_the_invitation_e_mail_holds_only_the_link(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, token = invite(cast)
    [message] = mail.outbox
    assert message.to == ["new.parent@example.org"]
    assert message.subject == "[Carebridge] You are invited to help with a family member's care"
    assert LINK.findall(message.body) == [token]
    assert "The link works once and for 7 days." in message.body
    for private in ("Kit", "Kid", "RFC-2001", "Riverside", "Fran", "Passport", "result"):
        assert not mentions(message.body, private)


def test_accepting_makes_the_grant_active_and_parental(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(cast)
    token = LINK.findall(mail.outbox[0].body)[0]
    parent = factories.make_user(email="new.parent@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        grant = accept_invitation(token=token, user=parent)
    grant.refresh_from_db()
    # The parent hears what was given; Kit (9) has no account of her own, so nobody else.
    told = mail.outbox[1:]
    assert [(m.to, m.subject) for m in told] == [
        (["new.parent@example.org"], "[Carebridge] You can now help with a family member's care")
    ]
    assert "What you may see and do:\n- Test results\n- Appointments\n" in told[0].body
    assert (grant.status, grant.proxy, grant.is_parental, grant.invite_token_digest) == (
        GrantStatus.ACTIVE,
        parent,
        True,
        "",
    )
    assert rules.scopes_now(grant) == {"appointments", "results"}
    assert find_invitation(token) is None


def test_a_new_invitation_replaces_an_unused_one(cast):
    first, first_token = invite(cast)
    second, second_token = invite(cast, email="new.parent@example.org", scopes=["billing"])
    first.refresh_from_db()
    assert (first.status, first.end_reason, first.ended_by, first.invite_token_digest) == (
        GrantStatus.EXPIRED,
        EndReason.INVITATION_ENDED,
        cast.front_desk,
        "",
    )
    assert find_invitation(first_token) is None
    assert find_invitation(second_token) == second
    ended = AuditEvent.objects.filter(action=AuditAction.REVOKE).get()
    assert (event_of(ended), ended.object_id) == (
        (cast.front_desk, cast.proxies.child, "staff", AuditAction.REVOKE, "guardian_invitation"),
        str(first.pk),
    )


@pytest.mark.parametrize("role", ["clinician", "nurse", "billing", "other_clinic_admin"])
def test_staff_without_the_permission_or_of_another_clinic_cannot_invite(
    cast, role, django_capture_on_commit_callbacks
):
    before = counts()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionError):
        invite(cast, actor=getattr(cast, role))
    assert (counts(), mail.outbox) == (before, [])


def test_others_cannot_invite(cast):
    before = counts()
    for actor in (cast.proxies.parent_of_child, cast.patient_user, cast.visitor):
        with pytest.raises(PermissionError):
            invite(cast, actor=actor)
    assert counts() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"relationship": "caregiver"}, "Parental access is for a parent or legal guardian."),
        ({"relationship": "nonsense"}, "Parental access is for a parent or legal guardian."),
        ({"scopes": []}, "Choose at least one thing they may see or do."),
        ({"scopes": ["everything"]}, "Unknown kind of access: everything."),
    ],
)
def test_refusals_save_nothing(cast, fields, message, django_capture_on_commit_callbacks):
    before = counts()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        invite(cast, **fields)
    assert error.value.messages == [message]
    assert (counts(), mail.outbox) == (before, [])


def test_an_adult_patient_is_refused(cast):
    before = counts()
    for adult in (cast.patient, cast.proxies.new_adult):
        with pytest.raises(ValidationError, match="This patient is an adult"):
            invite(cast, patient=adult)
    assert counts() == before


def test_a_patient_cannot_be_invited_as_their_own_guardian(cast):
    before = counts()
    with pytest.raises(ValidationError, match="cannot be their own parent"):
        invite(cast, patient=cast.proxies.teen, email="TESS@example.org")
    assert counts() == before


def test_someone_who_already_has_access_is_refused(cast):
    before = counts()
    with pytest.raises(ValidationError, match="already has access"):
        invite(cast, email="paula@example.org")
    assert counts() == before


def test_give_grants_at_once_to_an_account_holder(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant = give_guardian_access(
            actor=cast.clinic_admin,
            patient=cast.proxies.child,
            email=" CORA@example.org",
            relationship="parent",
            scopes=["billing"],
            note="Photo ID and birth certificate seen",
        )
    assert (grant.proxy, grant.status, grant.is_parental, grant.scopes, grant.granted_by) == (
        cast.proxies.full_caregiver,
        GrantStatus.ACTIVE,
        True,
        ["billing"],
        cast.clinic_admin,
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["cora@example.org"], "[Carebridge] You can now help with a family member's care")
    ]


def test_give_invites_an_address_without_an_account(cast):
    grant = give_guardian_access(
        actor=cast.front_desk,
        patient=cast.proxies.child,
        email="someone.new@example.org",
        relationship="parent",
        scopes=["record"],
        note="Birth certificate seen",
    )
    assert (grant.proxy, grant.status, grant.is_parental, grant.invite_email) == (
        None,
        GrantStatus.INVITED,
        True,
        "someone.new@example.org",
    )


def test_granting_needs_the_permission(cast):
    for role in ("clinician", "nurse", "billing"):
        with pytest.raises(PermissionError):
            give_guardian_access(
                actor=getattr(cast, role),
                patient=cast.proxies.child,
                email="cora@example.org",
                relationship="parent",
                scopes=["record"],
                note="Seen",
            )
    assert not ProxyGrant.objects.filter(proxy=cast.proxies.full_caregiver, is_parental=True)


def test_staff_change_a_parent_but_only_end_a_caregiver(cast):
    paula = cast.proxies.grants["parent_of_child"]
    cora = cast.proxies.grants["full_caregiver"]
    change_scopes(actor=cast.front_desk, grant=paula, scopes=["appointments"])
    with pytest.raises(PermissionError):
        change_scopes(actor=cast.front_desk, grant=cora, scopes=["appointments"])
    for role in ("clinician", "nurse", "billing", "other_clinic_admin"):
        with pytest.raises(PermissionError):
            change_scopes(actor=getattr(cast, role), grant=paula, scopes=["record"])
        with pytest.raises(PermissionError):
            revoke_grant(actor=getattr(cast, role), grant=cora, reason=EndReason.REVOKED_BY_STAFF)
    revoke_grant(actor=cast.clinic_admin, grant=cora, reason=EndReason.REVOKED_BY_STAFF)
    paula.refresh_from_db()
    cora.refresh_from_db()
    assert (paula.scopes, cora.status, cora.end_reason, cora.ended_by) == (
        ["appointments"],
        GrantStatus.REVOKED,
        EndReason.REVOKED_BY_STAFF,
        cast.clinic_admin,
    )
