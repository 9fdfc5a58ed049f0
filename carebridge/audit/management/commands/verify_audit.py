"""`carebridge verify_audit`: check that no audit event has been changed, removed or inserted.

Walks the whole trail in sequence order, streaming it in chunks so it works for millions of
events, and stops at the first break. Exits 0 when the trail is intact and 1 when it is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carebridge.audit import selectors
from carebridge.audit.models import GENESIS_HASH, AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def check_event(event: AuditEvent, expected_sequence: int, prev_hash: str) -> ChainBreak | None:
    """The first thing wrong with one event, given where it should sit in the chain."""
    if event.sequence != expected_sequence:
        reason = _("it is missing (the next event found is %(found)d).") % {"found": event.sequence}
        return ChainBreak(expected_sequence, reason)
    if event.prev_hash != prev_hash:
        return ChainBreak(event.sequence, _("it does not link to the event before it."))
    if event.compute_hash() != event.hash:
        return ChainBreak(event.sequence, _("its content does not match its hash."))
    return None


@dataclass(frozen=True)
class HeadRecord:
    """What the chain head said when the walk began: events appended later are walked too."""

    exists: bool
    sequence: int
    hash: str

    @classmethod
    def read(cls) -> HeadRecord:
        head = selectors.get_chain_head()
        if head is None:
            return cls(exists=False, sequence=0, hash=GENESIS_HASH)
        return cls(exists=True, sequence=head.sequence, hash=head.hash)


def check_head(head: HeadRecord, count: int, hash_at_head: str | None) -> ChainBreak | None:
    """Whether the head's event is there and matches, so removals from the end show too."""
    if count < head.sequence:
        reason = _("it is missing (the chain head records %(head)d events).") % {
            "head": head.sequence
        }
        return ChainBreak(count + 1, reason)
    if not head.exists and count > 0:
        return ChainBreak(count, _("the chain head is missing."))
    if hash_at_head != head.hash:
        return ChainBreak(head.sequence, _("it does not match the chain head."))
    return None


def find_break(events: Iterable[AuditEvent], head: HeadRecord) -> tuple[int, ChainBreak | None]:
    """Walk the events in sequence order; return how many were checked and the first break."""
    count, prev_hash = 0, GENESIS_HASH
    hash_at_head = GENESIS_HASH if head.sequence == 0 else None
    for event in events:
        problem = check_event(event, count + 1, prev_hash)
        if problem is not None:
            return count, problem
        count, prev_hash = event.sequence, event.hash
        if count == head.sequence:
            hash_at_head = event.hash
    return count, check_head(head, count, hash_at_head)


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit with status 1 at the first break."

    def handle(self, *args: Any, **options: Any) -> None:
        # Read the head first: every event up to it was committed together with it.
        head = HeadRecord.read()
        count, problem = find_break(selectors.iter_chain(), head)
        if problem is not None:
            message = _("Audit trail broken at event %(sequence)d: %(reason)s") % {
                "sequence": problem.sequence,
                "reason": problem.reason,
            }
            self.stderr.write(message)
            raise SystemExit(1)
        self.stdout.write(_("Audit trail intact: %(count)d events.") % {"count": count})
