"""The backup archive: one tar holding the database dump, every attachment and import file, a
path index, and a manifest.json with a SHA-256 for each member.

The manifest names no patient and no file: files are stored as numbered members, and their real
paths (attachments have random names, but uploaded import files keep a cleaned form of the name
they were uploaded under, which can name a patient) are only in `paths.json`, inside the archive
like the dump itself. The whole archive is health information: keep it encrypted.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings

from carebridge.backups.database import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
PATHS = "paths.json"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
_CHUNK = 1024 * 1024


def folders() -> dict[str, Path]:
    """The folders whose files a backup holds, by the name the manifest uses for each."""
    return {
        "attachments": Path(settings.CAREBRIDGE_ATTACHMENT_DIR),
        "imports": Path(settings.CAREBRIDGE_IMPORT_DIR),
    }


class _HashingReader:
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _add_stream(tar: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    reader = _HashingReader(stream)
    tar.addfile(info, reader)
    return {"member": name, "sha256": reader.digest.hexdigest(), "size": size}


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as stream:
        return _add_stream(tar, name, stream, os.fstat(stream.fileno()).st_size)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> dict[str, Any]:
    return _add_stream(tar, name, io.BytesIO(data), len(data))


def _files_in(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (path for path in sorted(folder.rglob("*")) if path.is_file())


def _add_folders(tar: tarfile.TarFile) -> tuple[list[dict[str, Any]], dict[str, str]]:
    entries: list[dict[str, Any]] = []
    paths: dict[str, str] = {}
    for folder_name, folder in folders().items():
        for path in _files_in(folder):
            member = f"files/{len(entries) + 1:07d}"
            try:
                entry = _add_file(tar, member, path)
            except FileNotFoundError:
                # Removed since the folder was listed: its row was deleted before, so the dump
                # (taken earlier) may still name it; restore reports any such attachment.
                continue
            entries.append({**entry, "folder": folder_name})
            paths[member] = path.relative_to(folder).as_posix()
    return entries, paths


def write(dest: Path, *, dump_path: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the archive to `dest` (readable by its owner only), whole or not at all."""
    partial = dest.with_name(dest.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
            engine = manifest["database"]["engine"]
            database = _add_file(tar, DATABASE_MEMBERS[engine], dump_path)
            files, paths = _add_folders(tar)
            index = _add_bytes(tar, PATHS, json.dumps(paths).encode())
            manifest = {**manifest, "database": {**manifest["database"], **database}}
            manifest = {**manifest, "paths": index, "files": files}
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        stream = tar.extractfile(MANIFEST)
    except KeyError as error:
        raise BackupError("This is not a Carebridge backup: it has no manifest.json.") from error
    assert stream is not None
    manifest: dict[str, Any] = json.load(stream)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _checked_stream(tar: tarfile.TarFile, entry: dict[str, Any]) -> IO[bytes]:
    member = tar.getmember(entry["member"])
    if not member.isfile() or member.size != entry["size"]:
        raise BackupError(f"{entry['member']} is not the file the manifest describes.")
    stream = tar.extractfile(member)
    assert stream is not None
    return stream


def extract(tar: tarfile.TarFile, entry: dict[str, Any], target: Path) -> None:
    """Copy one member to `target`, raising if its SHA-256 is not the manifest's."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with _checked_stream(tar, entry) as stream, target.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"{entry['member']} does not match its checksum: the archive is damaged.")


def read_paths(tar: tarfile.TarFile, manifest: dict[str, Any]) -> dict[str, PurePosixPath]:
    """The path index, checked against its checksum, with every path kept inside its folder."""
    with _checked_stream(tar, manifest["paths"]) as stream:
        data = stream.read()
    if hashlib.sha256(data).hexdigest() != manifest["paths"]["sha256"]:
        raise BackupError("paths.json does not match its checksum: the archive is damaged.")
    paths = {member: PurePosixPath(path) for member, path in json.loads(data).items()}
    for path in paths.values():
        if path.is_absolute() or ".." in path.parts:
            raise BackupError("The archive names a file outside its folder.")
    return paths
