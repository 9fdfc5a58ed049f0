"""Import speed, in resources per second, on a fresh SQLite database.

    .venv/bin/python bench/import_speed.py

Measures (1) the 41 Synthea bundles in ../shared/data/synthea-r4 (with their hospital and
practitioner bundles), then (2) one generated patient with 10,000 observations, each through
the real `carebridge import-fhir` command in its own process. The time is the command's own
wall-clock time from start to exit, Django's start-up included, so the figure is what an
operator sees. The goal (issue 3) is at least 2,500 resources/s on SQLite on a 2-core machine.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import SHARED_DATA, bench_environment, manage, new_workdir

SETUP_CLINIC = """
from carebridge.clinic.models import Clinic
Clinic.objects.get_or_create(slug="bench", defaults={"name": "Bench Clinic"})
"""
WRITE_LARGE_RECORD = """
import datetime, json, sys
from carebridge.clinic.models import Clinic
from carebridge.demo.clinical import generate_large_record
from carebridge.records.identifiers import mrn_system
bundle = generate_large_record(
    mrn_system=mrn_system(Clinic.objects.get(slug="bench")), today=datetime.date.today()
)
with open(sys.argv[-1], "w") as out:
    json.dump(bundle, out)
"""


def timed_import(env: dict[str, str], *paths: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    output = manage(env, "import-fhir", *map(str, paths), "--json", "--no-progress")
    elapsed = time.perf_counter() - started
    return elapsed, json.loads(output)


def report(label: str, elapsed: float, summary: dict) -> float:
    total = sum(summary["resources"].values())
    rate = total / elapsed
    print(f"{label}: {total} resources in {elapsed:.2f} s = {rate:,.0f} resources/s")
    print(f"  created {summary['created']}, errors {len(summary['errors'])}")
    return rate


def main() -> None:
    workdir = new_workdir()
    env = bench_environment(workdir)
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-v", "0", "-c", SETUP_CLINIC)
    synthea = SHARED_DATA / "synthea-r4"
    if synthea.is_dir():
        elapsed, summary = timed_import(env, synthea)
        report("Synthea (41 patients)", elapsed, summary)
        elapsed, summary = timed_import(env, synthea)
        report("Synthea again (all unchanged)", elapsed, summary)
    else:
        print(f"skipped Synthea: {synthea} is absent")
    large = workdir / "large-record.json"
    manage(
        env, "shell", "-v", "0", "-c", WRITE_LARGE_RECORD.replace("sys.argv[-1]", repr(str(large)))
    )
    elapsed, summary = timed_import(env, large)
    report("Generated patient (10,000 observations)", elapsed, summary)
    print(f"(work directory: {workdir})")


if __name__ == "__main__":
    main()
