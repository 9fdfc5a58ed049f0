"""Run an import: read each file, then check, resolve, match and store it group by group.

Each group (one patient's resources, or shared ones) imports whole or not at all: it is
checked completely before anything is written, and written in one transaction. A group that
fails leaves nothing behind, and the other groups are imported all the same.
"""

from __future__ import annotations

import gc
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carebridge.records.importing.bundles import Group, Item, document_items, group_items
from carebridge.records.importing.matching import MatchKind, add_identifiers, create_patient
from carebridge.records.importing.outcomes import fail_group, hold_group, misshapen, typed
from carebridge.records.importing.planning import Plan, assign_ids, check_items, plan_groups
from carebridge.records.importing.readers import (
    ReadError,
    SourceFile,
    line_position,
    read_json,
    read_ndjson,
)
from carebridge.records.importing.references import Resolver
from carebridge.records.importing.storing import name_of, store_group
from carebridge.records.importing.summary import ImportSummary
from carebridge.records.importing.validation import SHARED_TYPES
from carebridge.records.models import ClinicalResource
from carebridge.records.services import ResourceConflictError, notify_new_results

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic
    from carebridge.patients.models import Patient
    from carebridge.records.models import ImportJob

Progress = Callable[[int, int], None]


@dataclass
class ImportRun:
    clinic: Clinic
    job: ImportJob | None = None
    actor: User | None = None
    summary: ImportSummary = field(default_factory=ImportSummary)
    # Shared resources stored so far: their fullUrls and names, for later files to point at
    # (Synthea's practitioner and hospital bundles, imported before the patients).
    shared_urls: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    # Whether patients with new results get an e-mail (not for the demo's synthetic people).
    notify_patients: bool = True


def import_files(
    *,
    clinic: Clinic,
    files: Sequence[SourceFile],
    job: ImportJob | None = None,
    actor: User | None = None,
    progress: Progress | None = None,
    notify_patients: bool = True,
) -> ImportSummary:
    """Import the files into the clinic's records; say what happened in the summary.

    JSON documents are imported one by one, in the order given; NDJSON files are read
    together and grouped by patient, since bulk-data exports put each type in its own file.
    Audit: each patient's import is recorded by `store_resources`, a new patient's creation
    here. Each patient with new results is e-mailed once (no health information), after
    commit, unless `notify_patients` is off.
    """
    run = ImportRun(clinic=clinic, job=job, actor=actor, notify_patients=notify_patients)
    documents = [source for source in files if not source.is_ndjson]
    for done, source in enumerate(documents, start=1):
        _import_document(run, source)
        if progress:
            progress(done, len(files))
    ndjson = [source for source in files if source.is_ndjson]
    if ndjson:
        with _collector_paused():
            _import_groups(run, *_read_ndjson(run, ndjson))
        if progress:
            progress(len(files), len(files))
    return run.summary


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while one file is imported.

    A parsed export is millions of small dicts and lists, none of them in a cycle; as they pile
    up the collector walks them again and again, for nothing (about 8 % of an import's time).
    It runs as usual between files, so memory held by real cycles is still freed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_document(run: ImportRun, source: SourceFile) -> None:
    with _collector_paused():
        _import_document_now(run, source)


def _import_document_now(run: ImportRun, source: SourceFile) -> None:
    try:
        items = document_items(source.name, read_json(source))
    except ReadError as error:
        run.summary.add_error(source.name, error.position, error.message)
        return
    _import_groups(run, group_items(items), set())


def _read_ndjson(run: ImportRun, files: Iterable[SourceFile]) -> tuple[list[Group], set[str]]:
    items: list[Item] = []
    unreadable: set[str] = set()
    for source in files:
        try:
            for number, value in read_ndjson(source):
                if isinstance(value, ReadError):
                    run.summary.add_error(source.name, value.position, value.message)
                    unreadable.add(source.name)
                else:
                    items.append(Item(source.name, line_position(number), value))
        except ReadError as error:
            run.summary.add_error(source.name, error.position, error.message)
    return group_items(items), unreadable


def _import_groups(run: ImportRun, groups: list[Group], unreadable: set[str]) -> None:
    check_items(groups)
    _count_read(run.summary, groups)
    plans = plan_groups(run.clinic, groups)
    aliases = assign_ids(groups, plans)
    for group, plan in zip(groups, plans, strict=True):
        _import_group(run, group, plan, aliases, unreadable)


def _count_read(summary: ImportSummary, groups: Iterable[Group]) -> None:
    for group in groups:
        for item in group.items:
            if item.resource_type:
                summary.resources[item.resource_type] += 1
            if item.resource_type == "Patient":
                original = item.resource.get("id")
                summary.patient_keys.add(original or f"{item.source}#{item.position}")


def _import_group(
    run: ImportRun, group: Group, plan: Plan, aliases: dict[str, str], unreadable: set[str]
) -> None:
    problems = _group_problems(group, plan, unreadable)
    resolver = Resolver(aliases)
    for item in group.items:
        if not item.problem:
            resolver.walk(item)
    resolver.resolve_pending(partial(_look_outside, run))
    resources, copies, duplicate_problems = _unique(group)
    problems += resolver.problems + duplicate_problems
    if problems:
        fail_group(run.summary, group, problems, aliases)
    elif plan.match is not None and plan.match.kind == MatchKind.REVIEW:
        held = [resource for _source, resource in resources]
        hold_group(
            run.summary, clinic=run.clinic, job=run.job, group=group, plan=plan, resources=held
        )
    else:
        _store(run, group, plan, resources, copies, aliases)


def _group_problems(group: Group, plan: Plan, unreadable: set[str]) -> list[tuple[Item, str]]:
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


def _unique(
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


def _look_outside(run: ImportRun, references: Iterable[str]) -> Mapping[str, str]:
    """Final references for `urn:uuid:` references to shared resources stored before."""
    found = {ref: run.shared_urls[ref] for ref in references if ref in run.shared_urls}
    wanted = {
        ref.removeprefix("urn:uuid:"): ref
        for ref in references
        if ref not in found and ref.startswith("urn:uuid:")
    }
    if not wanted:
        return found
    rows = ClinicalResource.objects.filter(
        clinic=run.clinic, patient__isnull=True, fhir_id__in=list(wanted)
    ).values_list("resource_type", "fhir_id", "resource")
    matches: dict[str, list[str]] = {}
    for resource_type, fhir_id, resource in rows:
        reference = f"{resource_type}/{fhir_id}"
        matches.setdefault(fhir_id, []).append(reference)
        run.names[reference] = name_of(resource)
    for fhir_id, references_found in matches.items():
        # An id shared by two types of resource is not a match: it would be a guess.
        if len(references_found) == 1:
            found[wanted[fhir_id]] = run.shared_urls[wanted[fhir_id]] = references_found[0]
    return found


def _store(
    run: ImportRun,
    group: Group,
    plan: Plan,
    resources: list[tuple[str, dict]],
    copies: int,
    aliases: dict[str, str],
) -> None:
    names = {
        f"{r['resourceType']}/{r['id']}": name_of(r)
        for _source, r in resources
        if r["resourceType"] in ("Practitioner", "Organization")
    }
    try:
        with transaction.atomic():
            patient = _portal_patient(run, group, plan)
            counts = store_group(
                clinic=run.clinic,
                patient=patient,
                resources=resources,
                names=ChainMap(names, run.names),
                job=run.job,
                actor=run.actor,
            )
            if run.notify_patients and patient is not None and counts.new_results:
                notify_new_results(patient)
    except ResourceConflictError as error:
        resource_type = str(error).split("/")[0]
        reason = _("%(type)s: its id already belongs to another patient's record.") % {
            "type": resource_type
        }
        fail_group(run.summary, group, [(group.first, reason)], aliases)
        return
    except IntegrityError:
        reason = _("Conflicts with a record already stored (an id or identifier in use).")
        fail_group(run.summary, group, [(group.first, reason)], aliases)
        return
    except (AttributeError, KeyError, TypeError, ValueError):
        # Reading the index columns met an element of a shape FHIR does not allow (a coding
        # that is text, say): find which resource, only now that it has happened.
        fail_group(run.summary, group, [misshapen(group)], aliases)
        return
    run.summary.created += counts.created
    run.summary.updated += counts.updated
    run.summary.unchanged += counts.unchanged + copies
    run.names.update(names)
    run.shared_urls.update(
        {
            item.full_url: aliases[item.full_url]
            for item in group.items
            if item.full_url and (patient is None or item.resource_type in SHARED_TYPES)
        }
    )


def _portal_patient(run: ImportRun, group: Group, plan: Plan) -> Patient | None:
    match, person = plan.match, plan.incoming
    if match is None:
        return None
    if match.kind == MatchKind.EXISTING:
        assert match.patient is not None
        if person is not None:
            add_identifiers(match.patient, person.identifiers)
        return match.patient
    assert person is not None and match.new_id is not None and group.patient is not None
    return create_patient(run.clinic, person, group.patient.resource, match.new_id, actor=run.actor)
