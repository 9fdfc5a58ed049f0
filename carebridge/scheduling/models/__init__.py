"""Scheduling's tables, one module per part; every name is re-exported here.

- `setup`: visit types, weekly hours, time off.
- `appointments`: appointments booked here and requests for visits the clinic arranges.
- `waitlist`: waiting-list entries and the offers of freed times.
- `visits`: online check-ins and the reminder ledger.
"""

from carebridge.scheduling.models.appointments import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentQuerySet,
    AppointmentRequest,
    AppointmentStatus,
    BookedAs,
    RequestStatus,
    new_video_room,
)
from carebridge.scheduling.models.setup import (
    OnlineBooking,
    TimeOff,
    TimeOffKind,
    TimeOffQuerySet,
    VisitMode,
    VisitType,
    VisitTypeQuerySet,
    Weekday,
    WeeklyHours,
    WeeklyHoursQuerySet,
)
from carebridge.scheduling.models.visits import (
    AppointmentReminder,
    CheckIn,
    CheckInAnswers,
    ClinicCheckIn,
)
from carebridge.scheduling.models.waitlist import (
    OfferStatus,
    WaitlistEntry,
    WaitlistEntryQuerySet,
    WaitlistOffer,
    WaitlistStatus,
)

__all__ = [
    "ACTIVE_STATUSES",
    "Appointment",
    "AppointmentQuerySet",
    "AppointmentReminder",
    "AppointmentRequest",
    "AppointmentStatus",
    "BookedAs",
    "CheckIn",
    "CheckInAnswers",
    "ClinicCheckIn",
    "OfferStatus",
    "OnlineBooking",
    "RequestStatus",
    "TimeOff",
    "TimeOffKind",
    "TimeOffQuerySet",
    "VisitMode",
    "VisitType",
    "VisitTypeQuerySet",
    "WaitlistEntry",
    "WaitlistEntryQuerySet",
    "WaitlistOffer",
    "WaitlistStatus",
    "Weekday",
    "WeeklyHours",
    "WeeklyHoursQuerySet",
    "new_video_room",
]
