"""One patient's pages while another patient's 10,000-resource import runs, on PostgreSQL.

    .venv/bin/python bench/import_contention.py [--database-url postgres://…/carebridge_bench]
        [--duration 3] [--concurrency 4] [--workers 2]

Creates (or empties) the PostgreSQL database, imports a small generated record for the patient
who browses (and gives her a sign-in), starts the real server (gunicorn, DEBUG off), and loads
her home, results and account-activity pages — each of which records an audit event — from
another process (`bench/loadgen.py`): first on a quiet server, then while `carebridge
import-fhir` imports a new patient's generated 10,000-observation record (one long transaction
that records audit events). Prints p50 and p99 for both, their ratios, and whether the import
was still running when the measurement ended (if not, raise --duration or lower it: the figures
would mix quiet and busy time). Then it seals the trail and checks it with `verify-audit`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import PYTHON, REPO, bench_environment, manage, new_workdir
from bench.page_load import EMAIL, PASSWORD, free_port, run_load, sign_in, start_server

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/carebridge_bench_contention"
WRITE_RECORD = """
import datetime, json
from carebridge.clinic.models import Clinic
from carebridge.demo.clinical import generate_large_record
from carebridge.records.identifiers import mrn_system
clinic, _ = Clinic.objects.get_or_create(slug="bench", defaults={"name": "Bench Clinic"})
bundle = generate_large_record(
    mrn_system=mrn_system(clinic), today=datetime.date.today(), observations=COUNT, seed=SEED
)
with open(PATH, "w") as out:
    json.dump(bundle, out)
"""
ATTACH_USER = """
from allauth.account.models import EmailAddress
from carebridge.accounts.models import User
from carebridge.patients.models import Patient
patient = Patient.objects.get()
user = User.objects.create_user(email=EMAIL, password=PASSWORD, first_name="Bench")
EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
patient.user = user
patient.save()
"""
PAGES = {"home": "/", "results": "/record/results/", "activity": "/account/activity/"}


def fresh_database(url: str) -> None:
    """Drop and create the benchmark's database (never anything but the one named)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("carebridge_bench"):
        raise SystemExit("Refusing to drop a database whose name does not start carebridge_bench.")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def write_record(env: dict[str, str], path: Path, count: int, seed: int) -> None:
    code = WRITE_RECORD.replace("COUNT", str(count)).replace("SEED", str(seed))
    manage(env, "shell", "-v", "0", "-c", code.replace("PATH", repr(str(path))))


def prepare(env: dict[str, str], workdir: Path) -> Path:
    """The browsing patient (imported and signed up); returns the other patient's record file."""
    manage(env, "migrate", "--noinput")
    mine, theirs = workdir / "browsing.json", workdir / "imported.json"
    write_record(env, mine, 500, seed=11)
    write_record(env, theirs, 10_000, seed=29)
    manage(env, "import-fhir", str(mine), "--json", "--no-progress")
    attach = ATTACH_USER.replace("EMAIL", repr(EMAIL)).replace("PASSWORD", repr(PASSWORD))
    manage(env, "shell", "-v", "0", "-c", attach)
    manage(env, "collectstatic", "--noinput")
    return theirs


def start_import(env: dict[str, str], record: Path) -> subprocess.Popen[bytes]:
    command = [PYTHON, "-m", "carebridge", "import-fhir", str(record), "--no-progress"]
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL)


def print_rows(quiet: dict, busy: dict) -> None:
    print(f"{'page':<10}{'quiet p50':>11}{'p99':>9}{'busy p50':>11}{'p99':>9}{'p99 x':>8}")
    for name in PAGES:
        q, b = quiet[name], busy[name]
        print(
            f"{name:<10}{q['p50_ms']:>11.1f}{q['p99_ms']:>9.1f}{b['p50_ms']:>11.1f}"
            f"{b['p99_ms']:>9.1f}{b['p99_ms'] / q['p99_ms']:>8.2f}"
            + (f"  ({b['errors']} errors)" if b["errors"] or q["errors"] else "")
        )
    print("milliseconds; busy = during the other patient's import; p99 x = busy p99 / quiet p99")


def seal_and_verify(env: dict[str, str]) -> None:
    """Seal what the run recorded and check the trail (skipped on a release without sealing)."""
    try:
        started = time.perf_counter()
        print(manage(env, "seal-audit").strip(), f"in {time.perf_counter() - started:.2f} s")
    except subprocess.CalledProcessError:
        print("(no seal-audit command in this release)")
    print(manage(env, "verify-audit").strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    fresh_database(args.database_url)
    workdir = new_workdir()
    env = bench_environment(workdir) | {"DATABASE_URL": args.database_url}
    record = prepare(env, workdir)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        base_url = f"http://127.0.0.1:{port}"
        config = {
            "base_url": base_url,
            "cookie": sign_in(base_url),
            "concurrency": args.concurrency,
            "duration": args.duration,
            "urls": PAGES,
        }
        quiet = run_load(config, workdir)
        importer = start_import(env, record)
        # Let the import read and check its file and open its transaction first.
        time.sleep(3)
        started = time.perf_counter()
        busy = run_load(config, workdir)
        measured = time.perf_counter() - started
        still_running = importer.poll() is None
        importer.wait()
        print_rows(quiet, busy)
        print(
            f"measured for {measured:.1f} s; the import was "
            + ("still running at the end" if still_running else "FINISHED before the end")
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    seal_and_verify(env)


if __name__ == "__main__":
    main()
