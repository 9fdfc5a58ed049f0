"""From a parsed document to groups of entries: one group per patient, plus shared resources.

A group is what imports whole or not at all. In a document with one Patient (a Synthea bundle,
a patient's export) everything belongs to that patient's group, the practitioners and
organisations it mentions included. Where there are several patients (a collection bundle,
bulk-data NDJSON files), each resource joins the patient its subject, patient or beneficiary
names, and resources naming no patient form a shared group, stored first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from carebridge.records.importing.readers import (
    ReadError,
    SourceFile,
    line_position,
    read_ndjson,
    whole_file,
)
from carebridge.records.importing.validation import SHARED_TYPES, resource_type_of

ACCEPTED_BUNDLE_TYPES = ("transaction", "batch", "collection", "searchset", "document")
# Where a resource names the patient it is about, in the order they are looked at.
PATIENT_ELEMENTS = ("subject", "patient", "beneficiary")


@dataclass
class Item:
    """One resource as read, not yet checked: its file, its position there and its JSON."""

    source: str
    position: str
    resource: Any
    full_url: str = ""
    # Its id as sent (the resource's own may be changed, see `planning.assign_ids`).
    original_id: str = ""
    # Why it cannot be imported as a whole (see `validation.shape_problem`), once checked.
    problem: str = ""

    @property
    def resource_type(self) -> str:
        return resource_type_of(self.resource)


@dataclass
class Group:
    """Resources stored together in one transaction: one patient's, or shared ones."""

    items: list[Item] = field(default_factory=list)
    patient: Item | None = None
    # NDJSON lines may name a patient whose Patient resource is not in the input: its reference.
    patient_reference: str = ""

    @property
    def first(self) -> Item:
        return self.patient or self.items[0]


def document_items(source: str, document: Any) -> list[Item]:
    """The entries of a Bundle, or a lone resource as a one-entry list.

    Raises `ReadError` for a document that is not a FHIR resource, or a Bundle of a type that
    is not an export (a history or a response).
    """
    if not resource_type_of(document):
        raise ReadError(
            _("Not a FHIR R4 resource or Bundle (no resourceType that FHIR R4 defines).")
        )
    if document["resourceType"] != "Bundle":
        return [Item(source, whole_file(), document)]
    if document.get("type") not in ACCEPTED_BUNDLE_TYPES:
        raise ReadError(
            _("A Bundle of a type that is not imported (accepted types: %(types)s).")
            % {"types": ", ".join(ACCEPTED_BUNDLE_TYPES)}
        )
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        raise ReadError(_("A Bundle whose 'entry' is not a list."))
    # The position's wording is translated once: large bundles have thousands of entries.
    position = _("entry %(number)s")
    return [
        Item(source, position % {"number": index}, *_entry_content(entry))
        for index, entry in enumerate(entries, start=1)
        if not _is_search_outcome(entry)
    ]


def _entry_content(entry: Any) -> tuple[Any, str]:
    if not isinstance(entry, dict):
        return None, ""
    full_url = entry.get("fullUrl")
    return entry.get("resource"), full_url if isinstance(full_url, str) else ""


def _is_search_outcome(entry: Any) -> bool:
    # A searchset's OperationOutcome entries describe the search, not the patient.
    search = entry.get("search") if isinstance(entry, dict) else None
    return isinstance(search, dict) and search.get("mode") == "outcome"


def patient_aliases(item: Item) -> list[str]:
    """Every way a reference may name this Patient entry: its fullUrl and "Patient/<id>"."""
    aliases = [item.full_url] if item.full_url else []
    resource_id = item.resource.get("id") if isinstance(item.resource, dict) else None
    if isinstance(resource_id, str) and resource_id:
        aliases.append(f"Patient/{resource_id}")
    return aliases


def group_items(items: list[Item]) -> list[Group]:
    """Split entries into groups that are each stored whole: shared first, then patients."""
    patient_groups: list[Group] = []
    aliases: dict[str, Group] = {}
    for item in items:
        if item.resource_type != "Patient":
            continue
        keys = patient_aliases(item) or [f"{item.source}#{item.position}"]
        group = next((aliases[key] for key in keys if key in aliases), None)
        if group is None:
            # A second Patient with the same id joins the first one's group, which then
            # fails its checks: the importer does not choose between them.
            group = Group(patient=item)
            patient_groups.append(group)
        group.items.append(item)
        for key in keys:
            aliases.setdefault(key, group)
    only = patient_groups[0] if len(patient_groups) == 1 else None
    shared, after = Group(), Group()
    external: dict[str, Group] = {}
    for item in items:
        if item.resource_type != "Patient":
            group = _route(item, aliases, only, shared, external)
            # A shared resource that names patients (a Group's members) comes after them, so
            # that a member that could not be imported is an error, not a link to nothing.
            if group is shared and _names_a_patient(item.resource, aliases):
                group = after
            group.items.append(item)
    groups = [shared] if shared.items else []
    return groups + patient_groups + list(external.values()) + ([after] if after.items else [])


def _names_a_patient(node: Any, aliases: dict[str, Group]) -> bool:
    if isinstance(node, list):
        return any(_names_a_patient(member, aliases) for member in node)
    if not isinstance(node, dict):
        return False
    reference = node.get("reference")
    if isinstance(reference, str) and reference in aliases:
        return True
    return any(_names_a_patient(value, aliases) for value in node.values())


def _route(
    item: Item,
    aliases: dict[str, Group],
    only: Group | None,
    shared: Group,
    external: dict[str, Group],
) -> Group:
    if only is not None:
        return only
    if item.resource_type in SHARED_TYPES:
        return shared
    reference = named_patient(item.resource) or participant_patient(item.resource, aliases)
    if reference in aliases:
        return aliases[reference]
    if reference.startswith("Patient/"):
        return external.setdefault(reference, Group(patient_reference=reference))
    return shared


def participant_patient(resource: Any, aliases: dict[str, Group]) -> str:
    """For an Appointment (which has no subject): the participant that is a patient, or "".

    A participant is known to be a patient when its reference names a Patient entry of the
    bundle (by fullUrl or id) or reads "Patient/<id>"; practitioners and places are not.
    """
    participants = resource.get("participant") if isinstance(resource, dict) else None
    for participant in participants if isinstance(participants, list) else []:
        actor = participant.get("actor") if isinstance(participant, dict) else None
        reference = actor.get("reference") if isinstance(actor, dict) else None
        if isinstance(reference, str) and (
            reference in aliases or reference.startswith("Patient/")
        ):
            return reference
    return ""


def named_patient(resource: Any) -> str:
    """The reference in the resource's subject, patient or beneficiary, or ""."""
    if not isinstance(resource, dict):
        return ""
    for element in PATIENT_ELEMENTS:
        value = resource.get(element)
        reference = value.get("reference") if isinstance(value, dict) else None
        if isinstance(reference, str):
            return reference
    return ""


def ndjson_groups(
    files: Iterable[SourceFile], add_error: Callable[[str, str, str], None]
) -> tuple[list[Group], set[str]]:
    """Bulk-data lines of all the files, grouped by patient; and the files with unreadable
    lines (each reported through `add_error`)."""
    items: list[Item] = []
    unreadable: set[str] = set()
    for source in files:
        try:
            for number, value in read_ndjson(source):
                if isinstance(value, ReadError):
                    add_error(source.name, value.position, value.message)
                    unreadable.add(source.name)
                else:
                    items.append(Item(source.name, line_position(number), value))
        except ReadError as error:
            add_error(source.name, error.position, error.message)
    return group_items(items), unreadable
