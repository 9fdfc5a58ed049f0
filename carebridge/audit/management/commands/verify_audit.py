"""`carebridge verify-audit [--checkpoints FILE]`: check that the audit trail is whole.

Recomputes the sealed chain from the database with `CAREBRIDGE_AUDIT_KEY`, streaming it in
chunks so it works for millions of events, and with `--checkpoints` compares it with every
checkpoint published outside the database. Prints every problem found and exits 1, or exits 0
when the trail is intact. Events not sealed yet are a warning, and a failure once older than
`CAREBRIDGE_AUDIT_UNSEALED_LIMIT_SECONDS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from carebridge.audit.verification import Report, verify_trail


class Command(BaseCommand):
    help = "Check the audit trail's sealed chain (and checkpoints); exit with status 1 if broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="a checkpoint file (JSON lines) published by the sealer, to detect truncation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoints = options["checkpoints"]
        if checkpoints is not None and not checkpoints.is_file():
            raise CommandError(_("No checkpoint file at %(path)s.") % {"path": checkpoints})
        report = verify_trail(checkpoints)
        self._write_unsealed(report)
        if not report.is_intact:
            for problem in report.problems:
                self.stderr.write(problem)
            raise SystemExit(1)
        self.stdout.write(
            _("Audit trail intact: %(count)d sealed events.") % {"count": report.sealed}
        )
        if options["checkpoints"] is not None:
            message = _("It matches all %(count)d checkpoints.")
            self.stdout.write(message % {"count": report.checkpoints})

    def _write_unsealed(self, report: Report) -> None:
        if report.oldest_unsealed_age is None:
            return
        message = _("%(count)d events not sealed yet; the oldest was recorded %(age)d seconds ago.")
        age = int(report.oldest_unsealed_age.total_seconds())
        self.stdout.write(message % {"count": report.unsealed, "age": age})
