"""`carebridge import-fhir PATH… [--clinic SLUG] [--json] [--no-progress]`: import FHIR R4 exports.

Reads files or folders (recursively) of .json, .json.gz, .ndjson and .ndjson.gz: Bundles
(transaction, batch, collection, searchset, document), single resources, and bulk-data NDJSON.
Runs the same pipeline as a staff upload, in this process, and records it as an import job.
Exits 1 when anything could not be imported (the summary lists where and why).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _

from carebridge.clinic.models import Clinic
from carebridge.records.importing.jobs import run_files
from carebridge.records.importing.readers import find_files
from carebridge.records.importing.summary import readable_lines
from carebridge.records.models import ImportJob, ImportStatus

BAR_WIDTH = 30


def choose_clinic(slug: str | None) -> Clinic:
    """The clinic named, else the only one; a CommandError when that is not clear."""
    if slug:
        clinic = Clinic.objects.filter(slug=slug).first()
        if clinic is None:
            raise CommandError(_("No clinic has the short name “%(slug)s”.") % {"slug": slug})
        return clinic
    clinics = list(Clinic.objects.order_by("slug")[:20])
    if not clinics:
        raise CommandError(_("There is no clinic yet: create one first."))
    if len(clinics) > 1:
        slugs = ", ".join(clinic.slug for clinic in clinics)
        raise CommandError(
            _("There is more than one clinic: choose one with --clinic (%(slugs)s).")
            % {"slugs": slugs}
        )
    return clinics[0]


class ProgressBar:
    """A one-line text bar on stderr, redrawn in place as files are done."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        label = _("%(done)s of %(total)s files") % {"done": done, "total": total}
        self.stream.write(f"\r[{bar}] {label}", ending="\n" if done >= total else "")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import FHIR R4 exports (Bundles, resources or bulk-data NDJSON) into a clinic."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help=_("Files or folders to import."))
        parser.add_argument(
            "--clinic", help=_("The clinic's short name (needed if there are several).")
        )
        parser.add_argument("--json", action="store_true", help=_("Print the summary as JSON."))
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Do not show the progress bar.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = choose_clinic(options["clinic"])
        paths: list[Path] = options["paths"]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(
                _("No such file or folder: %(paths)s") % {"paths": ", ".join(missing)}
            )
        files = find_files(paths)
        job = ImportJob.objects.create(
            clinic=clinic,
            source=", ".join(source.name for source in files)[:500],
            status=ImportStatus.RUNNING,
            units_total=len(files),
        )
        show_progress = not options["no_progress"] and self.stderr.isatty()
        summary = run_files(job, files, ProgressBar(self.stderr) if show_progress else None)
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))
        else:
            for line in readable_lines(summary):
                self.stdout.write(line)
        if summary["errors"]:
            raise SystemExit(1)
