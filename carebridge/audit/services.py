"""Writing to the audit trail. Every view of a patient's data and every change calls this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from carebridge.audit.models import AuditAction, AuditChainHead, AuditEvent, AuditOutcome
from carebridge.core.http import client_ip, user_agent

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient


def record_event(
    *,
    actor: User | None,
    action: AuditAction,
    object_type: str,
    object_id: object = "",
    patient: Patient | None = None,
    acting_as: str = "",
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction if there is one.

    Privacy rule: events name objects by type and id only, never by clinical content, so the
    trail itself holds no health information beyond who touched which patient's record.
    """
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            # Only after a wholesale flush of the tables (tests); the migration creates it.
            head = AuditChainHead.objects.create(pk=1)
        event = AuditEvent(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor=actor,
            actor_label=actor.display_name[:200] if actor is not None else "",
            patient=patient,
            acting_as=acting_as,
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            outcome=outcome,
            ip=client_ip(request) if request is not None else "",
            user_agent=user_agent(request) if request is not None else "",
            request_id=str(getattr(request, "request_id", ""))[:64],
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
    return event
