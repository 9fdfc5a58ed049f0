"""Every write of scheduling, one module per kind of work; the public names are re-exported here.

- `booking`: book and cancel, the shared checks (who may act, what is offered, a free time), the
  after-commit e-mails and the audit event.
- `rescheduling`: move an appointment to another time in one transaction.
- `requests`: ask for a kind of visit that cannot be booked online.
- `checkin`: online check-in before a visit, and when it is open.
- `waitlist`, `waitlist_offers`: the waiting list; freed times offered in order by e-mail.
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
from carebridge.scheduling.services.checkin import (
    CheckInData,
    CheckInState,
    ContactDetails,
    check_in,
    check_in_opens_at,
    check_in_state,
    check_may_check_in,
    copay_words,
    opens_on_words,
)
from carebridge.scheduling.services.requests import request_appointment
from carebridge.scheduling.services.rescheduling import reschedule_appointment
from carebridge.scheduling.services.waitlist import (
    accept_offer,
    decline_offer,
    expire_offers,
    join_waitlist,
    leave_waitlist,
)
from carebridge.scheduling.services.waitlist_offers import offer_freed_time

__all__ = [
    "APPOINTMENTS_SCOPE",
    "CANCELLABLE_STATUSES",
    "CheckInData",
    "CheckInState",
    "ContactDetails",
    "SlotTakenError",
    "accept_offer",
    "book_appointment",
    "cancel_appointment",
    "check_in",
    "check_in_opens_at",
    "check_in_state",
    "check_may_act",
    "check_may_cancel",
    "check_may_check_in",
    "check_online_booking",
    "copay_words",
    "decline_offer",
    "expire_offers",
    "is_established",
    "join_waitlist",
    "leave_waitlist",
    "offer_freed_time",
    "opens_on_words",
    "request_appointment",
    "reschedule_appointment",
]
