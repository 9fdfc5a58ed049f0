"""Every write of scheduling, one module per kind of work; the public names are re-exported here.

- `booking`: book and cancel, the shared checks (who may act, what is offered, a free time), the
  after-commit e-mails and the audit event.
- `rescheduling`: move an appointment to another time in one transaction.
- `requests`: ask for a kind of visit that cannot be booked online.
"""

from carebridge.scheduling.services.booking import (
    APPOINTMENTS_SCOPE,
    CANCELLABLE_STATUSES,
    SlotTakenError,
    book_appointment,
    cancel_appointment,
    check_may_act,
    check_may_cancel,
    check_online_booking,
    is_established,
)
from carebridge.scheduling.services.requests import request_appointment
from carebridge.scheduling.services.rescheduling import reschedule_appointment

__all__ = [
    "APPOINTMENTS_SCOPE",
    "CANCELLABLE_STATUSES",
    "SlotTakenError",
    "book_appointment",
    "cancel_appointment",
    "check_may_act",
    "check_may_cancel",
    "check_online_booking",
    "is_established",
    "request_appointment",
    "reschedule_appointment",
]
