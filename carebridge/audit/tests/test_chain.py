"""The chain's arithmetic: canonical bytes cover every field, and hashes need the key."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import uuid

from carebridge.audit.chain import (
    EVENT_FIELDS,
    GENESIS_HASH,
    canonical_bytes,
    chain_hash,
    checkpoint_body,
    checkpoint_tag,
    is_genuine_checkpoint,
)
from carebridge.audit.models import AuditEvent

KEY = b"test-audit-key"
PATIENT = uuid.UUID("00000000-0000-4000-8000-000000000042")


def _event(**changes: object) -> AuditEvent:
    fields: dict[str, object] = {
        "sequence": 7,
        "occurred_at": datetime.datetime(2026, 3, 1, 9, 30, 5, 123, tzinfo=datetime.UTC),
        "actor_id": 3,
        "actor_label": "Pat Patient",
        "patient_id": PATIENT,
        "acting_as": "self",
        "action": "view",
        "object_type": "observation",
        "object_id": "12",
        "outcome": "success",
        "ip": "203.0.113.9",
        "user_agent": "Firefox",
        "request_id": "r-1",
    }
    fields.update(changes)
    return AuditEvent(**fields)


def test_canonical_bytes_name_every_field_of_an_event() -> None:
    columns = {field.attname for field in AuditEvent._meta.concrete_fields}
    assert set(EVENT_FIELDS) == columns
    assert len(EVENT_FIELDS) == len(columns)


def test_canonical_bytes_are_sorted_json_with_utc_microseconds() -> None:
    assert canonical_bytes(_event()) == (
        b'{"acting_as":"self","action":"view","actor_id":3,"actor_label":"Pat Patient",'
        b'"ip":"203.0.113.9","object_id":"12","object_type":"observation",'
        b'"occurred_at":"2026-03-01T09:30:05.000123+00:00","outcome":"success",'
        b'"patient_id":"00000000-0000-4000-8000-000000000042","request_id":"r-1",'
        b'"sequence":7,"user_agent":"Firefox","v":1}'
    )


def test_a_time_in_another_zone_encodes_as_the_same_utc_instant() -> None:
    new_york = datetime.timezone(datetime.timedelta(hours=-5))
    local = datetime.datetime(2026, 3, 1, 4, 30, 5, 123, tzinfo=new_york)
    assert canonical_bytes(_event(occurred_at=local)) == canonical_bytes(_event())


def test_fields_cannot_be_shifted_into_each_other() -> None:
    # With a plain separator these two would encode the same.
    first = _event(actor_label="Pat", acting_as="self")
    second = _event(actor_label="Pat\x1fself", acting_as="")
    assert canonical_bytes(first) != canonical_bytes(second)
    assert canonical_bytes(_event(actor_id=None, patient_id=None)).count(b":null") == 2


def test_chain_hash_is_an_hmac_of_the_previous_hash_and_the_event() -> None:
    expected = hmac.new(KEY, bytes(32) + canonical_bytes(_event()), hashlib.sha256).hexdigest()
    assert chain_hash(GENESIS_HASH, _event(), key=KEY) == expected
    assert chain_hash(GENESIS_HASH, _event(), key=b"another key") != expected
    assert chain_hash("ff" * 32, _event(), key=KEY) != expected
    assert chain_hash(GENESIS_HASH, _event(object_id="13"), key=KEY) != expected


def test_a_checkpoint_is_genuine_only_unchanged_and_under_the_key() -> None:
    body = checkpoint_body(5, "ab" * 32, "2026-03-01T09:30:05.000000+00:00")
    tag = checkpoint_tag(body, key=KEY)
    assert is_genuine_checkpoint(body, tag, key=KEY) is True
    assert is_genuine_checkpoint({**body, "position": 4}, tag, key=KEY) is False
    assert is_genuine_checkpoint(body, tag, key=b"another key") is False


def test_an_event_with_changes_encodes_them_as_version_2() -> None:
    changes = {"name": {"before": "Old", "after": "New"}}
    encoded = canonical_bytes(_event(changes=changes))
    assert encoded.endswith(b'"user_agent":"Firefox","v":2}')
    assert b'"changes":{"name":{"after":"New","before":"Old"}}' in encoded
    # Without changes (null or empty) the encoding is version 1's, byte for byte.
    assert canonical_bytes(_event(changes=None)) == canonical_bytes(_event())
    assert canonical_bytes(_event(changes={})) == canonical_bytes(_event())
    other = {"name": {"before": "Old", "after": "Newer"}}
    assert chain_hash(GENESIS_HASH, _event(changes=other), key=KEY) != chain_hash(
        GENESIS_HASH, _event(changes=changes), key=KEY
    )
