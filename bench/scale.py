"""The daily pages with a health system's number of patients, on PostgreSQL.

    .venv/bin/python bench/scale.py [--patients 100000] [--requests 20]
        [--database-url postgres://postgres@127.0.0.1:5432/carebridge_bench_scale]

Drops and creates the database (its name must start `carebridge_bench`), migrates it, imports
one patient's generated 10,000-observation record through the real importer and copies it, in
part, to `--patients` generated patients (`bench/scale_data.py`: most with 20 to 200
observations, 3 in 100 with 500 to 2,000, two more with 10,000), with their users,
appointments, conversations and audit events; then VACUUM ANALYZE. For a typical patient (the
median number of observations) and for the biggest (the imported 10,000), it opens the daily
pages in the Django test client, `--requests` times each after one warm-up, and prints per request
(medians) CPU ms (this process: Django's work, not the database's), DB ms (the queries' times
as Django saw them: PostgreSQL's work, the round trips and any wait for a busy core), PG ms
(PostgreSQL's own execution time of the page's SELECTs, from EXPLAIN ANALYZE) and wall ms,
with the number of queries (`--measure-only` measures a database an earlier run made). Then
the EXPLAIN ANALYZE of the slowest queries, and the size of the record: bytes per resource row
with its indexes and its stored versions, scaled to 50 million observations.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import bench_environment, manage, new_workdir
from bench.import_contention import fresh_database

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/carebridge_bench_scale"
HEALTH_SYSTEM_OBSERVATIONS = 50_000_000
WRITE_TEMPLATE = """
import datetime, json
from carebridge.clinic.models import Clinic
from carebridge.demo.clinical import generate_large_record
from carebridge.records.identifiers import mrn_system
clinic, _ = Clinic.objects.get_or_create(slug="scale", defaults={"name": "Scale Clinic"})
bundle = generate_large_record(mrn_system=mrn_system(clinic), today=datetime.date.today())
with open(PATH, "w") as out:
    json.dump(bundle, out)
"""


def prepare_database(url: str, workdir: Path) -> None:
    """A new database, migrated, holding the imported template patient (run as commands)."""
    fresh_database(url)
    env = bench_environment(workdir) | {"DATABASE_URL": url}
    manage(env, "migrate", "--noinput")
    record = workdir / "template.json"
    manage(env, "shell", "-v", "0", "-c", WRITE_TEMPLATE.replace("PATH", repr(str(record))))
    manage(env, "import-fhir", str(record), "--no-progress", "--clinic", "scale")


def setup_django(url: str, workdir: Path) -> None:
    os.environ.update(bench_environment(workdir) | {"DATABASE_URL": url})
    import django

    django.setup()


def timed(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def generate(patients: int, seed: int) -> dict[str, Any]:
    """Everyone and everything but the template; returns who and what the pages open."""
    from django.db import connection

    from bench import scale_data
    from carebridge.clinic.models import Clinic
    from carebridge.patients.models import Patient
    from carebridge.testing import factories

    rng = random.Random(seed)
    clinic = Clinic.objects.get(slug="scale")
    template = Patient.objects.get(clinic=clinic)
    template.user = factories.make_user(email="scale.template@example.test")
    template.save()
    started = time.perf_counter()
    staffing = scale_data.make_staffing(clinic, patients)
    counts = scale_data.observation_counts(patients, rng)
    people = scale_data.make_people(clinic, counts, rng)
    started = timed(f"{patients:,} users and patients", started)
    rows = scale_data.copy_records(template, people)
    started = timed(f"{rows:,} resources copied", started)
    made = scale_data.make_appointments(staffing, people, rng)
    started = timed(f"{made:,} appointments", started)
    threads, messages = scale_data.make_conversations(staffing, people, rng)
    started = timed(f"{threads:,} conversations, {messages:,} messages", started)
    events = scale_data.make_audit_trail(people, rng)
    started = timed(f"{events:,} audit events", started)
    # VACUUM too, as autovacuum would have by the time anyone reads a record: it marks the
    # pages all-visible, without which PostgreSQL never answers from an index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timed("VACUUM ANALYZE", started)
    median = sorted(range(patients), key=lambda n: counts[n])[patients // 2]
    return {
        "staffing": staffing,
        "typical": Patient.objects.get(pk=people.patient_ids[median]),
        "biggest": template,
        "typical_observations": counts[median],
    }


def existing(patients: int, seed: int) -> dict[str, Any]:
    """The same people from a database an earlier run generated (`--measure-only`)."""
    from bench import scale_data
    from carebridge.patients.models import Patient

    counts = scale_data.observation_counts(patients, random.Random(seed))
    median = sorted(range(patients), key=lambda n: counts[n])[patients // 2]
    return {
        "staffing": scale_data.find_staffing(),
        "typical": Patient.objects.get(mrn=f"SCALE-{median}"),
        "biggest": Patient.objects.get(user__email="scale.template@example.test"),
        "typical_observations": counts[median],
    }


def page_addresses(patient: Any, staffing: Any) -> dict[str, tuple[Any, str]]:
    """Each daily page, with who opens it: the patient, or a member of staff."""
    from django.urls import reverse

    from carebridge.messaging.models import Thread
    from carebridge.records.models import ClinicalResource

    result = (
        ClinicalResource.objects.filter(patient=patient, resource_type="Observation")
        .exclude(value_numeric=None)
        .newest_first()
        .first()
    )
    assert result is not None, "every generated patient has numeric results"
    thread = Thread.objects.filter(patient=patient).order_by("-last_message_at").first()
    user = patient.user
    pages: dict[str, tuple[Any, str]] = {
        "home": (user, reverse("home:home")),
        "record summary": (user, reverse("records:summary")),
        "results": (user, reverse("records:results")),
        "one result": (user, reverse("records:result-detail", args=[result.pk])),
        "trend": (user, reverse("records:test-trend", args=[result.pk])),
        "vitals": (user, reverse("records:vitals")),
        "medications": (user, reverse("records:medications")),
        "appointments": (user, reverse("scheduling:appointments")),
        "booking times": (
            user,
            f"{reverse('scheduling:book-times')}?type={staffing.visit_type.pk}",
        ),
        "messages": (user, reverse("messaging:threads")),
        "account activity": (user, reverse("audit:activity")),
        "staff inbox": (staffing.nurse, reverse("staff:inbox")),
        "staff schedule day": (staffing.front_desk, reverse("staff:schedule-day")),
        "staff chart results": (
            staffing.clinician,
            reverse("staff:chart-results", args=[patient.pk]),
        ),
    }
    if thread is not None:
        pages["one conversation"] = (user, reverse("messaging:thread", args=[thread.pk]))
    return pages


def measure_page(user: Any, address: str, requests: int) -> dict[str, Any]:
    """CPU and wall ms per request (median and worst), the query count and the queries."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    # Each request empties the query log as it starts (Django's request_started signal): an
    # empty log here is what the capture counts from.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    if response.status_code != 200:
        raise SystemExit(f"{address} answered {response.status_code}")
    cpu, wall, database = [], [], []
    for _ in range(requests):
        reset_queries()
        # The queries' own times (Django's debug cursor: the database's work and the round
        # trips) are the request's wait on PostgreSQL.
        with CaptureQueriesContext(connection) as timed_queries:
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            client.get(address)
            cpu.append((time.process_time() - cpu_start) * 1000)
            wall.append((time.perf_counter() - wall_start) * 1000)
        database.append(sum(float(q["time"]) for q in timed_queries.captured_queries) * 1000)
    sql = [query["sql"] for query in captured.captured_queries]
    return {
        "cpu_ms": statistics.median(cpu),
        "wall_ms": statistics.median(wall),
        "db_ms": statistics.median(database),
        "server_ms": sum(ms for ms, _ in _executed(sql)),
        "wall_max_ms": max(wall),
        "queries": len(captured.captured_queries),
        "sql": [query["sql"] for query in captured.captured_queries],
    }


def _executed(sql: list[str]) -> list[tuple[float, str]]:
    """Each SELECT's execution time in PostgreSQL itself (EXPLAIN ANALYZE: no round trip, no
    wait for this machine's busy cores), in ms."""
    from django.db import connection

    timed_plans = []
    with connection.cursor() as cursor:
        for statement in sql:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")
            (document,) = cursor.fetchone()
            plan = json.loads(document) if isinstance(document, str) else document
            timed_plans.append((plan[0]["Execution Time"], statement))
    return timed_plans


def slowest_queries(sql: list[str], keep: int) -> list[tuple[float, str, str]]:
    """The `keep` slowest SELECTs by their EXPLAIN ANALYZE execution time, with the plan text."""
    from django.db import connection

    timed_plans = sorted(_executed(list(dict.fromkeys(sql))), reverse=True)
    found = []
    with connection.cursor() as cursor:
        for ms, statement in timed_plans[:keep]:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
            found.append((ms, statement, "\n".join(row[0] for row in cursor.fetchall())))
    return found


def _columns(page: dict[str, Any]) -> str:
    return (
        f"{page['cpu_ms']:>15.1f}{page['db_ms']:>7.1f}{page['server_ms']:>7.1f}"
        f"{page['wall_ms']:>9.1f}{page['queries']:>8}"
    )


def print_pages(figures: dict[str, dict[str, dict[str, Any]]]) -> None:
    typical, biggest = figures["typical"], figures["biggest"]
    print(
        f"\n{'page':<22}{'typical CPU ms':>15}{'DB ms':>7}{'PG ms':>7}{'wall ms':>9}{'queries':>8}"
        f"{'biggest CPU ms':>16}{'DB ms':>7}{'PG ms':>7}{'wall ms':>9}{'queries':>8}{'CPU x':>7}"
    )
    # The biggest patient (the imported template) has no conversation: "one conversation" is
    # the typical patient's only.
    for page in typical | biggest:
        t, b = typical.get(page), biggest.get(page)
        left = _columns(t) if t else " " * 53
        right = _columns(b) if b else ""
        ratio = f"{b['cpu_ms'] / t['cpu_ms']:>7.2f}" if t and b else ""
        print(f"{page:<22}{left} {right}{ratio}")
    for name, pages in figures.items():
        cpu, db, wall = (
            sum(page[key] for page in pages.values()) / len(pages)
            for key in ("cpu_ms", "db_ms", "wall_ms")
        )
        server = sum(page["server_ms"] for page in pages.values()) / len(pages)
        print(
            f"mean over the {name} patient's {len(pages)} pages: CPU {cpu:.1f} ms, "
            f"DB {db:.1f} ms (PostgreSQL's own {server:.1f} ms), wall {wall:.1f} ms"
        )


def print_sizes(patients: int) -> None:
    """Bytes per resource row (table, TOAST and indexes) and per stored version, scaled up."""
    from django.db import connection

    def one(sql: str) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    resources = one("SELECT count(*) FROM records_clinicalresource")
    observations = one(
        "SELECT count(*) FROM records_clinicalresource WHERE resource_type = 'Observation'"
    )
    heap = one("SELECT pg_table_size('records_clinicalresource')")
    # The observations' share of the table's bytes, from their rows' stored sizes.
    heap_share = one(
        "SELECT sum(pg_column_size(r.*)) FILTER (WHERE resource_type = 'Observation')::float"
        " / sum(pg_column_size(r.*)) FROM records_clinicalresource r"
    )
    indexes = one("SELECT pg_indexes_size('records_clinicalresource')")
    versions = one("SELECT count(*) FROM records_resourceversion")
    version_bytes = one("SELECT pg_total_relation_size('records_resourceversion')")
    database = one("SELECT pg_database_size(current_database())")
    per_row = (heap + indexes) / resources
    per_version = version_bytes / versions
    others = database - heap - indexes - version_bytes
    print(
        f"\nrecords_clinicalresource: {resources:,} rows ({observations:,} observations), "
        f"table {heap / 2**30:.2f} GB + indexes {indexes / 2**30:.2f} GB = "
        f"{per_row:.0f} bytes a row ({(heap / resources):.0f} table, "
        f"{indexes / resources:.0f} indexes)"
    )
    print(
        f"records_resourceversion (imported rows only): {versions:,} rows, "
        f"{per_version:.0f} bytes a row"
    )
    print(f"everything else: {others / 2**30:.2f} GB, {others / patients:,.0f} bytes a patient")
    per_observation = (heap * float(heap_share) + indexes * observations / resources) / observations
    print(f"an observation row: {per_observation:.0f} bytes with its share of the indexes")
    share = observations / resources
    rows = HEALTH_SYSTEM_OBSERVATIONS / share
    total = rows * (per_row + per_version)
    print(
        f"A record of {HEALTH_SYSTEM_OBSERVATIONS:,} observations is about "
        f"{rows:,.0f} resource rows "
        f"(observations are {share:.0%} of them): observations "
        f"{HEALTH_SYSTEM_OBSERVATIONS * per_observation / 2**30:.0f} GB, all resources and indexes "
        f"{rows * per_row / 2**30:.0f} GB, their stored versions "
        f"{rows * per_version / 2**30:.0f} GB:"
        f" {total / 2**30:.0f} GB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--explain", type=int, default=6, help="slowest queries to print")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure a database an earlier run generated (same --patients and --seed)",
    )
    options = parser.parse_args()
    workdir = new_workdir()
    started = time.perf_counter()
    if options.measure_only:
        setup_django(options.database_url, workdir)
        made = existing(options.patients, options.seed)
    else:
        print(f"Preparing {options.database_url.rsplit('/', 1)[1]}: migrate, import the template")
        prepare_database(options.database_url, workdir)
        timed("migrated and imported", started)
        setup_django(options.database_url, workdir)
        made = generate(options.patients, options.seed)
    print(
        f"The typical patient has {made['typical_observations']} observations; the biggest 10,000."
    )
    figures: dict[str, dict[str, dict[str, Any]]] = {}
    for name in ("typical", "biggest"):
        pages = page_addresses(made[name], made["staffing"])
        figures[name] = {
            page: measure_page(user, address, options.requests)
            for page, (user, address) in pages.items()
        }
    print_pages(figures)
    for name, measured in figures.items():
        sql = [statement for page in measured.values() for statement in page["sql"]]
        print(f"\nThe {name} patient's slowest queries (EXPLAIN ANALYZE):")
        for ms, statement, plan in slowest_queries(sql, options.explain):
            print(f"\n-- {ms:.2f} ms: {statement[:600]}\n{plan}")
    print_sizes(options.patients + 1)
    print(
        f"\nDone in {(time.perf_counter() - started) / 60:.1f} minutes, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC."
    )


if __name__ == "__main__":
    main()
