"""Writing a request's files all or nothing: on a full disk or a write error, none is left.

A full disk (ENOSPC), a quota (EDQUOT), a read-only (EROFS) or failing (EIO) file system shows
up as an `OSError` from `open`, `write` or `close`. Files already written for the same request
would be orphans (nothing in the database points at them) and pile up with every retry, so
every one of them, and the one half written, is removed before `FileWriteError` is raised.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

# (where, the content in chunks)
Pending = tuple[Path, Iterable[bytes]]


class FileWriteError(ValidationError):
    """Files could not be written; none was kept. Its message is for the person: plain words."""


def write_all(pending: Iterable[Pending], *, refusal: str) -> list[Path]:
    """Write every file (each must not exist yet) or, on any `OSError`, none of them.

    Raises `FileWriteError(refusal)`; the cause (its errno only, never a path or content) is
    logged for the operator.
    """
    written: list[Path] = []
    try:
        for path, chunks in pending:
            _write_one(path, chunks, written)
    except OSError as error:
        remove_all(written)
        logger.error("Files not saved: %s (errno %s)", type(error).__name__, error.errno)
        raise FileWriteError(refusal, code="write_failed") from error
    return written


def _write_one(path: Path, chunks: Iterable[bytes], written: list[Path]) -> None:
    try:
        out = path.open("xb")
    except FileExistsError:
        # Someone else's file: never removed.
        raise
    except OSError:
        # The file may exist, empty, when the error came after its creation.
        written.append(path)
        raise
    written.append(path)
    with out:
        for chunk in chunks:
            out.write(chunk)


def make_folder(folder: Path, *, refusal: str, exist_ok: bool = True) -> None:
    """Create the folder (and its parents), raising `FileWriteError(refusal)` when it cannot."""
    try:
        folder.mkdir(parents=True, exist_ok=exist_ok)
    except OSError as error:
        logger.error("Folder not created: %s (errno %s)", type(error).__name__, error.errno)
        raise FileWriteError(refusal, code="write_failed") from error


def remove_all(paths: Iterable[Path]) -> None:
    """Remove the files, ignoring those already gone or that cannot be removed."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("A file could not be removed after a failed write.")


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
