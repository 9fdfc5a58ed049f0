"""Writing a request's files all or nothing (lib/files.py)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from carebridge.lib.files import FileWriteError, make_folder, write_all
from carebridge.testing.disk import disk_full_after


def test_every_file_is_written(tmp_path: Path) -> None:
    paths = write_all(
        [(tmp_path / "a", [b"one", b"two"]), (tmp_path / "b", [b"three"])], refusal="No."
    )
    assert paths == [tmp_path / "a", tmp_path / "b"]
    assert [p.read_bytes() for p in paths] == [b"onetwo", b"three"]


def test_a_full_disk_leaves_no_file_and_says_the_refusal(tmp_path: Path) -> None:
    pending = [(tmp_path / name, [b"data"]) for name in ("a", "b", "c")]
    with disk_full_after(files=1) as created, pytest.raises(FileWriteError) as refusal:
        write_all(pending, refusal="Try later.")
    assert created == [tmp_path / "a", tmp_path / "b"]
    assert (refusal.value.messages, refusal.value.code) == (["Try later."], "write_failed")
    assert isinstance(refusal.value.__cause__, OSError)
    assert refusal.value.__cause__.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_a_write_error_mid_file_removes_the_half_written_file(tmp_path: Path) -> None:
    def chunks():
        yield b"first"
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(FileWriteError):
        write_all([(tmp_path / "a", [b"whole"]), (tmp_path / "b", chunks())], refusal="No.")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_on_a_read_only_file_system_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(FileWriteError) as refusal:
        make_folder(tmp_path / "new", refusal="Later.")
    assert refusal.value.messages == ["Later."]
