"""Invitations: an adult patient invites a caregiver, who accepts from a single-use link."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.accounts.models import User
from carebridge.accounts.services import is_email_taken
from carebridge.audit.models import AuditAction, AuditOutcome
from carebridge.audit.services import record_event
from carebridge.proxies import rules
from carebridge.proxies.models import (
    EndReason,
    GrantStatus,
    ProxyGrant,
    ProxyRelationship,
)
from carebridge.proxies.services.common import (
    audit_grant,
    clean_scopes,
    end_grant,
    hash_invite_token,
    invitation_link,
    invitation_type,
    is_adult,
    is_invited_person,
    is_own_user,
    masked_address,
    send_after_commit,
    tell_both_access_given,
)

if TYPE_CHECKING:
    from carebridge.patients.models import Patient


class Invitation(NamedTuple):
    grant: ProxyGrant
    # The link's token, only ever in the e-mail (stored as an HMAC).
    token: str


def invite_caregiver(
    *,
    actor: User,
    patient: Patient,
    email: str,
    relationship: str,
    scopes: Iterable[str],
    ends_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Invitation:
    """An adult patient invites a caregiver by e-mail; the grant waits as "invited".

    Only the patient themselves, and only once adult, may invite. The link's token is stored as
    an HMAC and expires after CAREBRIDGE_PROXY_INVITE_DAYS; an earlier unused invitation to the
    same address stops working. Audited as the patient's own action.
    """
    if not is_own_user(patient, actor):
        raise PermissionError("Only the patient may invite a caregiver.")
    if not is_adult(patient):
        raise ValidationError(_("Only adult patients can invite a caregiver."))
    email = email.strip().lower()
    if email == actor.email.lower():
        raise ValidationError(_("You cannot invite yourself."))
    if relationship not in ProxyRelationship.values:
        raise ValidationError(_("Choose how this person is related to you."))
    chosen = clean_scopes(scopes)
    today = rules.clinic_today(patient.clinic)
    if ends_on is not None and ends_on < today:
        raise ValidationError(_("The end date has already passed."))
    if ProxyGrant.objects.for_patient(patient).active().filter(proxy__email__iexact=email).exists():
        raise ValidationError(_("This person can already help you."))
    with transaction.atomic():
        grant, token = open_invitation(
            actor=actor,
            acting_as="self",
            grant=ProxyGrant(
                patient=patient,
                relationship=relationship,
                scopes=chosen,
                starts_on=today,
                ends_on=ends_on,
                invite_email=email,
            ),
            request=request,
        )
        # The patient chose whom to invite, so the e-mail names them (an invitation from
        # "someone" reads like a trick); their name and the link are all it says: never the
        # clinic, the relationship or what the access covers.
        name = patient.display_name
        context = {
            "link": invitation_link(token),
            "days": settings.CAREBRIDGE_PROXY_INVITE_DAYS,
            "patient_name": name,
        }
        send_after_commit(
            _("[Carebridge] %(name)s has invited you to help with their care") % {"name": name},
            "invitation",
            [email],
            context,
            clinic=patient.clinic,
        )
    return Invitation(grant=grant, token=token)


def open_invitation(
    *, actor: User, acting_as: str, grant: ProxyGrant, request: HttpRequest | None
) -> tuple[ProxyGrant, str]:
    """Save `grant` (unsaved, its `invite_email` set) as invited, with a fresh link's token.

    Call inside the caller's transaction. An earlier unused invitation of the same patient to
    the same address stops working (a new link replaces a lost one). The token is stored only
    as an HMAC and expires after CAREBRIDGE_PROXY_INVITE_DAYS. Each step is audited as done by
    `actor` acting as `acting_as`; the caller sends the e-mail with the returned token.
    """
    earlier = ProxyGrant.objects.for_patient(grant.patient).filter(
        status=GrantStatus.INVITED, invite_email=grant.invite_email
    )
    for unused in earlier:
        end_grant(
            unused, actor=actor, reason=EndReason.INVITATION_ENDED, status=GrantStatus.EXPIRED
        )
        _audit_invitation(actor, AuditAction.REVOKE, unused, acting_as, request)
    token, now = secrets.token_urlsafe(32), timezone.now()
    grant.status, grant.granted_by, grant.granted_at = GrantStatus.INVITED, actor, now
    grant.invite_token_digest = hash_invite_token(token)
    grant.invite_expires_at = now + datetime.timedelta(days=settings.CAREBRIDGE_PROXY_INVITE_DAYS)
    grant.save()
    _audit_invitation(actor, AuditAction.GRANT, grant, acting_as, request)
    return grant, token


def _audit_invitation(
    actor: User, action: AuditAction, grant: ProxyGrant, acting_as: str, request: HttpRequest | None
) -> None:
    audit_grant(
        actor=actor,
        action=action,
        grant=grant,
        acting_as=acting_as,
        object_type=invitation_type(grant),
        request=request,
    )


def find_invitation(token: str) -> ProxyGrant | None:
    """The invited grant this link's token opens, if still usable; used, expired or wrong: None."""
    if not token:
        return None
    return (
        ProxyGrant.objects.select_related("patient__clinic")
        .filter(
            status=GrantStatus.INVITED,
            invite_token_digest=hash_invite_token(token),
            invite_expires_at__gt=timezone.now(),
        )
        .first()
    )


def _locked_invitation(token: str) -> ProxyGrant:
    """The usable invitation this token opens, locked until the transaction ends.

    A used, expired or wrong link raises ValidationError (the same for each, so the page can
    only ever say one thing). Call inside a transaction.
    """
    found = find_invitation(token)
    grant = (
        ProxyGrant.objects.select_for_update(of=("self",))
        .select_related("patient__clinic", "patient__user")
        .filter(pk=found.pk, status=GrantStatus.INVITED)
        .first()
        if found is not None
        else None
    )
    if grant is None:
        raise ValidationError(_("This invitation has expired or has already been used."))
    return grant


class NotInvitedPersonError(ValidationError):
    """The signed-in account has no verified e-mail address equal to the invited one."""

    def __init__(self, address: str) -> None:
        self.masked = masked_address(address)
        super().__init__(
            _(
                "This invitation was sent to %(address)s. Sign in with that address, or ask "
                "the person who invited you to send a new one."
            )
            % {"address": self.masked},
            code="not_invited_person",
        )


def check_invited_person(
    *, grant: ProxyGrant, user: User, request: HttpRequest | None = None
) -> None:
    """Raise NotInvitedPersonError, after recording a denied audit event, unless the user's
    verified e-mail address is the one the invitation was sent to (any case).

    Privacy rule: an invitation is bound to its person, not to whoever holds the link. The
    refusal names only the masked address, never the patient; the event (committed even
    though the caller fails) lets the patient and the clinic see that someone else tried.
    """
    if is_invited_person(user, grant.invite_email):
        return
    record_event(
        actor=user,
        action=AuditAction.CREATE,
        object_type=invitation_type(grant),
        object_id=grant.pk,
        patient=grant.patient,
        acting_as="link_holder",
        outcome=AuditOutcome.DENIED,
        request=request,
    )
    raise NotInvitedPersonError(grant.invite_email)


def _check_link_holder(token: str, user: User, request: HttpRequest | None) -> None:
    """Outside the change's transaction, so that the denied event stays recorded."""
    found = find_invitation(token)
    if found is not None:
        check_invited_person(grant=found, user=user, request=request)


def accept_invitation(*, token: str, user: User, request: HttpRequest | None = None) -> ProxyGrant:
    """The invited person, signed in, accepts: the grant becomes active and the link stops
    working; the invited address stays on the grant.

    Refused (NotInvitedPersonError, audited as denied, nothing changed) unless one of the user's
    verified addresses is the invited one; refused too when the link is used, expired or
    wrong, when the user is the patient, or when they already help this patient. Audited as
    the caregiver's action; both people are told what the access covers, by the outbox.
    """
    _check_link_holder(token, user, request)
    with transaction.atomic():
        grant = _locked_invitation(token)
        if not is_invited_person(user, grant.invite_email):
            raise NotInvitedPersonError(grant.invite_email)
        if is_own_user(grant.patient, user):
            raise ValidationError(_("You cannot accept an invitation to your own account."))
        if ProxyGrant.objects.for_patient(grant.patient).for_proxy(user).open().exists():
            raise ValidationError(_("You can already help this person."))
        grant.proxy, grant.status = user, GrantStatus.ACTIVE
        grant.starts_on = max(grant.starts_on, rules.clinic_today(grant.patient.clinic))
        grant.invite_token_digest, grant.invite_expires_at = "", None
        grant.save()
        audit_grant(
            actor=user, action=AuditAction.CREATE, grant=grant, acting_as="proxy", request=request
        )
        tell_both_access_given(grant)
    return grant


def decline_invitation(*, token: str, user: User, request: HttpRequest | None = None) -> ProxyGrant:
    """The signed-in invited person says no: the invitation ends and its link stops working.

    The grant ends as expired, with the reason "invitation ended". Refused like an acceptance
    for a used, expired or wrong link, and for an invitation to the user's own account.
    Audited as the invited person's action ("proxy"). No e-mail: nobody gained or lost access.
    Only the invited person may decline (NotInvitedPersonError otherwise, audited as denied):
    someone else holding the link cannot end it.
    """
    _check_link_holder(token, user, request)
    with transaction.atomic():
        grant = _locked_invitation(token)
        if not is_invited_person(user, grant.invite_email):
            raise NotInvitedPersonError(grant.invite_email)
        if is_own_user(grant.patient, user):
            raise ValidationError(_("You cannot decline an invitation to your own account."))
        end_grant(grant, actor=user, reason=EndReason.INVITATION_ENDED, status=GrantStatus.EXPIRED)
        audit_grant(
            actor=user,
            action=AuditAction.REVOKE,
            grant=grant,
            acting_as="proxy",
            object_type="proxy_invitation",
            request=request,
        )
    return grant


def enrol_caregiver(
    *,
    token: str,
    first_name: str,
    last_name: str,
    password: str,
    request: HttpRequest | None = None,
) -> User:
    """Create the invited person's portal account from the invitation link, and accept it.

    The account's e-mail address is the invited one, marked verified: opening the link proves
    they read mail there. All or nothing, in one transaction: an address already in use, or an
    invitation used meanwhile, leaves no account behind (ValidationError). Audited: the new
    account (no patient: it is nobody's record) and the acceptance; the patient is e-mailed.
    """
    with transaction.atomic():
        email = _locked_invitation(token).invite_email
        if is_email_taken(email):
            raise ValidationError(
                _("An account with this e-mail address already exists. Please sign in instead.")
            )
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        record_event(
            actor=user,
            action=AuditAction.ENROL,
            object_type="account",
            object_id=user.pk,
            acting_as="self",
            request=request,
        )
        accept_invitation(token=token, user=user, request=request)
    return user
