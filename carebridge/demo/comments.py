"""The demo clinic's quick comments, for clinicians releasing held results.

A new clinic starts with none (its administrators write their own); the demo has three common
ones so the release page can be tried at once. Keyed on the clinic and the words: a rerun puts
them back in this order and adds nothing. Written directly, like the rest of the demo's set-up,
because no member of staff makes them (the services audit an administrator's change).
"""

from __future__ import annotations

from carebridge.clinic.models import Clinic
from carebridge.records.models import QuickComment

QUICK_COMMENTS = (
    "Normal, no action needed.",
    "Slightly outside the normal range, nothing to worry about. We will check it again at "
    "your next visit.",
    "Please book an appointment so we can talk about this result.",
)


def load_demo_quick_comments(clinic: Clinic) -> list[QuickComment]:
    """The demo's quick comments, in order (created or put back)."""
    return [
        QuickComment.objects.update_or_create(
            clinic=clinic, text=text, defaults={"position": position}
        )[0]
        for position, text in enumerate(QUICK_COMMENTS)
    ]
