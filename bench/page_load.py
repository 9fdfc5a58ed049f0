"""Every page's cost against a bare Django page: CPU and instructions per request, throughput
and p50/p99 latency under load, for a patient with 10,000 observations and one with 10.

    .venv/bin/python bench/page_load.py [--duration 10] [--concurrency 16] [--workers 2]
        [--callgrind N [--warmup W] [--callgrind-only "results (big)" …]]
        [--database-url postgres://…/carebridge_bench_pages]

Builds a fresh database (SQLite in a temporary directory, or the PostgreSQL database named,
dropped and created) holding two clinics alike in all but the size of their patient's record
(`bench/scenario.py`): 10,000 observations and 10. Starts the real server (gunicorn, DEBUG
off), signs the patients and their clinics' nurses in through the login pages, and checks that
each page answers and that the bare page (`bench/urls.py`: signed out, no cookie, 50 rows of one
indexed query, one template) runs exactly one query. Then another process (`bench/loadgen.py`)
loads the bare page and, for each patient in turn, each page for `--duration` seconds with
`--concurrency` connections, reading the workers' CPU time before and after each page's window
(`bench/cpu.py`). With `--callgrind N`, after the load, `bench/instructions.py` counts each
page's instructions per request (N measured requests after W warm-ups). Prints the table of
`bench/report.py`; then the caregiver's pages and the FHIR API, as throughput ratios.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report
from bench.environment import (
    PYTHON,
    REPO,
    bench_environment,
    bench_overrides,
    fresh_database,
    manage,
    new_workdir,
)
from bench.instructions import measure as measure_instructions
from bench.instructions import print_instructions
from bench.scenario import TOTP_SECRET, Household, Prepared, connect_app, prepare_household
from bench.signin import check_shows, sign_in, sign_in_staff

BIG = Household(
    clinic="bench",
    observations=10_000,
    email="bench.patient@example.test",
    staff_email="bench.nurse@example.test",
    caregiver_email="bench.caregiver@example.test",
)
SMALL = Household(
    clinic="bench-small",
    observations=10,
    email="bench.small.patient@example.test",
    staff_email="bench.small.nurse@example.test",
)
SIZES = {"big": BIG, "small": SMALL}
BARE_PATH = "/bench/baseline/"
STAFF_PAGES = ("staff inbox", "staff schedule")
NEWEST = "Question 0 about my medicines"


def patient_pages(ids: Prepared) -> dict[str, str]:
    """The pages loaded for a patient (and, last, for their clinic's nurse), by name."""
    return {
        "home": "/",
        "record summary": "/record/",
        "results": "/record/results/",
        "result with chart": f"/record/results/{ids.result_id}/",
        "trend": f"/record/results/{ids.result_id}/trend/",
        "vitals": "/record/vitals/",
        "medications": "/record/medications/",
        "appointments": "/appointments/",
        "booking times": f"/appointments/book/times/?type={ids.visit_type_id}",
        "messages": "/messages/",
        "conversation (100)": f"/messages/{ids.thread_id}/",
        "bills": "/billing/",
        "statement": f"/billing/statements/{ids.statement_id}/",
        "bill history": "/billing/history/",
        "staff inbox": "/staff/inbox/",
        "staff schedule": f"/staff/schedule/?date={ids.schedule_day}",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [PYTHON, "-m", "gunicorn", "carebridge.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=REPO)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("The server did not start.")


def sign_in_pages(base_url: str, prepared: dict[str, Prepared]) -> dict[str, dict[str, str]]:
    """Each page to load, by load name: its path and the Cookie header it is requested with."""
    pages = {report.BARE: {"path": BARE_PATH, "cookie": ""}}
    for size, house in SIZES.items():
        ids = prepared[size]
        patient = sign_in(base_url, house.email, visit_type=ids.visit_type_id)
        nurse = sign_in_staff(base_url, house.staff_email, TOTP_SECRET)
        check_shows(base_url, patient, f"/messages/{ids.thread_id}/", NEWEST)
        check_shows(base_url, nurse, "/staff/inbox/", NEWEST)
        for page, path in patient_pages(ids).items():
            cookie = nurse if page in STAFF_PAGES else patient
            pages[report.key(page, size)] = {"path": path, "cookie": cookie}
    return pages


def run_load(config: dict, workdir: Path) -> dict:
    path = workdir / "load.json"
    path.write_text(json.dumps(config))
    command = [PYTHON, str(REPO / "bench" / "loadgen.py"), str(path)]
    output = subprocess.run(command, check=False, capture_output=True, text=True)
    if output.returncode:
        raise SystemExit(f"The load generator failed:\n{output.stderr}")
    results = json.loads(output.stdout)
    failed = [name for name, row in results.items() if row["errors"]]
    if failed:
        # A page that answered with errors measured an error page, not the page.
        raise SystemExit(f"These pages answered with errors: {', '.join(failed)}")
    return results


def print_ratios(results: dict) -> None:
    """Throughput and p99 as ratios to the bare page's, for the extra passes."""
    base = results[report.BARE]
    print(f"{'page':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'req/s x':>9}{'p99 x':>8}")
    for name, row in results.items():
        print(
            f"{name:<22}{row['throughput']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['throughput'] / base['throughput']:>9.2f}{row['p99_ms'] / base['p99_ms']:>8.2f}"
        )


def extra_passes(config: dict, workdir: Path, env: dict[str, str], ids: Prepared) -> None:
    """The big patient's record pages for a caregiver acting for her, and the FHIR API."""
    base_url = config["base_url"]
    print("\nAs a caregiver with every scope, acting for the big patient:")
    carer = sign_in(base_url, BIG.caregiver_email, acting_for=ids.patient_id)
    record = {"home": "/", "results": "/record/results/"}
    record["trend"] = f"/record/results/{ids.result_id}/trend/"
    urls = {report.BARE: BARE_PATH} | record
    print_ratios(run_load(config | {"cookie": carer, "cookies": {}, "urls": urls}, workdir))
    print("\nThe FHIR API, with the token of an app the big patient connected:")
    token, api_patient, newest_lab = connect_app(env, BIG)
    search = f"/fhir/Observation?patient={api_patient}&category=laboratory&_count=50"
    urls = {
        report.BARE: BARE_PATH,
        "api search": search,
        "api search, page 3": search + "&_offset=100",
        "api read": f"/fhir/Observation/{newest_lab}",
        "api conditions": f"/fhir/Condition?patient={api_patient}",
    }
    cookies = {report.BARE: ""}
    load = config | {"cookie": f"Bearer {token}", "cookies": cookies, "urls": urls}
    print_ratios(run_load(load, workdir))


def count_instructions(pages_file: Path, args: argparse.Namespace) -> dict[str, float]:
    """Median instructions per request by load name (bearer-token pages are not counted)."""
    options = SimpleNamespace(
        warmup=args.warmup,
        requests=args.callgrind,
        repeat=1,
        jobs=args.callgrind_jobs,
        only=[report.BARE, *args.callgrind_only] if args.callgrind_only else [],
    )
    runs = measure_instructions(pages_file, options)  # type: ignore[arg-type]
    print_instructions(runs)
    return {name: values[0] for name, values in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="postgres://…/carebridge_bench_… (dropped)")
    parser.add_argument("--callgrind", type=int, default=0, metavar="N")
    parser.add_argument("--warmup", type=int, default=3, metavar="W")
    parser.add_argument("--callgrind-jobs", type=int, default=2)
    parser.add_argument(
        "--callgrind-only",
        action="append",
        default=[],
        metavar="NAME",
        help='count only these pages (and the bare page), e.g. "results (big)"; repeatable',
    )
    args = parser.parse_args()
    workdir = new_workdir()
    env = bench_environment(workdir)
    if args.database_url:
        fresh_database(args.database_url)
        env["DATABASE_URL"] = args.database_url
    manage(env, "migrate", "--noinput")
    prepared = {size: prepare_household(env, workdir, house) for size, house in SIZES.items()}
    manage(env, "collectstatic", "--noinput")
    port = free_port()
    server = start_server(env, port, args.workers)
    base_url = f"http://127.0.0.1:{port}"
    try:
        pages = sign_in_pages(base_url, prepared)
        pages_file = workdir / "pages.json"
        pages_file.write_text(json.dumps({"env": bench_overrides(env), "pages": pages}))
        subprocess.run(
            [PYTHON, "bench/instructions.py", "--check", pages_file], check=True, cwd=REPO
        )
        config = {
            "base_url": base_url,
            "master_pid": server.pid,
            "concurrency": args.concurrency,
            "duration": args.duration,
            "cookie": "",
            "cookies": {name: page["cookie"] for name, page in pages.items()},
            "urls": {name: page["path"] for name, page in pages.items()},
        }
        loads = run_load(config, workdir)
        (workdir / "loads.json").write_text(json.dumps(loads))
        try:
            extra_passes(config, workdir, env, prepared["big"])
        except SystemExit as failed:
            # The main table is measured: report the extra pass's failure and still print it.
            print(failed)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"\nWork directory (database, pages.json for bench/instructions.py): {workdir}")
    instructions = count_instructions(pages_file, args) if args.callgrind else {}
    rows = report.rows_from(loads, instructions)
    pages_in_order = list(patient_pages(prepared["big"]))
    print(f"\n{args.concurrency} connections, {args.workers} workers, {args.duration:g} s a page")
    print("\n".join(report.table(rows, pages_in_order, args.concurrency, args.workers)))
    print("\n".join(report.small_table(rows, pages_in_order)))
    print(report.LEGEND)


if __name__ == "__main__":
    main()
