"""Ending grants whose time is up, run daily by `carebridge.proxies.tasks`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carebridge.audit.models import AuditAction
from carebridge.proxies import rules
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.services.common import (
    audit_grant,
    end_grant,
    tell_both_access_ended,
)


@dataclass
class LapsedCounts:
    expired: int = 0
    came_of_age: int = 0
    invitations: int = 0


def end_lapsed_grants(*, today: datetime.date) -> LapsedCounts:
    """End grants whose time is up: past their end date, or a parent's once the child is adult.

    Unused invitations past their expiry end too (no e-mail: nobody gained access). Audited as
    Carebridge itself; both sides of an ended grant are told by e-mail. Safe to run twice: an
    ended grant is no longer active, so it is neither ended nor announced again.
    """
    counts = LapsedCounts()
    with transaction.atomic():
        candidates = (
            ProxyGrant.objects.active()
            .select_for_update(of=("self",))
            .select_related("patient__clinic", "patient__user", "proxy")
            .filter(_maybe_lapsed(today))
        )
        for grant in candidates:
            reason = _lapse_reason(grant, today)
            if reason is None:
                continue
            end_grant(grant, actor=None, reason=reason, status=GrantStatus.EXPIRED)
            audit_grant(actor=None, action=AuditAction.REVOKE, grant=grant, acting_as="system")
            tell_both_access_ended(grant)
            if reason == EndReason.CAME_OF_AGE:
                counts.came_of_age += 1
            else:
                counts.expired += 1
        counts.invitations = _end_expired_invitations()
    return counts


def _maybe_lapsed(today: datetime.date) -> Q:
    """Active grants that may have lapsed: past their end date, or parental (age is checked)."""
    return Q(ends_on__lt=today) | Q(is_parental=True)


def _lapse_reason(grant: ProxyGrant, today: datetime.date) -> EndReason | None:
    patient = grant.patient
    if rules.has_come_of_age(
        grant, patient_birth_date=patient.birth_date, today=today, clinic=patient.clinic
    ):
        return EndReason.CAME_OF_AGE
    if grant.ends_on is not None and grant.ends_on < today:
        return EndReason.EXPIRED
    return None


def _end_expired_invitations() -> int:
    stale = ProxyGrant.objects.select_related("patient").filter(
        status=GrantStatus.INVITED, invite_expires_at__lte=timezone.now()
    )
    count = 0
    for grant in stale:
        end_grant(grant, actor=None, reason=EndReason.INVITATION_ENDED, status=GrantStatus.EXPIRED)
        audit_grant(
            actor=None,
            action=AuditAction.REVOKE,
            grant=grant,
            acting_as="system",
            object_type="proxy_invitation",
        )
        count += 1
    return count
