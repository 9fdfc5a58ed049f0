"""Why a group is not stored, and how it ends then: the errors it adds to the summary, or a review.

Messages name the file, the position and the reason, never a value from the resources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carebridge.patients.models import Patient
from carebridge.records.importing.bundles import Group, Item
from carebridge.records.importing.matching import Match, ReviewReason
from carebridge.records.importing.planning import Plan
from carebridge.records.importing.references import NOT_IMPORTED
from carebridge.records.importing.reviews import hold_for_review
from carebridge.records.importing.summary import ImportSummary
from carebridge.records.indexing import index_columns
from carebridge.records.services import display_from_reference

if TYPE_CHECKING:
    from carebridge.clinic.models import Clinic
    from carebridge.records.models import ImportJob

# Past this many problems in one group, the summary gives only their number.
MAX_PROBLEMS_PER_GROUP = 10
Problem = tuple[Item, str]


def typed(item: Item, reason: str) -> str:
    return f"{item.resource_type}: {reason}"


def fail_group(
    summary: ImportSummary, group: Group, problems: list[Problem], aliases: dict[str, str]
) -> None:
    """Report the problems (the first few), and that nothing of the group was stored.

    References from later groups to its entries become errors too, not links to nothing.
    """
    for item, reason in problems[:MAX_PROBLEMS_PER_GROUP]:
        summary.add_error(item.source, item.position, reason)
    first = group.first
    more = len(problems) - MAX_PROBLEMS_PER_GROUP
    if more > 0:
        summary.add_error(
            first.source,
            first.position,
            ngettext("And %(count)s more problem.", "And %(count)s more problems.", more)
            % {"count": more},
        )
    count = counted(group)
    summary.skipped += count
    summary.add_error(first.source, first.position, _not_imported_message(group, count))
    forget_entries(group, aliases)


def forget_entries(group: Group, aliases: dict[str, str]) -> None:
    """References to a group that was not stored become errors, not links to nothing."""
    for item in group.items:
        keys = [item.full_url, f"{item.resource_type}/{item.original_id}"]
        for key in keys:
            if key in aliases:
                aliases[key] = NOT_IMPORTED


def _not_imported_message(group: Group, count: int) -> str:
    if group.patient is not None or group.patient_reference:
        return ngettext(
            "Nothing was imported for this patient (%(count)s resource).",
            "Nothing was imported for this patient (%(count)s resources).",
            count,
        ) % {"count": count}
    return ngettext(
        "Nothing was imported from this group of %(count)s shared resource.",
        "Nothing was imported from this group of %(count)s shared resources.",
        count,
    ) % {"count": count}


def counted(group: Group) -> int:
    return sum(1 for item in group.items if item.resource_type)


def review_candidate(clinic: Clinic, match: Match) -> Patient | None:
    """A review's candidate: a stored patient, or one created earlier in this input (None if
    that patient's group failed)."""
    if match.patient is not None or match.candidate_id is None:
        return match.patient
    return Patient.objects.filter(clinic=clinic, pk=match.candidate_id).first()


def hold_group(
    summary: ImportSummary,
    *,
    clinic: Clinic,
    job: ImportJob | None,
    group: Group,
    plan: Plan,
    candidate: Patient,
    resources: list[dict[str, Any]],
) -> None:
    """Keep an uncertain patient's checked group for review, and say so in the summary."""
    assert plan.match is not None and plan.incoming is not None and group.patient is not None
    reason = plan.match.reason or ReviewReason.SAME_DEMOGRAPHICS
    created = hold_for_review(
        clinic=clinic,
        job=job,
        candidate=candidate,
        incoming=plan.incoming,
        reason=reason,
        reference=f"Patient/{group.patient.resource['id']}",
        resources=resources,
        source=group.first.source,
    )
    summary.skipped += counted(group)
    summary.waiting_for_review += 1
    message = (
        _held_message(reason)
        if created
        else _("Already waiting for a patient-match review: not imported again.")
    )
    summary.add_error(group.first.source, group.first.position, message)


def _held_message(reason: ReviewReason) -> str:
    if reason == ReviewReason.IDENTIFIER_CONFLICT:
        return _(
            "Held for review: an identifier is the same as another patient's, but the name, "
            "birth date or sex differ. Nothing was stored under either patient. Staff decide "
            "in the console (Imports, Patient matches)."
        )
    if reason == ReviewReason.TWO_PATIENTS:
        return _(
            "Held for review: the identifiers belong to two different patients of the clinic. "
            "Staff decide in the console (Imports, Patient matches)."
        )
    return _(
        "Held for review: same name and birth date as a patient of the clinic, but no "
        "identifier in common. Staff decide in the console (Imports, Patient matches)."
    )


def misshapen(group: Group) -> Problem:
    """The first resource whose index columns cannot be read, with the reason."""
    reason = _("an element does not have the shape FHIR R4 gives it.")
    for item in group.items:
        try:
            index_columns(item.resource, display_from_reference)
        except (AttributeError, KeyError, TypeError, ValueError):
            return item, typed(item, reason)
    return group.first, _("These resources could not be stored: %(reason)s") % {"reason": reason}


def group_problems(group: Group, plan: Plan, unreadable: set[str]) -> list[Problem]:
    """Why a group cannot be imported: its items' problems, its plan's, duplicate Patients,
    and a file with unreadable lines."""
    problems = [(item, item.problem) for item in group.items if item.problem]
    if plan.problem:
        problems.append((group.first, plan.problem))
    patients = [item for item in group.items if item.resource_type == "Patient"]
    problems += [
        (item, typed(item, _("another Patient entry has the same id: none is chosen.")))
        for item in patients[1:]
    ]
    broken_files = {item.source: item for item in group.items if item.source in unreadable}
    incomplete = _(
        "this file has lines that are not valid JSON, so this patient's resources may be "
        "incomplete."
    )
    problems += [(item, typed(item, incomplete)) for item in broken_files.values()]
    return problems


def unique_resources(
    group: Group,
) -> tuple[list[tuple[str, dict]], int, list[tuple[Item, str]]]:
    """The group's resources, each (type, id) once; the number of exact copies left out."""
    seen: dict[tuple[str, str], dict] = {}
    resources, problems, copies = [], [], 0
    for item in group.items:
        if item.problem:
            continue
        key = (item.resource["resourceType"], item.resource["id"])
        if key not in seen:
            seen[key] = item.resource
            resources.append((item.source, item.resource))
        elif seen[key] == item.resource:
            copies += 1
        else:
            reason = _("another entry has the same type and id but other content.")
            problems.append((item, typed(item, reason)))
    return resources, copies, problems
