"""The staff-account services: each change's exact result and audit event, and the guards that
keep a clinic with an administrator (refusals change nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from carebridge.accounts.models import User
from carebridge.audit.models import AuditEvent
from carebridge.clinic import staff_accounts
from carebridge.clinic.models import Practitioner, StaffMember, StaffRole
from carebridge.core.actor import Actor
from carebridge.notifications.models import Notice
from carebridge.testing import factories
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _admin(cast: Cast) -> Actor:
    return Actor(user=cast.clinic_admin, acting_as="staff")


def _events() -> list[tuple[str, str, str, Any]]:
    events = AuditEvent.objects.filter(object_type__in=["staff_account", "staff_invitation"])
    return [(e.action, e.object_type, e.object_id, e.changes) for e in events.order_by("pk")]


def _state(user: User) -> tuple[str, bool, bool, list[str], int]:
    user.refresh_from_db()
    member = StaffMember.objects.get(user=user)
    groups = sorted(user.groups.values_list("name", flat=True))
    return (
        member.role,
        member.is_active,
        user.is_active,
        groups,
        Authenticator.objects.filter(user=user).count(),
    )


def _signed_in(user: User) -> Client:
    """A browser signed in as `user`, tracked as allauth's usersessions tracks sign-ins."""
    client = Client()
    client.force_login(user)
    UserSession.objects.create(
        user=user, ip="127.0.0.1", session_key=client.session.session_key, user_agent="test"
    )
    return client


def test_an_invitation_makes_the_account_and_queues_the_e_mail(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    practitioner = factories.make_practitioner(cast.clinic, given_name="Lee", family_name="Park")
    invitation = staff_accounts.Invitation(
        email=" Lee.Park@Example.org ",
        given_name="Lee ",
        family_name=" Park",
        role=StaffRole.CLINICIAN,
        practitioner=practitioner,
    )
    with django_capture_on_commit_callbacks(execute=True):
        member = staff_accounts.invite_staff(
            actor=_admin(cast), clinic=cast.clinic, invitation=invitation
        )
    user = member.user
    assert (user.email, user.first_name, user.last_name, user.has_usable_password()) == (
        "lee.park@example.org",
        "Lee",
        "Park",
        False,
    )
    assert list(user.emailaddress_set.values_list("email", "verified", "primary")) == [
        ("lee.park@example.org", True, True)
    ]
    assert _state(user) == ("clinician", True, True, ["clinician"], 0)
    assert member.clinic == cast.clinic
    practitioner.refresh_from_db()
    assert practitioner.user == user
    assert _events() == [
        (
            "create",
            "staff_account",
            str(member.pk),
            {
                "email": {"before": None, "after": "lee.park@example.org"},
                "name": {"before": None, "after": "Lee Park"},
                "role": {"before": None, "after": "clinician"},
                "active": {"before": None, "after": True},
                "two_step": {"before": None, "after": False},
                "clinician": {"before": None, "after": "Lee Park, MD"},
            },
        )
    ]
    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == (["lee.park@example.org"], "Your Carebridge staff account")
    notice = Notice.objects.get()
    assert (notice.kind, notice.clinic) == ("account", cast.clinic)


@pytest.mark.parametrize(
    "email", ["nora@example.org", "NORA@example.org", "pat@example.org", "olive@example.org"]
)
def test_an_address_already_used_is_refused_and_nothing_is_made(cast: Cast, email: str) -> None:
    users = User.objects.count()
    invitation = staff_accounts.Invitation(
        email=email, given_name="N", family_name="N", role=StaffRole.NURSE
    )
    with pytest.raises(ValidationError) as raised:
        staff_accounts.invite_staff(actor=_admin(cast), clinic=cast.clinic, invitation=invitation)
    assert raised.value.messages == ["That e-mail address already has an account here."]
    assert (User.objects.count(), _events(), Notice.objects.count()) == (users, [], 0)


def test_a_clinician_of_another_clinic_or_with_a_sign_in_is_refused(cast: Cast) -> None:
    theirs = factories.make_practitioner(cast.other_clinic)
    taken = factories.make_practitioner(cast.clinic, user=cast.clinician)
    for practitioner in (theirs, taken):
        invitation = staff_accounts.Invitation(
            email="new@example.org",
            given_name="New",
            family_name="Person",
            role=StaffRole.CLINICIAN,
            practitioner=practitioner,
        )
        with pytest.raises(ValidationError, match="Choose a clinician of this clinic who has no"):
            staff_accounts.invite_staff(
                actor=_admin(cast), clinic=cast.clinic, invitation=invitation
            )
    assert not User.objects.filter(email="new@example.org").exists()
    assert list(Practitioner.objects.filter(user__isnull=False)) == [taken]
    assert _events() == []


def test_a_role_change_moves_the_group_with_it(cast: Cast) -> None:
    member = staff_accounts.change_role(
        actor=_admin(cast), member=cast.nurse.staff_member, role=StaffRole.FRONT_DESK
    )
    assert _state(cast.nurse) == ("front_desk", True, True, ["front_desk"], 1)
    assert cast.nurse.has_perm("clinic.invite_patient")
    assert not User.objects.get(pk=cast.nurse.pk).has_perm("clinic.view_chart")
    assert _events() == [
        (
            "update",
            "staff_account",
            str(member.pk),
            {"role": {"before": "nurse", "after": "front_desk"}},
        )
    ]


def test_the_same_role_again_records_nothing(cast: Cast) -> None:
    staff_accounts.change_role(actor=_admin(cast), member=cast.nurse.staff_member, role="nurse")
    assert _events() == []


def test_an_administrator_cannot_demote_or_deactivate_themself(cast: Cast) -> None:
    own = cast.clinic_admin.staff_member
    with pytest.raises(ValidationError) as raised:
        staff_accounts.change_role(actor=_admin(cast), member=own, role=StaffRole.NURSE)
    assert raised.value.messages == [
        "You cannot change your own role. Ask another clinic administrator."
    ]
    with pytest.raises(ValidationError) as raised:
        staff_accounts.deactivate_staff(actor=_admin(cast), member=own)
    assert raised.value.messages == [
        "You cannot deactivate your own account. Ask another clinic administrator."
    ]
    assert _state(cast.clinic_admin) == ("clinic_admin", True, True, ["clinic_admin"], 1)
    assert _events() == []


def test_the_last_active_administrator_cannot_be_demoted_or_deactivated(cast: Cast) -> None:
    # Ada is the clinic's only administrator; Olive, of another clinic, does not count, and
    # neither does a deactivated administrator.
    second = factories.make_staff(
        cast.clinic, StaffRole.CLINIC_ADMIN, email="second.admin@example.org", first_name="Abe"
    )
    StaffMember.objects.filter(user=second).update(is_active=False)
    actor = Actor(user=second, acting_as="staff")
    message = (
        "Ada Admin is the clinic's only active clinic administrator. Make someone else a "
        "clinic administrator first."
    )
    member = cast.clinic_admin.staff_member
    with pytest.raises(ValidationError) as raised:
        staff_accounts.change_role(actor=actor, member=member, role=StaffRole.BILLING)
    assert raised.value.messages == [message]
    with pytest.raises(ValidationError) as raised:
        staff_accounts.deactivate_staff(actor=actor, member=member)
    assert raised.value.messages == [message]
    assert _state(cast.clinic_admin) == ("clinic_admin", True, True, ["clinic_admin"], 1)
    assert _events() == []


def test_one_of_two_active_administrators_may_be_demoted(cast: Cast) -> None:
    factories.make_staff(cast.clinic, StaffRole.CLINIC_ADMIN, email="second.admin@example.org")
    second = StaffMember.objects.get(user__email="second.admin@example.org")
    staff_accounts.change_role(actor=_admin(cast), member=second, role=StaffRole.BILLING)
    assert _state(second.user) == ("billing", True, True, ["billing"], 1)


def test_deactivation_ends_every_session_and_reactivation_restores_sign_in(cast: Cast) -> None:
    browser = _signed_in(cast.nurse)
    other_browser = _signed_in(cast.nurse)
    keys = [browser.session.session_key, other_browser.session.session_key]
    member = staff_accounts.deactivate_staff(actor=_admin(cast), member=cast.nurse.staff_member)
    assert _state(cast.nurse) == ("nurse", False, False, ["nurse"], 1)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=cast.nurse).exists()
    assert browser.get("/staff/")["Location"] == "/account/login/?next=/staff/"
    staff_accounts.reactivate_staff(actor=_admin(cast), member=member)
    assert _state(cast.nurse) == ("nurse", True, True, ["nurse"], 1)
    assert _events() == [
        ("update", "staff_account", str(member.pk), {"active": {"before": True, "after": False}}),
        ("update", "staff_account", str(member.pk), {"active": {"before": False, "after": True}}),
    ]


def test_resetting_two_step_removes_every_authenticator_and_tells_them(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    Authenticator.objects.create(
        user=cast.nurse, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    browser = _signed_in(cast.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        member = staff_accounts.reset_two_step(actor=_admin(cast), member=cast.nurse.staff_member)
    assert _state(cast.nurse) == ("nurse", True, True, ["nurse"], 0)
    assert browser.get("/staff/")["Location"] == "/account/login/?next=/staff/"
    assert _events() == [
        ("update", "staff_account", str(member.pk), {"two_step": {"before": True, "after": False}})
    ]
    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == (["nora@example.org"], "Your two-step verification was reset")
    assert sent.body == (
        "Your clinic administrator has reset the two-step verification on your Carebridge "
        "account, and you have been signed out.\n\n"
        "When you next sign in, you will set it up again:\n\n"
        "http://127.0.0.1:8000/account/login/\n\n"
        "If you did not ask for this, tell your clinic administrator.\n"
    )
    assert Notice.objects.get().kind == "security"


def test_two_step_cannot_be_reset_for_oneself_or_someone_without_it(cast: Cast) -> None:
    with pytest.raises(ValidationError) as raised:
        staff_accounts.reset_two_step(actor=_admin(cast), member=cast.clinic_admin.staff_member)
    assert raised.value.messages == [
        "Change your own two-step verification from your account page."
    ]
    with pytest.raises(ValidationError) as raised:
        staff_accounts.reset_two_step(
            actor=_admin(cast), member=cast.staff_without_mfa.staff_member
        )
    assert raised.value.messages == ["Stan NoMFA has not set up two-step verification."]
    assert (_events(), Notice.objects.count()) == ([], 0)
    assert Authenticator.objects.filter(user=cast.clinic_admin).count() == 1


def test_the_invitation_is_sent_again_only_before_a_password_is_chosen(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        staff_accounts.resend_invitation(actor=_admin(cast), member=cast.nurse.staff_member)
    assert raised.value.messages == ["Nora Nurse has already chosen a password."]
    invitation = staff_accounts.Invitation(
        email="lee@example.org", given_name="Lee", family_name="Park", role=StaffRole.NURSE
    )
    member = staff_accounts.invite_staff(
        actor=_admin(cast), clinic=cast.clinic, invitation=invitation
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_accounts.resend_invitation(actor=_admin(cast), member=member)
    assert [n.subject for n in Notice.objects.order_by("pk")] == [
        "Your Carebridge staff account",
        "Your Carebridge staff account",
    ]
    assert _events()[1] == ("create", "staff_invitation", str(member.pk), None)


def test_a_deactivated_member_cannot_sign_in_with_their_password(cast: Cast) -> None:
    cast.nurse.set_password("Nora's long password")
    cast.nurse.save()
    staff_accounts.deactivate_staff(actor=_admin(cast), member=cast.nurse.staff_member)
    browser = Client()
    browser.post(
        "/account/login/", {"login": "nora@example.org", "password": "Nora's long password"}
    )
    assert "_auth_user_id" not in browser.session
    assert browser.get("/staff/")["Location"] == "/account/login/?next=/staff/"


def test_no_invitation_is_sent_to_a_deactivated_member(cast: Cast) -> None:
    invitation = staff_accounts.Invitation(
        email="lee@example.org", given_name="Lee", family_name="Park", role=StaffRole.NURSE
    )
    member = staff_accounts.invite_staff(
        actor=_admin(cast), clinic=cast.clinic, invitation=invitation
    )
    staff_accounts.deactivate_staff(actor=_admin(cast), member=member)
    with pytest.raises(ValidationError) as raised:
        staff_accounts.resend_invitation(actor=_admin(cast), member=member)
    assert raised.value.messages == ["Reactivate the account first."]
    assert Notice.objects.count() == 1
    assert [event[1] for event in _events()] == ["staff_account", "staff_account"]
