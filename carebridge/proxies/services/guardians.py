"""Parents and guardians given access by clinic staff, whether or not they have an account yet.

A parent with a portal account gets access at once (`grant_parental_access`); one without is
invited by e-mail and gets it on accepting (`accept_invitation`), exactly as a caregiver does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.accounts.models import User
from carebridge.patients.models import Patient
from carebridge.proxies import rules
from carebridge.proxies.models import (
    PARENTAL_RELATIONSHIPS,
    ProxyGrant,
)
from carebridge.proxies.services.common import (
    clean_scopes,
    invitation_link,
    is_adult,
    may_manage_proxy_access,
    send_after_commit,
)
from carebridge.proxies.services.grants import grant_parental_access
from carebridge.proxies.services.invitations import Invitation, open_invitation


def give_guardian_access(
    *,
    actor: User,
    patient: Patient,
    email: str,
    relationship: str,
    scopes: Iterable[str],
    note: str,
    request: HttpRequest | None = None,
) -> ProxyGrant:
    """Staff give a parent or guardian access: at once when the address is the verified address
    of an active portal account, otherwise by invitation (the grant waits as "invited", and only
    the person who proves the address can accept it).

    The rules, audit and e-mails are those of `grant_parental_access` and `invite_guardian`.
    """
    proxy = verified_account(email)
    details: dict[str, Any] = {
        "relationship": relationship,
        "scopes": scopes,
        "note": note,
        "request": request,
    }
    if proxy is not None:
        return grant_parental_access(actor=actor, patient=patient, proxy=proxy, **details)
    return invite_guardian(actor=actor, patient=patient, email=email, **details).grant


def verified_account(email: str) -> User | None:
    """The active account whose verified e-mail address this is (any case), else None.

    An account that merely claims the address (not verified) does not get a parent's access at
    once: it is sent an invitation, which only the verified address can accept.
    """
    verified = EmailAddress.objects.filter(email__iexact=email.strip(), verified=True)
    return User.objects.filter(is_active=True, pk__in=verified.values("user_id")).first()


def _check_may_invite(actor: User, patient: Patient, relationship: str, email: str) -> None:
    if not may_manage_proxy_access(actor, patient):
        raise PermissionError(
            "Only staff of the patient's clinic who give parents' access may invite a parent."
        )
    if relationship not in PARENTAL_RELATIONSHIPS:
        raise ValidationError(_("Parental access is for a parent or legal guardian."))
    if is_adult(patient):
        raise ValidationError(
            _("This patient is an adult: they can invite a caregiver from their own account.")
        )
    own_account = User.objects.filter(patient=patient, email__iexact=email)
    if patient.user_id is not None and own_account.exists():
        raise ValidationError(_("A patient cannot be their own parent or guardian."))


def invite_guardian(
    *,
    actor: User,
    patient: Patient,
    email: str,
    relationship: str,
    scopes: Iterable[str],
    note: str = "",
    request: HttpRequest | None = None,
) -> Invitation:
    """Clinic staff invite a parent or legal guardian who has no portal account yet.

    The checks are `grant_parental_access`'s: staff of the patient's clinic who hold the
    permission to give parents' access (PermissionError otherwise), a patient under the clinic's
    adult age, a parent or guardian whose identity and relationship staff checked (`note` says
    how; never clinical details). The grant waits as "invited" and parental until the parent
    accepts from a single-use link (stored as an HMAC) that expires after
    CAREBRIDGE_PROXY_INVITE_DAYS; an earlier unused invitation to the same address stops
    working. Audited as staff; the e-mail holds only the link: no names, clinic or health data.
    """
    email = email.strip().lower()
    _check_may_invite(actor, patient, relationship, email)
    chosen = clean_scopes(scopes)
    with transaction.atomic():
        # One invitation at a time per patient: two colleagues pressing at once wait in turn.
        Patient.objects.select_for_update().only("pk").get(pk=patient.pk)
        grants = ProxyGrant.objects.for_patient(patient)
        if grants.active().filter(proxy__email__iexact=email).exists():
            raise ValidationError(_("This person already has access for this patient."))
        grant, token = open_invitation(
            actor=actor,
            acting_as="staff",
            grant=ProxyGrant(
                patient=patient,
                relationship=relationship,
                scopes=chosen,
                starts_on=rules.clinic_today(patient.clinic),
                is_parental=True,
                note=note.strip()[:500],
                invite_email=email,
            ),
            request=request,
        )
        send_after_commit(
            gettext_lazy("[Carebridge] You are invited to help with a family member's care"),
            "guardian_invitation",
            [email],
            {"link": invitation_link(token), "days": settings.CAREBRIDGE_PROXY_INVITE_DAYS},
            clinic=patient.clinic,
        )
    return Invitation(grant=grant, token=token)
