"""The audit chain's arithmetic: an event's canonical bytes, chain hashes and checkpoint tags.

Pure functions, no database: the sealer, the migration that sealed the old trail, and
`verify-audit` all compute the chain here, so they cannot disagree. Changing the encoding would
make every existing seal fail to verify: add a new version instead.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any, Protocol

from django.conf import settings

from carebridge.audit.models import GENESIS_HASH

# Every field of AuditEvent, in the order they are documented; the tests check the list is whole.
EVENT_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "patient_id",
    "acting_as",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip",
    "user_agent",
    "request_id",
    "changes",
)
# Version 1 encodes every field but `changes`; version 2 (an event with changes) adds it. An
# event without changes still encodes as version 1, so seals made before it existed verify.
ENCODING_VERSION = 1
CHANGES_ENCODING_VERSION = 2


class EventLike(Protocol):
    """An AuditEvent, or the migration's historical model of it."""

    sequence: int


def audit_key() -> bytes:
    """The HMAC key, from the environment only: the database never holds it."""
    return str(settings.CAREBRIDGE_AUDIT_KEY).encode()


def _plain(value: Any) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return str(value)


def canonical_bytes(event: EventLike) -> bytes:
    """Every field of the event as JSON with sorted keys: one byte string per possible event.

    Datetimes are UTC ISO 8601 with microseconds, ids are strings or numbers as stored, and a
    missing actor or patient is null, so no two different events can encode the same.
    """
    changes = getattr(event, "changes", None)
    fields: dict[str, Any] = {
        name: _plain(getattr(event, name)) for name in EVENT_FIELDS if name != "changes"
    }
    fields["v"] = ENCODING_VERSION
    if changes:
        fields["changes"] = changes
        fields["v"] = CHANGES_ENCODING_VERSION
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


def chain_hash(previous: str, event: EventLike, *, key: bytes) -> str:
    """HMAC-SHA256(key, previous chain hash || the event's canonical bytes), in hex."""
    message = bytes.fromhex(previous) + canonical_bytes(event)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def checkpoint_body(position: int, head: str, time: str) -> dict[str, Any]:
    return {"position": position, "chain_hash": head, "time": time}


def checkpoint_tag(body: dict[str, Any], *, key: bytes) -> str:
    """The HMAC over a checkpoint's position, chain hash and time, so a forged one shows."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, b"checkpoint:" + text.encode(), hashlib.sha256).hexdigest()


def is_genuine_checkpoint(body: dict[str, Any], tag: str, *, key: bytes) -> bool:
    return hmac.compare_digest(checkpoint_tag(body, key=key), tag)


__all__ = [
    "EVENT_FIELDS",
    "GENESIS_HASH",
    "audit_key",
    "canonical_bytes",
    "chain_hash",
    "checkpoint_body",
    "checkpoint_tag",
    "is_genuine_checkpoint",
]
