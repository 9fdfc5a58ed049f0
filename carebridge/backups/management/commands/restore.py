"""`carebridge restore SRC`: the database, then the files, from a backup archive, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carebridge.backups.database import BackupError
from carebridge.backups.services import RestoreSummary, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured database and folders; refuses a "
        "database or folder that is not empty unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="the archive written by `carebridge backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace a database and folders that hold data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(source=options["source"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self._report(summary)
        if summary.attachments_wrong:
            raise CommandError(
                f"{len(summary.attachments_wrong)} attachments are missing or changed: "
                + ", ".join(summary.attachments_wrong[:20])
            )

    def _report(self, summary: RestoreSummary) -> None:
        lines = [
            f"Restored the {summary.engine} backup made at {summary.created_at}.",
            "Files: "
            + ", ".join(f"{count} {name}" for name, count in summary.files.items())
            + ", every checksum verified.",
            summary.audit,
            f"Attachments checked against their recorded SHA-256: {summary.attachments_checked}.",
        ]
        if summary.migrations_to_apply:
            lines.append(
                f"{summary.migrations_to_apply} migrations are newer than the backup: "
                "run `carebridge migrate`."
            )
        self.stdout.write("\n".join(lines))
