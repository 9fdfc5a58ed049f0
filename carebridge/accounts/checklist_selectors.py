"""Reads for the first-visit checklist: which of its four steps a person has done.

The checklist is for someone with a record of their own, acting for themself: it is about
protecting their own account and their own record. A caregiver-only account (someone who only
helps others) never gets it: they have no details or results of their own to check, their
sign-in leads to choosing whose account to open, and the caregiver step would be theirs to
invite for a record that is not theirs. Two steps come from the real state (two-step
verification on; a caregiver invitation sent by the person), two from the person's own record
of doing them (`SetupChecklist`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from allauth.mfa.utils import is_mfa_enabled

from carebridge.accounts.models import SetupChecklist
from carebridge.proxies.models import ProxyGrant

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

MFA, DETAILS, RESULTS, CAREGIVER = "mfa", "details", "results", "caregiver"
STEPS = (MFA, DETAILS, RESULTS, CAREGIVER)


@dataclass(frozen=True)
class ChecklistState:
    """Each step's key and whether it is done, in order; and whether it was put aside."""

    steps: tuple[tuple[str, bool], ...]
    is_skipped: bool
    is_dismissed: bool

    @property
    def done_count(self) -> int:
        return sum(1 for _key, done in self.steps if done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def is_finished(self) -> bool:
        return self.done_count == self.total

    @property
    def shows_on_home(self) -> bool:
        """The home page's "Finish setting up" line: until every step is done or dismissed."""
        return not (self.is_finished or self.is_dismissed)

    @property
    def done(self) -> dict[str, bool]:
        """Each step's key and whether it is done (`checklist.done.mfa` in a template)."""
        return dict(self.steps)


def get_checklist(user: User) -> SetupChecklist | None:
    return SetupChecklist.objects.filter(user=user).first()


def get_checklist_state(user: User, patient: Patient) -> ChecklistState:
    """Where `user`, the patient `patient` acting for themself, stands (at most 3 queries)."""
    row = get_checklist(user) or SetupChecklist(user=user)
    invited = ProxyGrant.objects.filter(patient=patient, granted_by=user).exists()
    done = {
        MFA: is_mfa_enabled(user),
        DETAILS: row.details_confirmed_at is not None,
        RESULTS: row.result_help_read_at is not None,
        CAREGIVER: invited or row.caregiver_declined_at is not None,
    }
    return ChecklistState(
        steps=tuple((key, done[key]) for key in STEPS),
        is_skipped=row.skipped_at is not None,
        is_dismissed=row.dismissed_at is not None,
    )
