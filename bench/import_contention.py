"""One patient's pages while another patient's 10,000-resource import runs, on PostgreSQL.

    .venv/bin/python bench/import_contention.py [--database-url postgres://…/carebridge_bench_x]
        [--duration 30] [--concurrency 2] [--workers 2]

Creates (or empties) the PostgreSQL database, imports a small generated record for the patient
who browses (and gives her a sign-in), and starts the real server (gunicorn, DEBUG off). Then
three load generators (`bench/loadgen.py`, `--concurrency` clients each) load her home, results
and account-activity pages at once — each page records an audit event — for `--duration`
seconds: first on a quiet server, then from the moment `carebridge import-fhir` starts importing
a new patient's generated 10,000-observation record (one long transaction that records an audit
event). Prints p50, p99 and the longest wait of both runs, and how long the import took (choose
a duration longer than the import, so that the whole import is inside the busy run). Then it
seals the trail and checks it with `verify-audit`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import PYTHON, REPO, bench_environment, fresh_database, manage, new_workdir
from bench.page_load import free_port, start_server
from bench.signin import PASSWORD, sign_in

EMAIL = "bench.patient@example.test"

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/carebridge_bench_contention"
WRITE_RECORD = """
import datetime, json, re, uuid
from carebridge.clinic.models import Clinic
from carebridge.demo.clinical import generate_large_record
from carebridge.demo.clinical.large import LARGE_RECORD_MRN
from carebridge.records.identifiers import mrn_system
clinic, _ = Clinic.objects.get_or_create(slug="bench", defaults={"name": "Bench Clinic"})
bundle = generate_large_record(
    mrn_system=mrn_system(clinic), today=datetime.date.today(), observations=COUNT, seed=SEED
)
# Every generated record has the same MRN and ids: give this one its own, so it is a new patient.
text = json.dumps(bundle).replace(json.dumps(LARGE_RECORD_MRN), json.dumps(f"BENCH-{SEED}"))
text = re.sub(
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    lambda found: str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-{SEED}-{found[0]}")),
    text,
)
with open(PATH, "w") as out:
    out.write(text)
"""
ATTACH_USER = """
from allauth.account.models import EmailAddress
from carebridge.accounts.models import User
from carebridge.patients.models import Patient
patient = Patient.objects.get(mrn="BENCH-11")
user = User.objects.create_user(email=EMAIL, password=PASSWORD, first_name="Bench")
EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
patient.user = user
patient.save()
"""
COUNT_PATIENTS = "from carebridge.patients.models import Patient; print(Patient.objects.count())"
PAGES = {"home": "/", "results": "/record/results/", "activity": "/account/activity/"}


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
    print(
        f"{'page':<10}{'quiet p50':>10}{'p99':>8}{'max':>8}{'busy p50':>10}{'p99':>8}{'max':>8}"
        f"{'p99 x':>7}"
    )
    for name in PAGES:
        q, b = quiet[name], busy[name]
        print(
            f"{name:<10}{q['p50_ms']:>10.0f}{q['p99_ms']:>8.0f}{q['max_ms']:>8.0f}"
            f"{b['p50_ms']:>10.0f}{b['p99_ms']:>8.0f}{b['max_ms']:>8.0f}"
            f"{b['p99_ms'] / q['p99_ms']:>7.2f}"
            + (f"  ({q['errors']} + {b['errors']} errors)" if b["errors"] or q["errors"] else "")
        )
    print("milliseconds; busy = during the other patient's import; p99 x = busy p99 / quiet p99")


def seal_and_verify(env: dict[str, str]) -> None:
    """Seal what the run recorded and check the trail (skipped on a release without sealing)."""
    try:
        started = time.perf_counter()
        sealed = manage(env, "seal-audit").strip()
        print(sealed, f"({time.perf_counter() - started:.2f} s with the command's start-up)")
    except subprocess.CalledProcessError:
        print("(no seal-audit command in this release)")
    print(manage(env, "verify-audit").strip())


def measure(config: dict, workdir: Path) -> dict:
    """Load every page at once, each from its own load generator, for the whole duration."""
    runs = {}
    for name, path in PAGES.items():
        config_file = workdir / f"load-{name}.json"
        config_file.write_text(json.dumps(config | {"urls": {name: path}}))
        command = [PYTHON, str(REPO / "bench" / "loadgen.py"), str(config_file)]
        runs[name] = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    return {name: json.loads(run.communicate()[0])[name] for name, run in runs.items()}


def measure_during_import(
    config: dict, workdir: Path, env: dict[str, str], record: Path
) -> tuple[dict, str]:
    """Load the pages from the moment the import starts; return the figures and a timing note."""
    importer = start_import(env, record)
    started = time.perf_counter()
    finished: list[float] = []

    def wait_for_import() -> None:
        importer.wait()
        finished.append(time.perf_counter())

    watcher = threading.Thread(target=wait_for_import)
    watcher.start()
    busy = measure(config, workdir)
    measured = time.perf_counter() - started
    watcher.join()
    took = finished[0] - started
    note = f"measured for {measured:.1f} s; the import took {took:.1f} s"
    return busy, note + (" (LONGER than the measurement)" if took > measured else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=2, help="clients per page")
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
            "cookie": sign_in(base_url, EMAIL),
            "concurrency": args.concurrency,
            "duration": args.duration,
        }
        quiet = measure(config, workdir)
        busy, note = measure_during_import(config, workdir, env, record)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print_rows(quiet, busy)
    patients = manage(env, "shell", "-v", "0", "-c", COUNT_PATIENTS).strip()
    print(f"{note}; patients now: {patients}")
    seal_and_verify(env)


if __name__ == "__main__":
    main()
