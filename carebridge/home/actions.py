"""The home page's quick actions: the big buttons for what the viewer may do now for the
patient they act for. Each is offered only when the acting person's access allows it (a
caregiver without messaging sees no "Message the clinic"); paying only when a balance is due.
The words and addresses are the template's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carebridge.billing.selectors.summary import get_amount_due
from carebridge.proxies.models import ProxyScope

if TYPE_CHECKING:
    from carebridge.proxies.acting import ActingContext

MESSAGE, BOOK, PAY, REFILL = "message", "book", "pay", "refill"


def list_quick_actions(acting: ActingContext) -> list[str]:
    """The quick actions' keys, in the page's order (at most two queries, for the balance)."""
    patient = acting.patient
    if patient is None:
        return []
    actions = []
    if acting.may(ProxyScope.MESSAGING):
        actions.append(MESSAGE)
    if acting.may(ProxyScope.APPOINTMENTS):
        actions.append(BOOK)
    if acting.may(ProxyScope.BILLING) and get_amount_due(patient) is not None:
        actions.append(PAY)
    # A refill request goes to the care team like a message: the messaging scope.
    if acting.may(ProxyScope.MESSAGING):
        actions.append(REFILL)
    return actions
