"""Find the files to import and read them: JSON or NDJSON, plain or gzip, within a size limit."""

from __future__ import annotations

import gc
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SUFFIXES = (".json", ".json.gz", ".ndjson", ".ndjson.gz")
# Synthea writes the organisations and practitioners that every patient's bundle refers to
# into bundles of their own; they are read first so the patients' references resolve.
SHARED_BUNDLE_PREFIXES = ("practitionerInformation", "hospitalInformation")


class ReadError(Exception):
    """A file (or one of its lines) that cannot be read. The message holds no file content."""

    def __init__(self, message: str, position: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position or whole_file()


@dataclass(frozen=True)
class SourceFile:
    """A file to import. `name` is how summaries and stored resources name it."""

    path: Path
    name: str

    @property
    def is_ndjson(self) -> bool:
        return self.name.lower().endswith((".ndjson", ".ndjson.gz"))

    @property
    def is_gzip(self) -> bool:
        return self.name.lower().endswith(".gz")


def max_bytes() -> int:
    """The largest file accepted, compressed or not (setting CAREBRIDGE_IMPORT_MAX_BYTES)."""
    return int(settings.CAREBRIDGE_IMPORT_MAX_BYTES)


def is_importable_name(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def find_files(paths: Iterable[Path]) -> list[SourceFile]:
    """The files named, and the importable files in the folders named (recursively).

    Within a folder, Synthea's shared bundles come first, then the rest by name. A file named
    directly is kept whatever its suffix, so reading it can say why it is refused.
    """
    found: dict[Path, SourceFile] = {}
    for path in paths:
        if path.is_dir():
            files = [p for p in path.rglob("*") if p.is_file() and is_importable_name(p.name)]
        else:
            files = [path]
        for file in files:
            found.setdefault(file.resolve(), SourceFile(path=file, name=file.name))
    return sorted(found.values(), key=_reading_order)


def _reading_order(source: SourceFile) -> tuple[str, bool, str]:
    is_patient_file = not source.name.startswith(SHARED_BUNDLE_PREFIXES)
    return (str(source.path.parent), is_patient_file, source.name)


def read_bytes(source: SourceFile) -> bytes:
    """The file's content, uncompressed. Raises `ReadError` for anything unreadable or too big."""
    if not is_importable_name(source.name):
        raise ReadError(_("Not a .json, .json.gz, .ndjson or .ndjson.gz file."))
    limit = max_bytes()
    try:
        if source.path.stat().st_size > limit:
            raise ReadError(_too_large(limit))
        if not source.is_gzip:
            return source.path.read_bytes()
        with gzip.open(source.path) as stream:
            # Read one byte past the limit: a file that fills it is too large uncompressed.
            data = stream.read(limit + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ReadError(_("Not a readable gzip file.")) from error
    except OSError as error:
        raise ReadError(_("The file could not be opened.")) from error
    if len(data) > limit:
        raise ReadError(_too_large(limit))
    return data


def _too_large(limit: int) -> str:
    return _("Larger than the import limit of %(size)s (uncompressed).") % {
        "size": filesizeformat(limit)
    }


def read_json(source: SourceFile) -> Any:
    """The file's one JSON document."""
    try:
        return json.loads(read_bytes(source))
    except ValueError as error:
        raise ReadError(_("Not valid JSON.")) from error


def read_ndjson(source: SourceFile) -> Iterator[tuple[int, Any]]:
    """(line number, JSON value) for each non-blank line; a `ReadError` for a line not JSON."""
    data = read_bytes(source)
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError:
            yield number, ReadError(_("Not valid JSON."), position=line_position(number))


def whole_file() -> str:
    """The position of a problem with a file as a whole."""
    return _("file")


def line_position(number: int) -> str:
    return _("line %(number)s") % {"number": number}


@contextmanager
def collector_paused() -> Iterator[None]:
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
