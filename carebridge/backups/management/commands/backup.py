"""`carebridge backup DEST`: the database, then the attachment and import files, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carebridge.backups.database import BackupError
from carebridge.backups.services import create_backup


class Command(BaseCommand):
    help = "Write a backup archive (a tar with a manifest.json) of the database and files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path, help="the archive to write (must not exist)")

    def handle(self, *args: Any, **options: Any) -> None:
        dest: Path = options["dest"]
        try:
            manifest = create_backup(dest=dest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            f"Backup written to {dest}: {manifest['database']['engine']} database "
            f"({manifest['database']['size']} bytes), {len(manifest['files'])} files "
            f"({size} bytes)."
        )
