"""Making a backup and restoring one.

A backup takes the database FIRST and the files after. Attachment and import files are written
before the rows that name them are committed (carebridge.messaging.storage.write_files, then the
rows in a transaction; records.importing.jobs saves uploads before its job row), so every file a
row in the dump names already exists when the folders are read. Files written after the dump are
copied too, harmlessly unnamed. The one gap: a file deleted (with its row) between the dump and
the copy; restore reports such attachments.

No audit event is written: a backup must not change the database it copies, and a restore
replaces the trail with the backed-up one, which is then verified.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from carebridge.backups import archive, database
from carebridge.backups.database import BackupError
from carebridge.messaging.models import Attachment


def create_backup(*, dest: Path) -> dict[str, Any]:
    """Write one archive of the database and the attachment and import folders to `dest`.

    Privacy: the archive holds every patient's record, so it is created readable by its owner
    only; its manifest names no patient and no file. Not audited (see the module's docstring).
    """
    if dest.exists():
        raise BackupError(f"{dest} already exists: choose a new name for each backup.")
    manifest = {
        "format": archive.FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"engine": database.engine()},
        "migrations": database.applied_migrations(),
    }
    with tempfile.TemporaryDirectory(prefix=".carebridge-backup-", dir=dest.parent) as work:
        dump_path = Path(work) / "database"
        database.dump(dump_path)
        return archive.write(dest, dump_path=dump_path, manifest=manifest)


@dataclass
class RestoreSummary:
    created_at: str
    engine: str
    files: dict[str, int]
    audit: str
    attachments_checked: int
    attachments_wrong: list[str] = field(default_factory=list)
    migrations_to_apply: int = 0


def _refuse_unless_empty(*, force: bool) -> None:
    if force:
        return
    if database.has_tables():
        raise BackupError("The database is not empty. Restore into a new one, or use --force.")
    for name, folder in archive.folders().items():
        if folder.is_dir() and any(folder.iterdir()):
            raise BackupError(f"The {name} folder ({folder}) is not empty. Use --force.")


def _stage_files(tar: tarfile.TarFile, manifest: dict[str, Any], staging: dict[str, Path]) -> None:
    paths = archive.read_paths(tar, manifest)
    for entry in manifest["files"]:
        archive.extract(tar, entry, staging[entry["folder"]] / paths[entry["member"]])


def _move_in(staged: Path, target: Path) -> None:
    """Put a fully extracted folder in place of `target` (the old one is removed after)."""
    old = target.with_name(f"{target.name}.before-restore")
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staged), str(target))
    shutil.rmtree(old, ignore_errors=True)


def _check_attachments() -> tuple[int, list[str]]:
    """Every attachment row has its file, with the SHA-256 recorded when it was sent."""
    folder = archive.folders()["attachments"]
    wrong = []
    rows = Attachment.objects.values_list("stored_name", "sha256")
    for stored_name, sha256 in rows.iterator():
        path = folder / stored_name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            wrong.append(stored_name)
    return len(rows), wrong


def _verify_audit() -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as error:
        raise BackupError(
            f"Restored, but the audit trail does not verify: {err.getvalue()}"
        ) from error
    return out.getvalue().strip()


def _migrations_to_apply() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _restore_from(tar: tarfile.TarFile, *, force: bool, work: Path) -> dict[str, Any]:
    manifest = archive.read_manifest(tar)
    if manifest["database"]["engine"] != database.engine():
        raise BackupError(f"This is a {manifest['database']['engine']} backup.")
    _refuse_unless_empty(force=force)
    staging = {
        name: Path(tempfile.mkdtemp(prefix=".restore-", dir=work)) for name in archive.folders()
    }
    _stage_files(tar, manifest, staging)
    dump_path = work / "database"
    archive.extract(tar, manifest["database"], dump_path)
    # Every checksum has been verified: only now is anything replaced.
    database.restore(dump_path, replace=force)
    for name, target in archive.folders().items():
        _move_in(staging[name], target)
    return manifest


def restore_backup(*, source: Path, force: bool = False) -> RestoreSummary:
    """Restore the database, then the files, from an archive; verify the audit trail and every
    attachment. Nothing is replaced until every member has been extracted and checked.

    Audit: the restored trail is the backed-up one, verified; the restore adds no event to it.
    """
    # Stage next to the attachment folder, so that moving it in is a rename.
    work_parent = archive.folders()["attachments"].parent
    work_parent.mkdir(parents=True, exist_ok=True)
    with (
        tarfile.open(source, mode="r:") as tar,
        tempfile.TemporaryDirectory(prefix=".carebridge-restore-", dir=work_parent) as work,
    ):
        manifest = _restore_from(tar, force=force, work=Path(work))
    checked, wrong = _check_attachments()
    counts = dict.fromkeys(archive.folders(), 0)
    for entry in manifest["files"]:
        counts[entry["folder"]] += 1
    return RestoreSummary(
        created_at=manifest["created_at"],
        engine=manifest["database"]["engine"],
        files=counts,
        audit=_verify_audit(),
        attachments_checked=checked,
        attachments_wrong=wrong,
        migrations_to_apply=_migrations_to_apply(),
    )
