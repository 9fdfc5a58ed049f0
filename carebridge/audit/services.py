"""Writing to the audit trail: recording events (every request) and sealing them (the worker).

Recording takes no lock that another request waits for; sealing is done by one sealer at a time,
outside requests, and publishes a checkpoint outside the database (docs/adr/0003).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from carebridge.audit.chain import audit_key, chain_hash
from carebridge.audit.checkpoints import publish_checkpoint
from carebridge.audit.models import (
    AuditAction,
    AuditChainHead,
    AuditEvent,
    AuditOutcome,
    AuditPendingEvent,
    AuditSeal,
)
from carebridge.core.http import client_ip, user_agent
from carebridge.core.middleware import is_well_formed_request_id

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
    changes: dict[str, dict[str, Any]] | None = None,
) -> AuditEvent:
    """Append one event to the trail, inside the caller's transaction if there is one.

    Two INSERTs and no lock: the event, and its place in the sealer's queue. Its seal (its
    position in the chain) is added later by `seal_pending_events`, so a long transaction that
    records events (an import) never makes another patient's request wait.

    Privacy rule: events name objects by type and id only, never by clinical content, so the
    trail itself holds no health information beyond who touched which patient's record.
    """
    common = _who_and_where(actor, acting_as, request)
    event = AuditEvent(
        patient=patient,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        outcome=outcome,
        changes=changes or None,
        **common,
    )
    return _append([event])[0]


def record_change(
    *,
    actor: User | None,
    object_type: str,
    object_id: object = "",
    before: dict[str, Any],
    after: dict[str, Any],
    action: AuditAction = AuditAction.UPDATE,
    request: HttpRequest | None = None,
    patient: Patient | None = None,
    acting_as: str | None = None,
) -> AuditEvent | None:
    """Record a change to the clinic's configuration with each changed setting's value before
    and after; nothing when no value changed. For an addition pass `before={}` (and
    `action=AuditAction.CREATE`), for a removal `after={}`.

    Privacy rule: only for configuration (names, hours, settings, roles) and, with `patient`
    and `acting_as`, for the contact details a patient keeps on My details (phone, address,
    emergency contacts, pharmacy); never for anything clinical in a patient's record. Values
    must be JSON values (str, int, bool, None, lists of them), so that the sealed encoding of
    the event is the same after it is read back.
    """
    changes = {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    }
    if not changes:
        return None
    return record_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        request=request,
        changes=changes,
        patient=patient,
        acting_as=acting_as if acting_as is not None else "staff" if actor is not None else "",
    )


def record_view(
    request: HttpRequest,
    patient: Patient | None,
    *,
    object_type: str,
    object_id: object = "",
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> AuditEvent:
    """Record that the request's viewer saw (or was refused) a page or object of `patient`'s,
    as whom their acting context says they act (self, proxy or staff). The one helper every
    view's audit goes through. Privacy rule: as `record_event`."""
    acting = request.acting  # type: ignore[attr-defined]
    return record_event(
        actor=acting.user,
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        patient=patient,
        acting_as=acting.relationship.value,
        outcome=outcome,
        request=request,
    )


def record_list_view(
    *,
    actor: User,
    patients: Iterable[Patient],
    object_type: str,
    request: HttpRequest,
    acting_as: str = "staff",
) -> int:
    """Record one view event for each distinct patient a page showed, in two bulk INSERTs.

    A staff list page (inbox, queue, schedule) shows several patients' data at once; each of
    those patients' "who saw my record" trail must show it, so every patient shown gets an event
    of its own. The cost is constant in queries however many patients the page lists.
    Privacy rule: the event names the page (`object_type`), never what the page showed.
    """
    unique = list({patient.pk: patient for patient in patients}.values())
    if not unique:
        return 0
    common = _who_and_where(actor, acting_as, request)
    events = [
        AuditEvent(
            patient=patient,
            object_id=str(patient.pk),
            action=AuditAction.VIEW,
            object_type=object_type,
            outcome=AuditOutcome.SUCCESS,
            **common,
        )
        for patient in unique
    ]
    return len(_append(events))


def _who_and_where(
    actor: User | None, acting_as: str, request: HttpRequest | None
) -> dict[str, Any]:
    """The fields every event of one request shares: when, who, as what, from where."""
    return {
        "occurred_at": timezone.now(),
        "actor": actor,
        "actor_label": actor.display_name[:200] if actor is not None else "",
        "acting_as": acting_as,
        "ip": client_ip(request) if request is not None else "",
        "user_agent": user_agent(request) if request is not None else "",
        "request_id": _request_id(request),
    }


def _append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Insert the events: no lock, one INSERT. The database's trigger (migration 0008) puts
    each in the sealer's queue (`AuditPendingEvent`) in the same statement."""
    return AuditEvent.objects.bulk_create(events)


def _request_id(request: HttpRequest | None) -> str:
    """The request's id if it is well formed; anything else is never written to the trail."""
    request_id = str(getattr(request, "request_id", ""))
    return request_id if is_well_formed_request_id(request_id) else ""


def _take_sealer_lock() -> AuditChainHead:
    """Lock the chain head: a second sealer waits here; requests never take this lock.

    An UPDATE, not a SELECT FOR UPDATE, so that SQLite takes its write lock here too.
    """
    if AuditChainHead.objects.filter(pk=1).update(position=F("position")) == 0:
        # Only after a wholesale flush of the tables (tests); the migration creates it.
        return AuditChainHead.objects.create(pk=1)
    return AuditChainHead.objects.get(pk=1)


def _seal(events: list[AuditEvent], head: AuditChainHead, now: datetime.datetime) -> None:
    key = audit_key()
    seals = []
    for event in events:
        head.position += 1
        head.chain_hash = chain_hash(head.chain_hash, event, key=key)
        seals.append(
            AuditSeal(
                position=head.position, event=event, chain_hash=head.chain_hash, sealed_at=now
            )
        )
    AuditSeal.objects.bulk_create(seals)
    # The queue rows of what is now sealed: a row another transaction committed meanwhile has no
    # seal yet, so it stays for the next pass.
    AuditPendingEvent.objects.filter(event__seal__isnull=False).delete()
    head.save(update_fields=["position", "chain_hash"])


def seal_pending_events(*, limit: int = 5000) -> int:
    """Seal up to `limit` committed, unsealed events in id order; return how many were sealed.

    Each gets the next position and chain hash = HMAC(key, previous chain hash || its canonical
    bytes). An event whose transaction commits late is sealed by a later pass: the seal's
    position, not the event's id, is its order. When anything was sealed, a signed checkpoint is
    published (file and log) after the commit. Safe to run twice or from two workers at once.

    Audit rule: seals and the head are written in one transaction with the queue rows removed,
    so an event is sealed exactly once; the key never reaches the database.
    """
    with transaction.atomic():
        head = _take_sealer_lock()
        # A queue row for an event already sealed (only a database writer could add one) is
        # passed over, and removed with the others.
        queue = AuditPendingEvent.objects.filter(event__seal__isnull=True).select_related("event")
        events = [row.event for row in queue.order_by("event_id")[:limit]]
        if events:
            _seal(events, head, timezone.now())
    if events:
        publish_checkpoint(position=head.position, head=head.chain_hash)
    return len(events)
