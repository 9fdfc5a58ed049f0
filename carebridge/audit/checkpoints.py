"""Checkpoints: the chain's size and head, published outside the database after each seal.

A checkpoint is one JSON line `{"position", "chain_hash", "time", "hmac"}` appended to
`CAREBRIDGE_AUDIT_CHECKPOINT_FILE` and logged on `carebridge.audit.checkpoints`; an operator
ships either to write-once storage. Someone who can rewrite the database cannot take back what
was published, so `verify-audit --checkpoints` finds a trail cut back, replaced or re-sealed.
Checkpoints hold no health information: a count, a hash and a time.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from carebridge.audit.chain import audit_key, checkpoint_body, checkpoint_tag
from carebridge.audit.chain import is_genuine_checkpoint as _is_genuine

logger = logging.getLogger("carebridge.audit.checkpoints")


@dataclass(frozen=True)
class Checkpoint:
    line: int
    position: int
    chain_hash: str
    time: str
    is_genuine: bool


def publish_checkpoint(*, position: int, head: str) -> dict[str, Any]:
    """Append one signed checkpoint line to the checkpoint file and log it.

    One write() of the whole line to a file opened with O_APPEND, then fsync, so concurrent
    writers never interleave and a crash leaves at most a partial last line.
    """
    body = checkpoint_body(position, head, timezone.now().isoformat(timespec="microseconds"))
    record = {**body, "hmac": checkpoint_tag(body, key=audit_key())}
    line = json.dumps(record, sort_keys=True, separators=(",", ":"))
    path = Path(settings.CAREBRIDGE_AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    logger.info("%s", line)
    return record


def _parse(number: int, text: str, key: bytes) -> Checkpoint:
    try:
        record = json.loads(text)
        body = checkpoint_body(int(record["position"]), str(record["chain_hash"]), record["time"])
        genuine = _is_genuine(body, str(record["hmac"]), key=key)
    except (ValueError, KeyError, TypeError):
        return Checkpoint(number, 0, "", "", is_genuine=False)
    return Checkpoint(number, body["position"], body["chain_hash"], body["time"], genuine)


def read_checkpoints(path: Path) -> Iterator[Checkpoint]:
    """Every non-blank line of a checkpoint file, with whether its HMAC is genuine."""
    key = audit_key()
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if text.strip():
                yield _parse(number, text, key)
