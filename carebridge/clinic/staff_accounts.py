"""A clinic administrator's changes to the clinic's staff accounts: inviting someone with a role,
sending the invitation again, changing a role, deactivating and reactivating, and resetting
someone's two-step verification.

Audit rule: every change is recorded with `record_change` as a "staff_account" (the StaffMember's
id) with each changed value before and after, in the same transaction as the change; an invitation
is a "create", sending it again a "staff_invitation" event. E-mails go through the notice outbox in
the same transaction and say nothing but that the account changed, with a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carebridge.accounts.models import User
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change, record_event
from carebridge.clinic.models import Clinic, Practitioner, StaffMember, StaffRole
from carebridge.clinic.services import password_link
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services import send_after_commit, sign_in_link

if TYPE_CHECKING:
    from carebridge.core.actor import Actor

OBJECT_TYPE = "staff_account"


@dataclass(frozen=True)
class Invitation:
    email: str
    given_name: str
    family_name: str
    role: str
    # A clinician of the clinic who has no sign-in yet, who this person is.
    practitioner: Practitioner | None = None


def invite_staff(*, actor: Actor, clinic: Clinic, invitation: Invitation) -> StaffMember:
    """Make a staff account with no password (a verified address, the role and its group) and
    e-mail the person a one-time link to choose one; two-step verification follows at first
    sign-in. Refused (ValidationError, nothing made) for an address that already has an account,
    a role that does not exist, or a clinician of another clinic or who already has a sign-in.
    Audit: "staff_account" created, with its values."""
    email = invitation.email.strip().lower()
    if invitation.role not in StaffRole.values:
        raise ValidationError(_("Choose a role."), code="role")
    taken = ValidationError(_("That e-mail address already has an account here."), code="taken")
    try:
        with transaction.atomic():
            if is_address_taken(email):
                raise taken
            member = _make_member(clinic, invitation, email)
            record_change(
                actor=actor.user,
                object_type=OBJECT_TYPE,
                object_id=member.pk,
                before={},
                after=snapshot(member),
                action=AuditAction.CREATE,
                request=actor.request,
            )
            _send_invitation(actor, member)
    except IntegrityError as error:
        # Someone else took the address between the check and the insert.
        raise taken from error
    return member


def is_address_taken(email: str) -> bool:
    """Whether an account already uses `email` (as its sign-in or as any of its addresses)."""
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def resend_invitation(*, actor: Actor, member: StaffMember) -> None:
    """E-mail the invitation again, with a new one-time link, to someone who has not yet chosen
    a password (ValidationError otherwise). Audit: a "staff_invitation" event."""
    with transaction.atomic():
        locked = _locked(member)
        if locked.user.has_usable_password():
            raise ValidationError(
                _("%(name)s has already chosen a password.") % {"name": locked.user.display_name},
                code="already_set",
            )
        if not locked.is_active:
            raise ValidationError(_("Reactivate the account first."), code="inactive")
        record_event(
            actor=actor.user,
            action=AuditAction.CREATE,
            object_type="staff_invitation",
            object_id=locked.pk,
            acting_as="staff",
            request=actor.request,
        )
        _send_invitation(actor, locked)


def change_role(*, actor: Actor, member: StaffMember, role: str) -> StaffMember:
    """Give the member another role: their StaffMember role and their group change together.
    Refused for one's own role and for the clinic's last active administrator.
    Audit: "staff_account" updated, role before and after."""
    if role not in StaffRole.values:
        raise ValidationError(_("Choose a role."), code="role")
    with transaction.atomic():
        locked = _locked(member)
        if role != StaffRole.CLINIC_ADMIN:
            _check_may_remove_administrator(actor, locked, _("change your own role"))
        before = snapshot(locked)
        locked.role = role
        locked.save(update_fields=["role"])
        locked.user.groups.set([Group.objects.get(name=role)])
        _record(actor, locked, before)
    return locked


def deactivate_staff(*, actor: Actor, member: StaffMember) -> StaffMember:
    """Stop the member signing in or using the console, and end their open sessions at once.
    Refused for oneself and for the clinic's last active administrator.
    Audit: "staff_account" updated, active before and after."""
    with transaction.atomic():
        locked = _locked(member)
        _check_may_remove_administrator(actor, locked, _("deactivate your own account"))
        before = snapshot(locked)
        _set_active(locked, active=False)
        _end_sessions(locked.user)
        _record(actor, locked, before)
    return locked


def reactivate_staff(*, actor: Actor, member: StaffMember) -> StaffMember:
    """Let a deactivated member sign in again, with the role they had.
    Audit: "staff_account" updated, active before and after."""
    with transaction.atomic():
        locked = _locked(member)
        before = snapshot(locked)
        _set_active(locked, active=True)
        _record(actor, locked, before)
    return locked


def reset_two_step(*, actor: Actor, member: StaffMember) -> StaffMember:
    """Remove the member's two-step verification (authenticator app, recovery codes, security
    keys and passkeys) and end their open sessions, so that whoever signs in next with their
    password must set it up again; the member is told by e-mail. Refused for oneself (one's own
    account page does this) and for someone who has none.
    Audit: "staff_account" updated, two_step before and after."""
    if _is_self(actor, member):
        raise ValidationError(
            _("Change your own two-step verification from your account page."), code="self"
        )
    with transaction.atomic():
        locked = _locked(member)
        before = snapshot(locked)
        if not before["two_step"]:
            raise ValidationError(
                _("%(name)s has not set up two-step verification.")
                % {"name": locked.user.display_name},
                code="none",
            )
        Authenticator.objects.filter(user=locked.user).delete()
        _end_sessions(locked.user)
        _record(actor, locked, before)
        _send_two_step_reset(locked)
    return locked


def snapshot(member: StaffMember) -> dict[str, Any]:
    """What the audit trail records of a staff account, as JSON values."""
    practitioner = Practitioner.objects.filter(user_id=member.user_id).first()
    return {
        "email": member.user.email,
        "name": member.user.display_name,
        "role": member.role,
        "active": member.is_active and member.user.is_active,
        "two_step": Authenticator.objects.filter(user_id=member.user_id).exists(),
        "clinician": practitioner.display_name if practitioner is not None else None,
    }


def _make_member(clinic: Clinic, invitation: Invitation, email: str) -> StaffMember:
    user = User.objects.create_user(
        email=email,
        password=None,
        first_name=invitation.given_name.strip(),
        last_name=invitation.family_name.strip(),
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    member = StaffMember.objects.create(user=user, clinic=clinic, role=invitation.role)
    user.groups.set([Group.objects.get(name=invitation.role)])
    if invitation.practitioner is not None:
        _link_practitioner(clinic, invitation.practitioner, user)
    return member


def _is_self(actor: Actor, member: StaffMember) -> bool:
    return actor.user is not None and member.user_id == actor.user.pk


def _locked(member: StaffMember) -> StaffMember:
    return StaffMember.objects.select_for_update().select_related("user").get(pk=member.pk)


def _record(actor: Actor, member: StaffMember, before: dict[str, Any]) -> None:
    record_change(
        actor=actor.user,
        object_type=OBJECT_TYPE,
        object_id=member.pk,
        before=before,
        after=snapshot(member),
        request=actor.request,
    )


def _check_may_remove_administrator(actor: Actor, member: StaffMember, own_words: str) -> None:
    """Nobody takes away their own access, and a clinic keeps at least one active
    administrator, or nobody could manage its staff again without the Django admin."""
    if _is_self(actor, member):
        raise ValidationError(
            _("You cannot %(action)s. Ask another clinic administrator.") % {"action": own_words},
            code="self",
        )
    if member.role != StaffRole.CLINIC_ADMIN or not member.is_active:
        return
    # Locking every active administrator of the clinic stops two administrators removing each
    # other at the same moment (on PostgreSQL; SQLite runs one write at a time anyway).
    admins = StaffMember.objects.select_for_update().filter(
        clinic_id=member.clinic_id, role=StaffRole.CLINIC_ADMIN, is_active=True
    )
    if not admins.exclude(pk=member.pk).exists():
        raise ValidationError(
            _(
                "%(name)s is the clinic's only active clinic administrator. Make someone else "
                "a clinic administrator first."
            )
            % {"name": member.user.display_name},
            code="last_admin",
        )


def _set_active(member: StaffMember, *, active: bool) -> None:
    member.is_active = active
    member.save(update_fields=["is_active"])
    member.user.is_active = active
    member.user.save(update_fields=["is_active"])


def _end_sessions(user: User) -> None:
    # Each signed-in browser is a tracked session; ending it deletes it from the session store,
    # so the member's next request is anonymous. (An inactive user is refused by the
    # authentication backend on every request as well.)
    for session in UserSession.objects.filter(user=user):
        session.end()


def _link_practitioner(clinic: Clinic, practitioner: Practitioner, user: User) -> None:
    free = Practitioner.objects.select_for_update().filter(
        pk=practitioner.pk, clinic=clinic, user__isnull=True
    )
    if free.update(user=user) != 1:
        raise ValidationError(
            _("Choose a clinician of this clinic who has no sign-in yet."), code="practitioner"
        )


def _send_invitation(actor: Actor, member: StaffMember) -> None:
    user = member.user
    inviter = actor.user.display_name if actor.user is not None else _("Your clinic")
    send_after_commit(
        user.email,
        _("Your Carebridge staff account"),
        [
            _("%(inviter)s has made you a staff account at %(clinic)s on Carebridge.")
            % {"inviter": inviter, "clinic": member.clinic.name},
            _("Choose your password here (the link works once): %(link)s")
            % {"link": password_link(user)},
            _("When you first sign in, you will set up two-step verification."),
        ],
        kind=NoticeKind.ACCOUNT,
        clinic=member.clinic,
    )


def _send_two_step_reset(member: StaffMember) -> None:
    send_after_commit(
        member.user.email,
        _("Your two-step verification was reset"),
        [
            _(
                "Your clinic administrator has reset the two-step verification on your "
                "Carebridge account, and you have been signed out."
            ),
            _("When you next sign in, you will set it up again:"),
            sign_in_link(),
            _("If you did not ask for this, tell your clinic administrator."),
        ],
        kind=NoticeKind.SECURITY,
        clinic=member.clinic,
    )
