"""Run an import: read each file, then check, resolve, match and store it group by group.

Each group (one patient's resources, or shared ones) imports whole or not at all: it is
checked completely before anything is written, and written in one transaction. A group that
fails leaves nothing behind, and the other groups are imported all the same.

Each finished group and file is recorded with what it added to the summary (`units`), in the
group's own transaction: a job run again skips them, and its summary is the sum of its parts.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carebridge.patients.models import Patient
from carebridge.records.importing.bundles import (
    Group,
    Item,
    document_items,
    group_items,
    ndjson_groups,
)
from carebridge.records.importing.lookups import entries_in, stored_references
from carebridge.records.importing.matching import MatchKind
from carebridge.records.importing.outcomes import (
    MAX_PROBLEMS_PER_GROUP,
    fail_group,
    forget_entries,
    group_problems,
    hold_group,
    misshapen,
    review_candidate,
    unique_resources,
)
from carebridge.records.importing.patients import add_identifiers, create_patient, rename_patient
from carebridge.records.importing.planning import Plan, assign_ids, check_items, plan_groups
from carebridge.records.importing.readers import (
    ReadError,
    SourceFile,
    collector_paused,
    read_json,
)
from carebridge.records.importing.references import PatientAliases, Resolver
from carebridge.records.importing.storing import name_of, store_group
from carebridge.records.importing.summary import ImportSummary
from carebridge.records.importing.units import ImportInterruptedError, UnitBook
from carebridge.records.importing.validation import SHARED_TYPES
from carebridge.records.models import ClinicalResource, UnitKind
from carebridge.records.services import ResourceConflictError, notify_new_results

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic
    from carebridge.records.models import ImportJob

Progress = Callable[[int, int], None]
NDJSON_GROUPS = "ndjson"


def _never() -> bool:
    return False


@dataclass
class ImportRun:
    clinic: Clinic
    book: UnitBook
    job: ImportJob | None = None
    actor: User | None = None
    # Asked between groups: true when the worker must stop (the rest is then handed back).
    should_stop: Callable[[], bool] = _never
    # Shared resources stored so far: their fullUrls and names, for later files to point at
    # (Synthea's practitioner and hospital bundles, imported before the patients).
    shared_urls: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    # Patients stored so far, by the names their files gave them: later files may use them.
    patients: PatientAliases = field(default_factory=PatientAliases)
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
    should_stop: Callable[[], bool] = _never,
) -> ImportSummary:
    """Import the files into the clinic's records; say what happened in the summary.

    JSON documents are imported one by one, in the order given; NDJSON files are read
    together and grouped by patient, since bulk-data exports put each type in its own file.
    Audit: each patient's import is recorded by `store_resources`, a new patient's creation
    here. Each patient with new results is e-mailed once (no health information), after
    commit, unless `notify_patients` is off. A job's finished files and groups are skipped;
    `ImportInterruptedError` is raised between groups once `should_stop()` is true.
    """
    run = ImportRun(
        clinic=clinic,
        book=UnitBook(job),
        job=job,
        actor=actor,
        notify_patients=notify_patients,
        should_stop=should_stop,
    )
    for source in files:
        if not source.is_ndjson and not run.book.is_done(UnitKind.FILE, source.name):
            _import_document(run, source)
        if progress:
            progress(run.book.files_done, len(files))
    ndjson = [source for source in files if source.is_ndjson]
    if any(not run.book.is_done(UnitKind.FILE, source.name) for source in ndjson):
        _import_ndjson(run, ndjson)
        if progress:
            progress(run.book.files_done, len(files))
    return run.book.total()


def _import_document(run: ImportRun, source: SourceFile) -> None:
    with collector_paused():
        _import_document_now(run, source)


def _import_document_now(run: ImportRun, source: SourceFile) -> None:
    reading = ImportSummary()
    try:
        items = document_items(source.name, read_json(source))
    except ReadError as error:
        reading.add_error(source.name, error.position, error.message)
    else:
        _import_groups(run, group_items(items), set(), prefix=source.name)
    run.book.record(UnitKind.FILE, source.name, reading.as_part())


def _import_ndjson(run: ImportRun, files: list[SourceFile]) -> None:
    """Bulk-data files are read together; their reading errors are a part of their own, first."""
    reading = ImportSummary()
    reading_key = f"{NDJSON_GROUPS}#read"
    with collector_paused():
        groups, unreadable = ndjson_groups(files, reading.add_error)
        if not run.book.is_done(UnitKind.GROUP, reading_key):
            run.book.record(UnitKind.GROUP, reading_key, reading.as_part())
        _import_groups(run, groups, unreadable, prefix=NDJSON_GROUPS)
    for source in files:
        run.book.record(UnitKind.FILE, source.name, ImportSummary().as_part())


def _import_groups(
    run: ImportRun, groups: list[Group], unreadable: set[str], *, prefix: str
) -> None:
    check_items(groups)
    plans = plan_groups(run.clinic, groups)
    aliases = assign_ids(groups, plans)
    in_file = entries_in(groups)
    for number, (group, plan) in enumerate(zip(groups, plans, strict=True)):
        key = f"{prefix}#{number}"
        if run.book.is_done(UnitKind.GROUP, key):
            _recall(run, group, plan, aliases, run.book.part(UnitKind.GROUP, key))
            continue
        if run.should_stop():
            raise ImportInterruptedError
        _import_group(run, key, group, plan, aliases, unreadable, in_file)


def _recall(
    run: ImportRun, group: Group, plan: Plan, aliases: dict[str, str], part: dict[str, Any]
) -> None:
    """What later groups need from a group finished in an earlier run: where its entries are."""
    if part.get("outcome") == "stored":
        _remember(run, group, aliases, is_shared=plan.match is None)
    elif part.get("outcome") == "failed":
        forget_entries(group, aliases)


def _count_read(summary: ImportSummary, groups: Iterable[Group]) -> None:
    for group in groups:
        for item in group.items:
            if item.resource_type:
                summary.resources[item.resource_type] += 1
            if item.resource_type == "Patient":
                # Counted after ids are assigned: the id the file gave, not the portal's.
                original = item.resource.get("id") if item.problem else item.original_id
                summary.patient_keys.add(original or f"{item.source}#{item.position}")


def _import_group(
    run: ImportRun,
    key: str,
    group: Group,
    plan: Plan,
    aliases: dict[str, str],
    unreadable: set[str],
    in_file: set[str],
) -> None:
    part = ImportSummary()
    _count_read(part, [group])
    problems = group_problems(group, plan, unreadable)
    resolver = Resolver(ChainMap(aliases, run.patients), in_file)
    for item in group.items:
        if not item.problem:
            resolver.walk(item)
    resolver.resolve_pending(partial(_look_outside, run))
    resolver.check_literals(partial(stored_references, run.clinic))
    part.add_group_warnings(
        [(item.source, item.position, text) for item, text in resolver.warnings],
        limit=MAX_PROBLEMS_PER_GROUP,
    )
    resources, copies, duplicate_problems = unique_resources(group)
    problems += resolver.problems + duplicate_problems
    if problems:
        _fail(run, key, part, group, problems, aliases)
    elif plan.match is not None and plan.match.kind == MatchKind.REVIEW:
        # Warnings concern what is stored; a held group is not, yet.
        part.warnings.clear()
        _hold(run, key, part, group, plan, [resource for _source, resource in resources], aliases)
    else:
        _store(run, key, part, group, plan, resources, copies, aliases)


def _hold(
    run: ImportRun,
    key: str,
    part: ImportSummary,
    group: Group,
    plan: Plan,
    resources: list[dict[str, Any]],
    aliases: dict[str, str],
) -> None:
    """Hold an uncertain patient's group for review; nothing of it is stored under anyone."""
    assert plan.match is not None
    candidate = review_candidate(run.clinic, plan.match)
    if candidate is None:
        reason = _(
            "Patient: shares an identifier with another patient of this input, who could not "
            "be imported. Import the file again once that patient is."
        )
        _fail(run, key, part, group, [(group.first, reason)], aliases)
        return
    with transaction.atomic():
        hold_group(
            part,
            clinic=run.clinic,
            job=run.job,
            group=group,
            plan=plan,
            candidate=candidate,
            resources=resources,
        )
        run.book.write(UnitKind.GROUP, key, {**part.as_part(), "outcome": "held"})
    run.book.keep(UnitKind.GROUP, key, {**part.as_part(), "outcome": "held"})


def _fail(
    run: ImportRun,
    key: str,
    part: ImportSummary,
    group: Group,
    problems: list[tuple[Item, str]],
    aliases: dict[str, str],
) -> None:
    # Warnings concern what is stored: nothing of a failed group is.
    part.warnings.clear()
    fail_group(part, group, problems, aliases)
    run.book.record(UnitKind.GROUP, key, {**part.as_part(), "outcome": "failed"})


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
    key: str,
    part: ImportSummary,
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
            part.add_not_billed(resources, counts.not_billed)
            stored = {
                **part.as_part(),
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged + copies,
                "outcome": "stored",
            }
            run.book.write(UnitKind.GROUP, key, stored)
    except ResourceConflictError as error:
        resource_type = str(error).split("/")[0]
        reason = _("%(type)s: its id already belongs to another patient's record.") % {
            "type": resource_type
        }
        _fail(run, key, part, group, [(group.first, reason)], aliases)
        return
    except IntegrityError:
        reason = _("Conflicts with a record already stored (an id or identifier in use).")
        _fail(run, key, part, group, [(group.first, reason)], aliases)
        return
    except (AttributeError, KeyError, TypeError, ValueError):
        # Reading the index columns met an element of a shape FHIR does not allow (a coding
        # that is text, say): find which resource, only now that it has happened.
        _fail(run, key, part, group, [misshapen(group)], aliases)
        return
    run.book.keep(UnitKind.GROUP, key, stored)
    _remember(run, group, aliases, is_shared=patient is None)


def _remember(run: ImportRun, group: Group, aliases: dict[str, str], *, is_shared: bool) -> None:
    """Keep a stored group's practitioner and organisation names, its shared resources' and
    its patient's final references, for later groups to display and point at."""
    run.names.update(
        {
            f"{item.resource['resourceType']}/{item.resource['id']}": name_of(item.resource)
            for item in group.items
            if not item.problem and item.resource_type in ("Practitioner", "Organization")
        }
    )
    run.patients.learn(group.items, aliases)
    run.shared_urls.update(
        {
            item.full_url: aliases[item.full_url]
            for item in group.items
            if item.full_url
            and item.full_url in aliases
            and (is_shared or item.resource_type in SHARED_TYPES)
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
            if match.renamed:
                rename_patient(match.patient, person, actor=run.actor)
        return match.patient
    assert person is not None and match.new_id is not None and group.patient is not None
    # The same person twice in one input shares one new patient: the first group created it.
    created = Patient.objects.filter(pk=match.new_id, clinic=run.clinic).first()
    if created is not None:
        add_identifiers(created, person.identifiers)
        return created
    return create_patient(run.clinic, person, group.patient.resource, match.new_id, actor=run.actor)
