"""A full disk, for tests: new files (opened with mode "x", as `lib.files.write_all` does) fail
with ENOSPC after a number of them were written, the failing one half written first."""

from __future__ import annotations

import errno
import pathlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

WRITE_REFUSAL = "We could not save your file right now. Nothing was sent. Please try again later."
IMPORT_REFUSAL = (
    "We could not save your file right now. Nothing was imported. Please try again later."
)


@contextmanager
def disk_full_after(files: int = 0) -> Iterator[list[pathlib.Path]]:
    """Let `files` new files be written; the next is created with one byte, then ENOSPC.

    Yields the paths that were created (so a test can say they are all gone afterwards).
    """
    real_open = pathlib.Path.open
    created: list[pathlib.Path] = []

    def open_until_full(self: pathlib.Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "x" not in mode:
            return real_open(self, mode, *args, **kwargs)
        created.append(self)
        if len(created) <= files:
            return real_open(self, mode, *args, **kwargs)
        with real_open(self, mode, *args, **kwargs) as partial:
            partial.write(b"%")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pathlib.Path, "open", open_until_full)
        yield created
