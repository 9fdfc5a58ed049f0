"""Parental grants by clinic staff, and changing or ending any grant."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.proxies import rules
from carebridge.proxies.models import (
    PARENTAL_RELATIONSHIPS,
    EndReason,
    GrantStatus,
    ProxyGrant,
)
from carebridge.proxies.services.common import (
    audit_grant,
    clean_scopes,
    end_grant,
    invitation_type,
    is_adult,
    is_own_user,
    may_manage_proxy_access,
    tell_both_access_ended,
    tell_both_access_given,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient


def grant_parental_access(
    *,
    actor: User,
    patient: Patient,
    proxy: User,
    relationship: str,
    scopes: Iterable[str],
    note: str = "",
    request: HttpRequest | None = None,
) -> ProxyGrant:
    """Clinic staff give a parent or legal guardian access to a minor's record, at once.

    Staff must belong to the patient's clinic and hold the permission to give parents' access
    (PermissionError otherwise), and have checked identity and relationship (`note` says how;
    never clinical details). Only for patients under the clinic's adult age. Audited as staff;
    the parent, and the child if they have an account of their own, are told by e-mail what
    the access covers (in plain words, no health information).
    """
    if not may_manage_proxy_access(actor, patient):
        raise PermissionError(
            "Only staff of the patient's clinic who give parents' access may grant it."
        )
    if relationship not in PARENTAL_RELATIONSHIPS:
        raise ValidationError(_("Parental access is for a parent or legal guardian."))
    if is_adult(patient):
        raise ValidationError(
            _("This patient is an adult: they can invite a caregiver from their own account.")
        )
    if is_own_user(patient, proxy):
        raise ValidationError(_("A patient cannot be their own parent or guardian."))
    chosen = clean_scopes(scopes)
    with transaction.atomic():
        if ProxyGrant.objects.for_patient(patient).for_proxy(proxy).open().exists():
            raise ValidationError(_("This person already has access for this patient."))
        grant = ProxyGrant.objects.create(
            patient=patient,
            proxy=proxy,
            relationship=relationship,
            scopes=chosen,
            starts_on=rules.clinic_today(patient.clinic),
            status=GrantStatus.ACTIVE,
            granted_by=actor,
            is_parental=True,
            note=note.strip()[:500],
            # Kept, like an accepted invitation's: the address the access went to.
            invite_email=proxy.email.lower(),
        )
        audit_grant(
            actor=actor, action=AuditAction.GRANT, grant=grant, acting_as="staff", request=request
        )
        tell_both_access_given(grant)
    return grant


def _changer_role(actor: User, grant: ProxyGrant) -> str:
    """ "self" or "staff" when the actor may change or end this grant; PermissionError if not.

    The patient manages their own caregivers; a parental grant is managed by clinic staff who
    hold the permission to give parents' access. Those staff may also end a caregiver's grant
    (say, when the patient asks by phone), but not change it (see `_scope_changer_role`).
    """
    if is_own_user(grant.patient, actor) and not grant.is_parental:
        return "self"
    if may_manage_proxy_access(actor, grant.patient):
        return "staff"
    raise PermissionError("This user may not change this grant.")


def staff_may_change_scopes(grant: ProxyGrant) -> bool:
    """Staff change what a parental grant covers; what a caregiver may do is the patient's
    choice (staff may still end a caregiver's access)."""
    return grant.is_parental


def _scope_changer_role(actor: User, grant: ProxyGrant) -> str:
    """ "self" or "staff" when the actor may change what this grant covers; PermissionError if
    not."""
    acting_as = _changer_role(actor, grant)
    if acting_as == "staff" and not staff_may_change_scopes(grant):
        raise PermissionError("Only the patient may change what their caregiver may do.")
    return acting_as


def change_scopes(
    *, actor: User, grant: ProxyGrant, scopes: Iterable[str], request: HttpRequest | None = None
) -> ProxyGrant:
    """The patient (or, for a parental grant, clinic staff) narrows or widens a grant.

    Staff must be of the patient's clinic and hold the permission to give parents' access.
    Takes effect on the proxy's next request. Audited; no e-mail (the proxy sees the change).
    """
    acting_as = _scope_changer_role(actor, grant)
    chosen = clean_scopes(scopes)
    with transaction.atomic():
        locked = (
            ProxyGrant.objects.select_for_update(of=("self",))
            .select_related("patient")
            .get(pk=grant.pk)
        )
        if not locked.is_open:
            raise ValidationError(_("This access has already ended."))
        locked.scopes = chosen
        locked.save(update_fields=["scopes"])
        audit_grant(
            actor=actor,
            action=AuditAction.UPDATE,
            grant=locked,
            acting_as=acting_as,
            request=request,
        )
    return locked


def set_teen_sharing(
    *, actor: User, grant: ProxyGrant, scopes: Iterable[str], request: HttpRequest | None = None
) -> ProxyGrant:
    """A patient aged 12 to 17 chooses what more their parent may see (an empty list: nothing).

    Only the teenager themselves, on an active parental grant, while in the teen age band.
    Sharing never goes beyond what staff granted (see `rules.effective_scopes`). Audited.
    """
    if not is_own_user(grant.patient, actor) or not grant.is_parental:
        raise PermissionError("Only the teenager may change what they share with a parent.")
    patient = grant.patient
    band = rules.age_band(patient.birth_date, rules.clinic_today(patient.clinic), patient.clinic)
    if band is not rules.AgeBand.TEEN:
        raise ValidationError(_("Sharing with a parent can be chosen from age 12 to 17."))
    chosen = clean_scopes(scopes, allow_empty=True)
    with transaction.atomic():
        locked = (
            ProxyGrant.objects.select_for_update(of=("self",))
            .select_related("patient")
            .get(pk=grant.pk)
        )
        if locked.status != GrantStatus.ACTIVE:
            raise ValidationError(_("This access has already ended."))
        locked.teen_shared_scopes = chosen
        locked.save(update_fields=["teen_shared_scopes"])
        audit_grant(
            actor=actor,
            action=AuditAction.UPDATE,
            grant=locked,
            acting_as="self",
            object_type="proxy_sharing",
            request=request,
        )
    return locked


def _revoker(actor: User, grant: ProxyGrant) -> tuple[str, EndReason]:
    """How the actor relates to the grant, and the reason their ending gives."""
    if grant.proxy_id is not None and grant.proxy_id == actor.pk:
        return "proxy", EndReason.WITHDRAWN_BY_PROXY
    if _changer_role(actor, grant) == "self":
        return "self", EndReason.REVOKED_BY_PATIENT
    return "staff", EndReason.REVOKED_BY_STAFF


def revoke_grant(
    *, actor: User, grant: ProxyGrant, reason: str, request: HttpRequest | None = None
) -> ProxyGrant:
    """End a grant now: by the patient (own caregivers), clinic staff, or the proxy themselves.

    Staff must be of the patient's clinic and hold the permission to give parents' access.
    `reason` must be the one the actor's role gives (ValueError otherwise). Takes effect on the
    proxy's next request. Ending an ended grant changes nothing. Audited; the proxy and the
    patient are told by e-mail, with no health information.
    """
    acting_as, expected = _revoker(actor, grant)
    if reason != expected:
        raise ValueError(f"{acting_as} ends a grant with reason {expected}, not {reason}.")
    with transaction.atomic():
        locked = (
            ProxyGrant.objects.select_for_update(of=("self",))
            .select_related("patient__user", "proxy")
            .get(pk=grant.pk)
        )
        if not locked.is_open:
            return locked
        object_type = (
            "proxy_grant" if locked.status == GrantStatus.ACTIVE else invitation_type(locked)
        )
        end_grant(locked, actor=actor, reason=reason, status=GrantStatus.REVOKED)
        audit_grant(
            actor=actor,
            action=AuditAction.REVOKE,
            grant=locked,
            acting_as=acting_as,
            object_type=object_type,
            request=request,
        )
        if object_type == "proxy_grant":
            tell_both_access_ended(locked)
    return locked
