"""Plain words for the codes and dates the record's sections show.

FHIR statuses are codes ("on-hold", "entered-in-error"); a patient reads words ("On hold"). Each
table below says, for one kind of resource, what its codes mean in everyday language. A code a
table does not know still reads as words rather than as a code.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.records.units import unit_for_people

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

MEDICATION_STATUS: dict[str, Promise] = {
    "active": gettext_lazy("Active"),
    "on-hold": gettext_lazy("On hold (paused for now)"),
    "completed": gettext_lazy("Finished"),
    "stopped": gettext_lazy("Stopped"),
    "cancelled": gettext_lazy("Cancelled"),
    "draft": gettext_lazy("Not yet prescribed"),
    "intended": gettext_lazy("Planned"),
    "not-taken": gettext_lazy("Not taken"),
    "unknown": gettext_lazy("Not known"),
}
CONDITION_STATUS: dict[str, Promise] = {
    "active": gettext_lazy("Current"),
    "recurrence": gettext_lazy("Current (came back)"),
    "relapse": gettext_lazy("Current (came back)"),
    "inactive": gettext_lazy("No longer a problem"),
    "remission": gettext_lazy("In remission"),
    "resolved": gettext_lazy("Resolved"),
}
ALLERGY_STATUS: dict[str, Promise] = {
    "active": gettext_lazy("Current"),
    "inactive": gettext_lazy("No longer a problem"),
    "resolved": gettext_lazy("Resolved"),
}
ALLERGY_VERIFICATION: dict[str, Promise] = {
    "unconfirmed": gettext_lazy("Not yet confirmed"),
    "presumed": gettext_lazy("Not yet confirmed"),
}
CRITICALITY: dict[str, Promise] = {
    "high": gettext_lazy("High risk"),
    "low": gettext_lazy("Low risk"),
    "unable-to-assess": gettext_lazy("Risk not assessed"),
}
ALLERGY_CATEGORY: dict[str, Promise] = {
    "medication": gettext_lazy("Medicine"),
    "food": gettext_lazy("Food"),
    "environment": gettext_lazy("Environment"),
    "biologic": gettext_lazy("Biologic (for example blood products)"),
}
IMMUNIZATION_STATUS: dict[str, Promise] = {
    "completed": gettext_lazy("Given"),
    "not-done": gettext_lazy("Not given"),
}
# Procedures, orders and care-plan activities share most of their codes.
EVENT_STATUS: dict[str, Promise] = {
    "preparation": gettext_lazy("Being planned"),
    "draft": gettext_lazy("Being planned"),
    "not-started": gettext_lazy("Not started"),
    "scheduled": gettext_lazy("Scheduled"),
    "in-progress": gettext_lazy("In progress"),
    "active": gettext_lazy("Ordered"),
    "not-done": gettext_lazy("Not done"),
    "on-hold": gettext_lazy("On hold"),
    "stopped": gettext_lazy("Stopped"),
    "completed": gettext_lazy("Done"),
    "revoked": gettext_lazy("Cancelled"),
    "cancelled": gettext_lazy("Cancelled"),
    "unknown": gettext_lazy("Not known"),
}
ENCOUNTER_STATUS: dict[str, Promise] = {
    "planned": gettext_lazy("Planned"),
    "arrived": gettext_lazy("Arrived"),
    "triaged": gettext_lazy("Arrived"),
    "in-progress": gettext_lazy("In progress"),
    "onleave": gettext_lazy("On leave"),
    "finished": gettext_lazy("Finished"),
    "cancelled": gettext_lazy("Cancelled"),
    "unknown": gettext_lazy("Not known"),
}
DOCUMENT_STATUS: dict[str, Promise] = {
    "current": gettext_lazy("Current"),
    "superseded": gettext_lazy("Replaced by a newer version"),
}
DOCUMENT_CATEGORY: dict[str, Promise] = {
    "clinical-note": gettext_lazy("Clinical note"),
}
PLAN_STATUS: dict[str, Promise] = {
    "draft": gettext_lazy("Draft"),
    "active": gettext_lazy("Active"),
    "on-hold": gettext_lazy("On hold"),
    "revoked": gettext_lazy("Stopped"),
    "completed": gettext_lazy("Completed"),
    "unknown": gettext_lazy("Not known"),
    "proposed": gettext_lazy("Proposed"),
    "inactive": gettext_lazy("No longer active"),
    "suspended": gettext_lazy("On hold"),
}
GOAL_STATUS: dict[str, Promise] = {
    "proposed": gettext_lazy("Proposed"),
    "planned": gettext_lazy("Planned"),
    "accepted": gettext_lazy("Agreed"),
    "active": gettext_lazy("Working on it"),
    "on-hold": gettext_lazy("On hold"),
    "completed": gettext_lazy("Completed"),
    "cancelled": gettext_lazy("Cancelled"),
    "rejected": gettext_lazy("Not agreed"),
}
INTERPRETATION: dict[str, Promise] = {
    "N": gettext_lazy("Normal"),
    "H": gettext_lazy("High"),
    "L": gettext_lazy("Low"),
    "HH": gettext_lazy("Very high"),
    "LL": gettext_lazy("Very low"),
    "A": gettext_lazy("Abnormal"),
    "AA": gettext_lazy("Very abnormal"),
}
# Blood pressure: the panel, and its two parts.
BLOOD_PRESSURE_PANEL = "85354-9"
SYSTOLIC, DIASTOLIC = "8480-6", "8462-4"


def words_for(table: Mapping[str, Promise], code: str) -> str:
    """The code in words: from the table, or the code itself made readable."""
    if not code:
        return _("Not recorded")
    known = table.get(code)
    return str(known) if known is not None else code.replace("-", " ").capitalize()


def clinic_zone(patient: Patient) -> ZoneInfo:
    """The patient's clinic's time zone: record dates are shown as the clinic's calendar says."""
    return ZoneInfo(patient.clinic.time_zone)


def calendar_day(moment: datetime.datetime | None, zone: ZoneInfo) -> datetime.date | None:
    """The day a stored FHIR date or dateTime falls on, in the clinic's time zone.

    A FHIR date with no time ("2024-10-15") is stored as midnight UTC. Shown in a zone west of
    UTC it would fall on the day before, so a moment at exactly midnight UTC is taken to be that
    date. A real time at exactly midnight UTC is rare, and is then off by at most that one day.
    """
    if moment is None:
        return None
    utc = moment.astimezone(datetime.UTC)
    if utc.time() == datetime.time.min:
        return utc.date()
    return moment.astimezone(zone).date()


def number_words(value: float | int | None) -> str:
    """7.0 as "7", 72.5 as "72.5": the value as a person would write it."""
    return f"{value:g}" if isinstance(value, int | float) else ""


def unit_words(unit: str) -> str:
    """The unit as a person reads it (see `records.units`)."""
    return unit_for_people(unit)


def range_words(text: str, unit: str) -> str:
    """A normal range made from the lab's numbers ("4 to 11 10*3/uL") with its unit as people
    write it ("4 to 11 10³/µL"); a range the lab wrote in words is left as it is."""
    if unit and text.endswith(f" {unit}"):
        return f"{text.removesuffix(unit)}{unit_words(unit)}"
    return text


def quantity_words(value: Any, unit: str) -> str:
    """ "72.5 kg": a number and its unit, or the empty string when there is no number."""
    number = number_words(value)
    return f"{number} {unit_words(unit)}".strip() if number else ""


def concept_text(concept: Any) -> str:
    """A CodeableConcept's text, or its first coding's display; empty when it has neither."""
    if not isinstance(concept, Mapping):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or []:
        if isinstance(coding, Mapping) and coding.get("display"):
            return str(coding["display"])
    return ""


def reference_text(reference: Any) -> str:
    """A Reference's display text (empty when it has none)."""
    return str(reference.get("display") or "") if isinstance(reference, Mapping) else ""
