"""An appointment as a calendar file (RFC 5545 iCalendar), for "Add to calendar".

Privacy rule: the file may end up in a shared or synced calendar, so it says only when, where and
at which clinic; never the reason, the kind of visit or the clinician.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from carebridge.clinic.models import Location
from carebridge.scheduling.models import Appointment, AppointmentStatus

# RFC 5545 3.1: content lines are folded so that none is longer than 75 octets.
LINE_OCTETS = 75


def ics_time(moment: datetime.datetime) -> str:
    """A UTC date-time in the form RFC 5545 calls "form #2" (with a trailing Z)."""
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a multi-byte character; each
    continuation starts with one space (which counts towards its 75 octets)."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def address_words(location: Location) -> str:
    """The place's street address on one line."""
    return f"{location.address_line}, {location.city}, {location.state} {location.postal_code}"


def portal_host() -> str:
    return urlsplit(settings.CAREBRIDGE_BASE_URL).hostname or "carebridge"


def alarm(summary: str) -> list[str]:
    """A display alarm one hour before the start (RFC 5545 3.6.6)."""
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:-PT1H",
        "END:VALARM",
    ]


def appointment_ics(appointment: Appointment, *, now: datetime.datetime) -> str:
    """The calendar file for one appointment booked in Carebridge (see `event_ics`)."""
    location = appointment.location
    return event_ics(
        uid=str(appointment.pk),
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        clinic_name=appointment.visit_type.clinic.name,
        where=f"{location.name}, {address_words(location)}",
        is_cancelled=appointment.status == AppointmentStatus.CANCELLED,
        now=now,
    )


def event_ics(
    *,
    uid: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    clinic_name: str,
    where: str,
    is_cancelled: bool,
    now: datetime.datetime,
) -> str:
    """The calendar file for one appointment: one VEVENT, times in UTC, CRLF line endings.

    A calendar that imported the file before keeps the same event (same UID): the file of a
    cancelled appointment says STATUS:CANCELLED with a higher SEQUENCE, so importing it again
    marks the event cancelled. An alarm reminds one hour before. `where` is the place and its
    street address only."""
    summary = _("Appointment at %(clinic)s") % {"clinic": clinic_name}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Carebridge//Patient portal//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@{portal_host()}",
        f"DTSTAMP:{ics_time(now)}",
        f"DTSTART:{ics_time(starts_at)}",
        f"DTEND:{ics_time(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(where)}",
        f"STATUS:{'CANCELLED' if is_cancelled else 'CONFIRMED'}",
        f"SEQUENCE:{1 if is_cancelled else 0}",
        *([] if is_cancelled else alarm(summary)),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
