"""Instructions per request, counted by callgrind: a page's cost that a busy machine cannot blur.

    .venv/bin/python bench/instructions.py WORKDIR/pages.json [--warmup 3] [--requests 5]
        [--repeat 1] [--jobs 2] [--only home --only results]

`bench/page_load.py` writes `pages.json` (the database and, per page, its path and the Cookie
header of a signed-in session) and runs this after its load runs (`--callgrind N`); run it by
hand against a kept work directory to measure again. For each page, two Python processes run
under `valgrind --tool=callgrind`, each setting Django up and then requesting the page through
Django's request handler (`django.test.Client`, with the session's cookie; no server): the
first W + N times, the second only the W warm-ups. The difference of callgrind's totals
("Collected"), divided by N, is the instructions one request costs once caches are warm: it
leaves out start-up and warm-up alike. Hash randomisation is off (`PYTHONHASHSEED=0`), so
both processes run the same code. Callgrind is about 50 times slower than Python alone, so N
is small; to save most of that, Django's start-up runs without instrumentation where a C
compiler can build the two-function library that switches it on (`callgrind.h`).

`--check` (no valgrind) requests each page once and stops unless it answers 200; for the bare
page it also stops unless the request ran exactly one query and set no cookie.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import PYTHON, REPO

BARE = "bare page"
VALGRIND = "/usr/bin/valgrind"
TOGGLE_SOURCE = """
#include <valgrind/callgrind.h>
void bench_instrument_on(void) { CALLGRIND_START_INSTRUMENTATION; }
void bench_instrument_off(void) { CALLGRIND_STOP_INSTRUMENTATION; }
"""
COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.MULTILINE)


def collected(valgrind_log: str) -> int:
    """The total of callgrind's events (instructions, `Ir`) from its log."""
    found = COLLECTED.findall(valgrind_log)
    if len(found) != 1:
        raise ValueError("no single 'Collected' line in callgrind's log")
    return int(found[0])


def per_request(with_measured: int, warmups_only: int, requests: int) -> float:
    """Instructions per request from the two processes' totals."""
    return (with_measured - warmups_only) / requests


def build_toggle(workdir: Path) -> Path | None:
    """Compile the library that switches instrumentation on and off; None without a compiler
    or valgrind's headers (then the processes are instrumented from their start: slower)."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    source, library = workdir / "callgrind_toggle.c", workdir / "callgrind_toggle.so"
    source.write_text(TOGGLE_SOURCE)
    built = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O1", "-o", str(library), str(source)],
        capture_output=True,
        check=False,
    )
    return library if built.returncode == 0 else None


def count_instructions(
    config: dict[str, Any], name: str, requests: int, toggle: Path | None, workdir: Path
) -> int:
    """One process under callgrind requesting page `name` `requests` times; its total."""
    log = Path(tempfile.mkstemp(prefix="callgrind-", suffix=".log", dir=workdir)[1])
    command = [
        VALGRIND,
        "--tool=callgrind",
        f"--log-file={log}",
        "--callgrind-out-file=/dev/null",
        *(["--instr-atstart=no"] if toggle else []),
        PYTHON,
        str(Path(__file__).resolve()),
        "--child",
        str(config["file"]),
        "--page",
        name,
        "--count",
        str(requests),
        *(["--toggle", str(toggle)] if toggle else []),
    ]
    env = os.environ | config["env"] | {"PYTHONHASHSEED": "0"}
    subprocess.run(command, env=env, cwd=REPO, check=True)
    total = collected(log.read_text())
    log.unlink()
    return total


def measure_page(
    config: dict[str, Any], name: str, options: argparse.Namespace, toggle: Path | None
) -> list[float]:
    """The page's instructions per request, once per repeat."""
    workdir = Path(config["file"]).parent
    runs = []
    for _ in range(options.repeat):
        warm = options.warmup
        try:
            both = count_instructions(config, name, warm + options.requests, toggle, workdir)
            warm_only = count_instructions(config, name, warm, toggle, workdir)
        except subprocess.CalledProcessError:
            # The page did not answer 200 (its process said why): leave it out, count the rest.
            print(f"{name}: not counted", file=sys.stderr)
            return [math.nan]
        runs.append(per_request(both, warm_only, options.requests))
    return runs


def measure(config_file: Path, options: argparse.Namespace) -> dict[str, list[float]]:
    """Every page's (or the `--only` pages') instructions per request, `--jobs` at a time."""
    config = json.loads(config_file.read_text()) | {"file": str(config_file)}
    names = options.only or list(config["pages"])
    toggle = build_toggle(config_file.parent)
    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        runs = pool.map(lambda name: measure_page(config, name, options, toggle), names)
        return dict(zip(names, runs, strict=True))


def _request_pages(config_file: Path, names: list[str], count: int, toggle: str) -> None:
    """In the process being counted: set Django up, then request each page `count` times."""
    config = json.loads(config_file.read_text())
    os.environ.update(config["env"])
    import ctypes

    import django

    django.setup()
    switch = ctypes.CDLL(toggle) if toggle else None
    clients = {name: _client(config["pages"][name]["cookie"]) for name in names}
    if switch:
        switch.bench_instrument_on()
    statuses = [
        clients[name].get(config["pages"][name]["path"]).status_code
        for name in names
        for _ in range(count)
    ]
    if switch:
        switch.bench_instrument_off()
    if set(statuses) - {200}:
        raise SystemExit(f"{', '.join(names)} answered {sorted(set(statuses))}")


def _client(cookie: str) -> Any:
    from django.test import Client

    client = Client()
    client.cookies.load(cookie)
    return client


def check(config_file: Path) -> None:
    """Each page answers 200; the bare page runs exactly one query and sets no cookie."""
    config = json.loads(config_file.read_text())
    os.environ.update(config["env"])
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, page in config["pages"].items():
        client = _client(page["cookie"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"])
        assert response.status_code == 200, f"{name} answered {response.status_code}"
        if name == BARE:
            assert len(queries) == 1, f"the bare page ran {len(queries)} queries"
            assert not response.cookies, "the bare page set a cookie"
    print(f"{len(config['pages'])} pages answer 200; the bare page ran 1 query, set no cookie")


def print_instructions(runs: dict[str, list[float]]) -> None:
    """Each page's median, its ratio to the bare page's, and the repeats' spread."""
    bare = statistics.median(runs[BARE]) if BARE in runs else float("nan")
    print(f"{'page':<30}{'Minstr/req':>11}{'vs bare':>9}{'spread':>8}")
    for name, values in runs.items():
        middle, low, high = statistics.median(values), min(values), max(values)
        spread = f"{(high - low) / middle:>7.1%}" if len(values) > 1 else "      -"
        print(f"{name:<30}{middle / 1e6:>11.2f}{middle / bare:>9.2f} {spread}")
    print("spread = (largest - smallest) / median of the --repeat runs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=Path)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--page", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--toggle", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _request_pages(args.config, [args.page], args.count, args.toggle)
    elif args.check:
        check(args.config)
    else:
        runs = measure(args.config, args)
        print(json.dumps(runs))
        print_instructions(runs)


if __name__ == "__main__":
    main()
