"""Before anything is written: whose each group is, and the id each resource will have.

Patients are matched for the whole document at once (a few queries, not one per patient),
so every reference to any of its patients can be rewritten to the portal patient's UUID
before the first group is stored. A new patient's UUID is chosen here, created later, in its
group's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient
from carebridge.records.importing.bundles import Group, Item
from carebridge.records.importing.matching import Incoming, Match, MatchKind, match_patients
from carebridge.records.importing.validation import shape_problem
from carebridge.records.services import canonical_hash


@dataclass
class Plan:
    """Who a group's resources belong to: a matched, new or uncertain patient, or no one."""

    incoming: Incoming | None = None
    match: Match | None = None
    problem: str = ""

    @property
    def patient_id(self) -> str:
        return self.match.portal_id if self.match else ""


def check_items(groups: list[Group]) -> None:
    """Note on each item why it cannot be imported, if it cannot."""
    for group in groups:
        for item in group.items:
            item.problem = shape_problem(item.resource) or ""


def plan_groups(clinic: Clinic, groups: list[Group]) -> list[Plan]:
    """A plan per group, in order. Items must have been checked (`check_items`)."""
    plans = [Plan() for _group in groups]
    people = {
        index: Incoming.from_resource(group.patient.resource, clinic)
        for index, group in enumerate(groups)
        if group.patient is not None and not group.patient.problem
    }
    matches = match_patients(clinic, list(people.values()))
    for (index, person), match in zip(people.items(), matches, strict=True):
        plans[index] = Plan(incoming=person, match=match)
    for index, group in enumerate(groups):
        if group.patient_reference:
            plans[index] = _plan_for_reference(clinic, group.patient_reference)
    return plans


def _plan_for_reference(clinic: Clinic, reference: str) -> Plan:
    # NDJSON lines may name a patient the file does not hold: one the portal already has.
    try:
        patient_id = uuid.UUID(reference.removeprefix("Patient/"))
    except ValueError:
        patient = None
    else:
        patient = Patient.objects.filter(clinic=clinic, pk=patient_id).first()
    if patient is None:
        return Plan(
            problem=_(
                "These resources name a patient who is neither in the input nor in this clinic."
            )
        )
    return Plan(match=Match(MatchKind.EXISTING, patient=patient))


def assign_ids(groups: list[Group], plans: list[Plan]) -> dict[str, str]:
    """Give every valid resource its final id; return what each reference alias becomes.

    Ids are kept. A Patient takes its portal patient's UUID (while a review is pending, it
    keeps its own). A resource with no id gets one derived from its file's name and its
    content, so importing the file again finds the same resource.
    """
    aliases: dict[str, str] = {}
    for group, plan in zip(groups, plans, strict=True):
        for item in group.items:
            if item.problem:
                continue
            resource = item.resource
            original = item.original_id = resource.get("id") or ""
            final = _final_id(item, plan) or original or derived_id(item)
            resource["id"] = final
            reference = f"{resource['resourceType']}/{final}"
            if item.full_url:
                aliases[item.full_url] = reference
            if original and original != final:
                aliases[f"{resource['resourceType']}/{original}"] = reference
    return aliases


def _final_id(item: Item, plan: Plan) -> str:
    if item.resource_type == "Patient" and plan.patient_id:
        return plan.patient_id
    return ""


def derived_id(item: Item) -> str:
    """A stable id for a resource sent without one: from its file's name and its content."""
    digest = canonical_hash({"source": item.source, "resource": item.resource})
    return str(uuid.UUID(digest[:32]))
