"""The finished parts of an import job (files, and the groups within them), for resuming.

A job can run more than once: its worker may die, be asked to stop, or meet a passing fault,
and the job is then run again. Each part is recorded (`ImportUnit`) in the same transaction as
what it stored, with what it added to the summary, so a new run skips the finished parts and
the job's summary is the sum of its parts: each resource counted once, however many runs.
Without a job (the demo, tests), the parts are kept in memory only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carebridge.records.importing.summary import ImportSummary
from carebridge.records.models import ImportUnit, UnitKind

if TYPE_CHECKING:
    from carebridge.records.models import ImportJob

Key = tuple[str, str]


class ImportInterruptedError(Exception):
    """The worker was asked to stop: the finished parts are kept, the rest is handed back."""


class UnitBook:
    """Which parts of a job are finished, and what each added to the summary."""

    def __init__(self, job: ImportJob | None) -> None:
        self.job = job
        self.parts: dict[Key, dict[str, Any]] = {}
        if job is not None:
            rows = ImportUnit.objects.filter(job=job).values_list("kind", "key", "summary")
            self.parts = {(kind, key): summary for kind, key, summary in rows}

    def is_done(self, kind: UnitKind, key: str) -> bool:
        return (kind, key) in self.parts

    def part(self, kind: UnitKind, key: str) -> dict[str, Any]:
        return self.parts[(kind, key)]

    def write(self, kind: UnitKind, key: str, part: dict[str, Any]) -> None:
        """Record a finished part, in the caller's transaction; `keep` it once committed."""
        if self.job is not None:
            ImportUnit.objects.create(job=self.job, kind=kind, key=key, summary=part)

    def keep(self, kind: UnitKind, key: str, part: dict[str, Any]) -> None:
        self.parts[(kind, key)] = part

    def record(self, kind: UnitKind, key: str, part: dict[str, Any]) -> None:
        """Write and keep a part that stores nothing else (a file, a group not imported)."""
        self.write(kind, key, part)
        self.keep(kind, key, part)

    @property
    def files_done(self) -> int:
        return sum(1 for kind, _key in self.parts if kind == UnitKind.FILE)

    def total(self) -> ImportSummary:
        """The job's summary: the sum of its finished parts."""
        summary = ImportSummary()
        for part in self.parts.values():
            summary.add(part)
        return summary


def files_left(job: ImportJob, names: list[str]) -> list[str]:
    """The named files the job has not finished, in order."""
    done = set(ImportUnit.objects.filter(job=job, kind=UnitKind.FILE).values_list("key", flat=True))
    return [name for name in names if name not in done]


def count_files_done(job: ImportJob) -> int:
    return ImportUnit.objects.filter(job=job, kind=UnitKind.FILE).count()
