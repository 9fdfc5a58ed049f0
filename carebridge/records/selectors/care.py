"""Reads for the care team, goals and care plans.

Privacy rule: every selector takes the viewer's `RecordScope` (from `access_record`) and reads
only that patient's released resources that were not entered in error, and not sensitive when
the scope hides them; names of practitioners
come from the patient's own clinic. Care teams and care plans need their JSON (members,
activities), so these pages load it for a bounded number of them only: the most recent care
teams, and one page of care plans.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, F, IntegerField, Max, QuerySet, Value, When
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.lib.dates import parse_fhir_datetime
from carebridge.records.indexing.elements import mappings
from carebridge.records.models import ClinicalResource, ResourceType
from carebridge.records.selectors import wording
from carebridge.records.selectors.sections import RowPage, page_of, visible_of_types
from carebridge.records.selectors.wording import calendar_day, clinic_zone, words_for

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from carebridge.records.scope import RecordScope

MAX_TEAMS = 10
# Without a care team on record, the clinicians from the patient's latest visits stand in.
MAX_CLINICIANS = 10
CARE_PLANS_PER_PAGE = 10
COMPARATORS = {
    "<": gettext_lazy("below"),
    "<=": gettext_lazy("at most"),
    ">=": gettext_lazy("at least"),
    ">": gettext_lazy("above"),
}
# Shared resources whose names a care team member's reference may need.
NAMED_TYPES = (ResourceType.PRACTITIONER, ResourceType.ORGANIZATION)


def _active_first(rows: QuerySet[ClinicalResource]) -> QuerySet[ClinicalResource]:
    is_active = Case(
        When(status="active", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return rows.order_by(is_active, F("effective_at").desc(nulls_last=True), "-id")


# Care team.


@dataclass(frozen=True)
class MemberRow:
    name: str
    role: str


@dataclass(frozen=True)
class TeamRow:
    name: str
    status: str
    since: datetime.date | None
    until: datetime.date | None
    members: list[MemberRow]


@dataclass(frozen=True)
class ClinicianRow:
    """A clinician who saw the patient at a visit, and the last time they did."""

    name: str
    last_visit: datetime.date | None


@dataclass(frozen=True)
class CareTeamView:
    teams: list[TeamRow]
    has_more_teams: bool
    clinicians: list[ClinicianRow] = field(default_factory=list)


def get_care_team(scope: RecordScope) -> CareTeamView:
    """The patient's care teams (active first, the most recent few) and their members; with no
    care team on record, the clinicians from the patient's latest visits instead.

    Two queries at most, or three when members are named by reference alone.
    """
    zone = clinic_zone(scope.patient)
    rows = list(_active_first(scope.resources().of_type(ResourceType.CARE_TEAM))[: MAX_TEAMS + 1])
    if not rows:
        return CareTeamView(teams=[], has_more_teams=False, clinicians=_clinicians(scope, zone))
    has_more, rows = len(rows) > MAX_TEAMS, rows[:MAX_TEAMS]
    names = _names(scope, _member_references(rows))
    return CareTeamView(teams=[_team(row, names, zone) for row in rows], has_more_teams=has_more)


def _participants(row: ClinicalResource) -> list[Mapping[str, Any]]:
    return [item for item in row.resource.get("participant") or [] if isinstance(item, Mapping)]


def _member_references(rows: Iterable[ClinicalResource]) -> set[str]:
    """References of members with no display text, whose names must be looked up."""
    wanted = set()
    for row in rows:
        for participant in _participants(row):
            member = participant.get("member")
            if isinstance(member, Mapping) and not member.get("display"):
                wanted.add(str(member.get("reference") or ""))
    return {reference for reference in wanted if reference.count("/") == 1}


def _names(scope: RecordScope, references: set[str]) -> dict[str, str]:
    """Names of the clinic's practitioners and organisations, by reference (one query)."""
    by_type: dict[str, set[str]] = {}
    for reference in references:
        kind, fhir_id = reference.split("/")
        if kind in NAMED_TYPES:
            by_type.setdefault(kind, set()).add(fhir_id)
    if not by_type:
        return {}
    rows = ClinicalResource.objects.filter(
        clinic_id=scope.patient.clinic_id,
        patient__isnull=True,
        resource_type__in=list(by_type),
        fhir_id__in=set().union(*by_type.values()),
    ).only("resource_type", "fhir_id", "resource")
    return {row.reference: resource_name(row.resource) for row in rows}


def resource_name(resource: Mapping[str, Any]) -> str:
    """A Practitioner's or Organization's name as written: "Maya Chen, MD"."""
    name = resource.get("name")
    if isinstance(name, str):
        return name
    first = name[0] if isinstance(name, list) and name else {}
    if not isinstance(first, Mapping):
        return ""
    if first.get("text"):
        return str(first["text"])
    parts = [*first.get("prefix", []), *first.get("given", []), first.get("family", "")]
    text = " ".join(str(part) for part in parts if part)
    suffix = ", ".join(str(part) for part in first.get("suffix", []))
    return f"{text}, {suffix}" if text and suffix else text


def _team(row: ClinicalResource, names: dict[str, str], zone: ZoneInfo) -> TeamRow:
    members = []
    for participant in _participants(row):
        member = participant.get("member")
        name = wording.reference_text(member)
        if not name and isinstance(member, Mapping):
            reference = str(member.get("reference") or "")
            name = _("You") if reference.startswith("Patient/") else names.get(reference, "")
        roles = [wording.concept_text(role) for role in participant.get("role") or []]
        members.append(
            MemberRow(
                name=name or _("Name not recorded"),
                role=", ".join(role for role in roles if role),
            )
        )
    return TeamRow(
        name=str(row.resource.get("name") or "") or _("Care team"),
        status=words_for(wording.PLAN_STATUS, row.status),
        since=calendar_day(row.effective_at, zone),
        until=calendar_day(row.effective_end, zone),
        members=members,
    )


def _clinicians(scope: RecordScope, zone: ZoneInfo) -> list[ClinicianRow]:
    """The clinicians named on the patient's visits, most recently seen first, each once."""
    rows = (
        visible_of_types(scope, ResourceType.ENCOUNTER)
        .exclude(performer="")
        .values("performer")
        .annotate(last_visit=Max("effective_at"))
        .order_by(F("last_visit").desc(nulls_last=True), "performer")[:MAX_CLINICIANS]
    )
    return [
        ClinicianRow(name=row["performer"], last_visit=calendar_day(row["last_visit"], zone))
        for row in rows
    ]


# Goals and care plans.


@dataclass(frozen=True)
class GoalRow:
    description: str
    status: str
    target: str
    due: datetime.date | None
    started: datetime.date | None


@dataclass(frozen=True)
class PlanRow:
    title: str
    status: str
    starts: datetime.date | None
    ends: datetime.date | None
    activities: list[str]


def list_goals(scope: RecordScope) -> list[GoalRow]:
    """Goals, active first, each with its first target (one query, no whole JSON)."""
    zone = clinic_zone(scope.patient)
    rows = _active_first(visible_of_types(scope, ResourceType.GOAL)).annotate(
        first_target=KeyTransform("0", KeyTransform("target", "resource"))
    )
    goals = []
    for row in rows:
        target = row.first_target if isinstance(row.first_target, Mapping) else {}
        goals.append(
            GoalRow(
                description=row.code_display or _("Goal not described"),
                status=words_for(wording.GOAL_STATUS, row.status),
                target=target_words(target),
                due=calendar_day(parse_fhir_datetime(target.get("dueDate")), zone),
                started=calendar_day(row.effective_at, zone),
            )
        )
    return goals


def target_words(target: Mapping[str, Any]) -> str:
    """ "Systolic blood pressure: below 130 mmHg": what the goal aims for, as the record says."""
    measure = wording.concept_text(target.get("measure"))
    detail = ""
    quantity = target.get("detailQuantity")
    if isinstance(quantity, Mapping):
        amount = wording.quantity_words(quantity.get("value"), str(quantity.get("unit") or ""))
        comparator = COMPARATORS.get(str(quantity.get("comparator") or ""), "")
        detail = f"{comparator} {amount}".strip()
    elif isinstance(target.get("detailRange"), Mapping):
        detail = range_words(target["detailRange"])
    elif isinstance(target.get("detailString"), str):
        detail = target["detailString"]
    else:
        detail = wording.concept_text(target.get("detailCodeableConcept"))
    return f"{measure}: {detail}" if measure and detail else measure or detail


def range_words(detail_range: Mapping[str, Any]) -> str:
    """ "5 to 7 %", "at least 5 %" or "at most 7 %": a Range with either end left open."""
    ends = []
    for edge in ("low", "high"):
        quantity = detail_range.get(edge)
        quantity = quantity if isinstance(quantity, Mapping) else {}
        unit = str(quantity.get("unit") or "")
        ends.append(wording.quantity_words(quantity.get("value"), unit))
    low, high = ends
    if low and high:
        return _("%(low)s to %(high)s") % {"low": low, "high": high}
    if low:
        return _("at least %(low)s") % {"low": low}
    return _("at most %(high)s") % {"high": high} if high else ""


def list_care_plans(scope: RecordScope, page_number: str | None) -> RowPage[PlanRow]:
    """Care plans, active first, one page at a time, with the JSON of that page's plans only.

    Two queries: the count and the page.
    """
    zone = clinic_zone(scope.patient)

    def to_row(row: ClinicalResource) -> PlanRow:
        return PlanRow(
            title=plan_title(row, row.resource),
            status=words_for(wording.PLAN_STATUS, row.status),
            starts=calendar_day(row.effective_at, zone),
            ends=calendar_day(row.effective_end, zone),
            activities=plan_activities(row.resource),
        )

    rows = _active_first(scope.resources().of_type(ResourceType.CARE_PLAN))
    return page_of(rows, page_number, CARE_PLANS_PER_PAGE, to_row)


def plan_title(row: ClinicalResource, body: Mapping[str, Any]) -> str:
    """A care plan's title, else its description, else the name of its kind."""
    for text in (body.get("title"), body.get("description")):
        if isinstance(text, str) and text:
            return text
    kinds = [wording.concept_text(concept) for concept in mappings(body.get("category"))]
    return next((kind for kind in kinds if kind), row.code_display or _("Care plan"))


def plan_activities(body: Mapping[str, Any]) -> list[str]:
    """Each activity of a care plan as words: "Walk 30 minutes a day (in progress)"."""
    activities = []
    for activity in mappings(body.get("activity")):
        detail = activity.get("detail")
        detail = detail if isinstance(detail, Mapping) else {}
        text = (
            str(detail.get("description") or "")
            or wording.concept_text(detail.get("code"))
            or wording.reference_text(activity.get("reference"))
        )
        if not text:
            continue
        status = str(detail.get("status") or "")
        if status:
            words = words_for(wording.EVENT_STATUS, status).lower()
            text = _("%(activity)s (%(status)s)") % {"activity": text, "status": words}
        activities.append(text)
    return activities
