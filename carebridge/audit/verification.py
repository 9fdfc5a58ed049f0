"""Checking the sealed audit trail against its key, its head and the published checkpoints.

Reads only. The chain is recomputed seal by seal from the database, streamed in chunks; the key
comes from the environment, so someone who can write the database but lacks the key cannot make
a changed, inserted or removed event verify. Checkpoints kept outside the database catch the
one thing the chain alone cannot: a trail cut back (or replaced) consistently.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.audit import selectors
from carebridge.audit.chain import GENESIS_HASH, audit_key, chain_hash
from carebridge.audit.checkpoints import Checkpoint, read_checkpoints
from carebridge.audit.models import AuditChainHead, AuditSeal


@dataclass
class Report:
    """What a check found: the sealed count, the unsealed events, and every problem."""

    sealed: int = 0
    unsealed: int = 0
    oldest_unsealed_age: datetime.timedelta | None = None
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def is_intact(self) -> bool:
        return not self.problems


@dataclass
class _Walk:
    count: int = 0
    previous: str = GENESIS_HASH
    hashes: dict[int, str] = field(default_factory=dict)
    problem: str | None = None


def _check_seal(seal: AuditSeal, walk: _Walk, key: bytes) -> str | None:
    """The first thing wrong with one seal, given where the walk has reached."""
    if seal.position != walk.count + 1:
        return _(
            "Audit trail broken at position %(position)d: it is missing "
            "(the next seal found is at position %(found)d)."
        ) % {
            "position": walk.count + 1,
            "found": seal.position,
        }
    if chain_hash(walk.previous, seal.event, key=key) != seal.chain_hash:
        return _(
            "Audit trail broken at position %(position)d (event "
            "%(sequence)d): its chain hash does not match, so the event or "
            "its seal was changed, inserted, or sealed with another key."
        ) % {
            "position": seal.position,
            "sequence": seal.event_id,
        }
    return None


def walk_chain(seals: Iterable[AuditSeal], *, key: bytes, wanted: set[int]) -> _Walk:
    """Recompute the chain in position order; stop at the first break.

    Keeps the chain hash at each `wanted` position (the head's and the checkpoints').
    """
    walk = _Walk(hashes={0: GENESIS_HASH})
    for seal in seals:
        walk.problem = _check_seal(seal, walk, key)
        if walk.problem is not None:
            return walk
        walk.count, walk.previous = seal.position, seal.chain_hash
        if walk.count in wanted:
            walk.hashes[walk.count] = walk.previous
    return walk


def check_head(head: AuditChainHead | None, walk: _Walk) -> str | None:
    """Whether the head's seal is there and matches, so removals from the end show too.

    The head is read before the walk: seals added by a sealer meanwhile are walked as well.
    """
    if head is None:
        return _("Audit trail broken: the chain head is missing.") if walk.count else None
    if walk.count < head.position:
        return _(
            "Audit trail broken at position %(position)d: it is missing "
            "(the chain head records %(head)d seals)."
        ) % {
            "position": walk.count + 1,
            "head": head.position,
        }
    if walk.hashes.get(head.position) != head.chain_hash:
        return _(
            "Audit trail broken at position %(position)d: it does not match the chain head."
        ) % {"position": head.position}
    return None


def check_checkpoint(checkpoint: Checkpoint, walk: _Walk) -> str | None:
    """Whether the trail still holds what a genuine checkpoint published: as many seals, and
    the same chain hash at its position."""
    if walk.count < checkpoint.position:
        return _(
            "Audit trail cut back: the checkpoint on line %(line)d records "
            "%(position)d sealed events, the database has %(count)d."
        ) % {
            "line": checkpoint.line,
            "position": checkpoint.position,
            "count": walk.count,
        }
    if walk.hashes.get(checkpoint.position) != checkpoint.chain_hash:
        return _(
            "Audit trail broken at position %(position)d: it does not match "
            "the checkpoint on line %(line)d."
        ) % {
            "position": checkpoint.position,
            "line": checkpoint.line,
        }
    return None


def forged_checkpoint(checkpoint: Checkpoint) -> str:
    return _("Checkpoint on line %(line)d is forged: its HMAC does not match.") % {
        "line": checkpoint.line
    }


def _check_unsealed(report: Report) -> None:
    report.unsealed, oldest = selectors.get_unsealed_summary()
    if oldest is None:
        return
    report.oldest_unsealed_age = timezone.now() - oldest
    limit = datetime.timedelta(seconds=settings.CAREBRIDGE_AUDIT_UNSEALED_LIMIT_SECONDS)
    if report.oldest_unsealed_age > limit:
        report.problems.append(
            _(
                "Audit trail has events left unsealed for more than %(limit)d "
                "seconds: is the sealer running?"
            )
            % {"limit": int(limit.total_seconds())}
        )


def verify_trail(checkpoint_file: Path | None = None) -> Report:
    """Check the whole sealed trail, the head, the checkpoints if given, and unsealed events."""
    checkpoints = list(read_checkpoints(checkpoint_file)) if checkpoint_file else []
    head = selectors.get_chain_head()
    wanted = {checkpoint.position for checkpoint in checkpoints}
    wanted.add(head.position if head is not None else 0)
    walk = walk_chain(selectors.iter_chain(), key=audit_key(), wanted=wanted)
    report = Report(sealed=walk.count, checkpoints=len(checkpoints))
    genuine = [checkpoint for checkpoint in checkpoints if checkpoint.is_genuine]
    found: list[str | None] = [forged_checkpoint(cp) for cp in checkpoints if not cp.is_genuine]
    if walk.problem is not None:
        found.append(walk.problem)
    else:
        found += [check_head(head, walk), *(check_checkpoint(cp, walk) for cp in genuine)]
    report.problems += [problem for problem in found if problem is not None]
    _check_unsealed(report)
    return report
