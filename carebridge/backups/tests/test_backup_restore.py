"""Backups that restore: the SQLite round trip, and the restore drill on PostgreSQL.

Data: Pat writes to the Family medicine team with a PNG attached (through the messaging
service, so the write is audited), and a staff upload waits in the import folder under a name
that could be a patient's. The drill restores into a NEW database and checks it as a clinic
would: the audit trail verifies, every attachment downloads with the same SHA-256, and every
table has the same number of rows.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from carebridge.audit.services import seal_pending_events
from carebridge.clinic.models import StaffMember
from carebridge.messaging import services
from carebridge.messaging.models import Attachment, CareTeam, Topic
from carebridge.testing.personas import Cast

CARE_BRIDGE = Path(sys.executable).with_name("carebridge")
IMPORT_NAME = "maria-gomez-summary.json"
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def folders(settings: Any, tmp_path: Path) -> dict[str, Path]:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.CAREBRIDGE_IMPORT_DIR = tmp_path / "imports"
    return {"attachments": tmp_path / "attachments", "imports": tmp_path / "imports"}


def _build_data(cast: Cast, folders: dict[str, Path]) -> None:
    team = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    services.start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="Rash on my arm",
        body="It started on Monday.",
        now=datetime.datetime.now(tz=datetime.UTC),
        files=[("my arm.png", _png())],
    )
    upload = folders["imports"] / str(uuid.uuid4()) / IMPORT_NAME
    upload.parent.mkdir(parents=True)
    upload.write_text('{"resourceType": "Bundle"}')
    # The worker seals events within seconds; the backup is taken after that.
    seal_pending_events()


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@transactional
def test_the_manifest_names_no_file_and_checksums_every_one(
    cast: Cast, folders: dict[str, Path], tmp_path: Path
) -> None:
    _build_data(cast, folders)
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    assert (tmp_path / "b.tar").stat().st_mode & 0o777 == 0o600
    with tarfile.open(tmp_path / "b.tar") as tar:
        raw = tar.extractfile("manifest.json").read().decode()  # type: ignore[union-attr]
    manifest = json.loads(raw)
    assert "my arm.png" not in raw
    assert IMPORT_NAME not in raw
    assert manifest["database"]["engine"] == connection.vendor
    assert "0001_attempt_counters_and_cache_table" in manifest["migrations"]["core"]
    datetime.datetime.fromisoformat(manifest["created_at"])
    stored = Attachment.objects.get().stored_name
    expected = {
        hashlib.sha256((folders["attachments"] / stored).read_bytes()).hexdigest(),
        hashlib.sha256(b'{"resourceType": "Bundle"}').hexdigest(),
    }
    assert {entry["sha256"] for entry in manifest["files"]} == expected
    assert sorted(entry["folder"] for entry in manifest["files"]) == ["attachments", "imports"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
@transactional
def test_sqlite_round_trip(cast: Cast, folders: dict[str, Path], tmp_path: Path) -> None:
    _build_data(cast, folders)
    counts, files = _row_counts(), {name: _file_hashes(path) for name, path in folders.items()}
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    # Without --force, a restore refuses the database that holds data.
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(tmp_path / "b.tar"), stdout=io.StringIO())
    # Things change after the backup, then the backup is restored over them.
    Attachment.objects.all().delete()
    for path in folders["attachments"].iterdir():
        path.unlink()
    (folders["imports"] / "later.json").write_text("{}")
    out = io.StringIO()
    call_command("restore", str(tmp_path / "b.tar"), "--force", stdout=out)
    assert _row_counts() == counts
    assert {name: _file_hashes(path) for name, path in folders.items()} == files
    report = out.getvalue()
    assert "Files: 1 attachments, 1 imports, every checksum verified." in report
    assert f"Audit trail intact: {counts['audit_auditevent']} sealed events." in report
    assert "Attachments checked against their recorded SHA-256: 1." in report


def _damage_first_file(source: Path, target: Path) -> None:
    with tarfile.open(source) as tar_in, tarfile.open(target, "w") as tar_out:
        for member in tar_in.getmembers():
            data = tar_in.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "files/0000001":
                data = bytes([data[0] ^ 0xFF]) + data[1:]
            tar_out.addfile(member, io.BytesIO(data))


@transactional
def test_a_damaged_archive_changes_nothing(
    cast: Cast, folders: dict[str, Path], tmp_path: Path
) -> None:
    _build_data(cast, folders)
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    _damage_first_file(tmp_path / "b.tar", tmp_path / "damaged.tar")
    Attachment.objects.all().delete()
    counts, files = _row_counts(), {name: _file_hashes(path) for name, path in folders.items()}
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(tmp_path / "damaged.tar"), "--force")
    assert _row_counts() == counts
    assert {name: _file_hashes(path) for name, path in folders.items()} == files


_CHECK_RESTORED = """
import hashlib, json
from django.core.management import call_command
from django.db import connection
from django.test import Client
from carebridge.messaging.models import Attachment
call_command("verify_audit")
counts = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.django_table_names(only_existing=True)):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
downloads = {}
for attachment in Attachment.objects.select_related("message__thread__patient__user"):
    client = Client()
    client.force_login(attachment.message.thread.patient.user)
    url = f"/messages/{attachment.message.thread_id}/attachments/{attachment.pk}/"
    response = client.get(url)
    body = b"".join(response.streaming_content)
    downloads[str(attachment.pk)] = [response.status_code, hashlib.sha256(body).hexdigest()]
print("RESULT " + json.dumps({"counts": counts, "downloads": downloads}))
"""


def _run_against(database_url: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CAREBRIDGE_ATTACHMENT_DIR": str(root / "attachments"),
        "CAREBRIDGE_IMPORT_DIR": str(root / "imports"),
    }
    return subprocess.run(
        [str(CARE_BRIDGE), *args], env=env, capture_output=True, text=True, check=False
    )


def _server_url(name: str) -> str:
    settings_dict = connection.settings_dict
    host, port, user = settings_dict["HOST"], settings_dict["PORT"], settings_dict["USER"]
    return f"postgres://{user}@{host}:{port}/{name}"


def _admin_connection() -> psycopg.Connection[Any]:
    settings_dict = connection.settings_dict
    return psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        password=settings_dict.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL restore drill")
@transactional
def test_postgresql_restore_drill(cast: Cast, folders: dict[str, Path], tmp_path: Path) -> None:
    _build_data(cast, folders)
    counts = _row_counts()
    attachment = Attachment.objects.get()
    call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    name = f"carebridge_drill_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        restored = _run_against(
            _server_url(name), tmp_path / "restored", "restore", str(tmp_path / "b.tar")
        )
        assert restored.returncode == 0, restored.stderr
        assert f"Audit trail intact: {counts['audit_auditevent']} sealed events." in restored.stdout
        checked = _run_against(
            _server_url(name), tmp_path / "restored", "shell", "-c", _CHECK_RESTORED
        )
        assert checked.returncode == 0, checked.stderr
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result = json.loads(checked.stdout.split("RESULT ", 1)[1])
    assert result["counts"] == counts
    assert result["downloads"] == {str(attachment.pk): [200, attachment.sha256]}
