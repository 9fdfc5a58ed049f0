"""The bench's table: every page's cost as ratios to the bare page, and the issue's goals.

Goals (issue 19), for the pages people use daily (`GOAL_PAGES`): at most 2.5 times the bare
page's CPU per request, at most 1.2 times the cost for the big patient (10,000 observations) as
for the small one (10), and a p99 of at most 100 ms at 16 connections on two gunicorn workers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

BARE = "bare page"
CPU_GOAL = 2.5
FLAT_GOAL = 1.2
P99_GOAL_MS = 100.0
P99_CONNECTIONS, P99_WORKERS = 16, 2
GOAL_PAGES = (
    "home",
    "record summary",
    "results",
    "result with chart",
    "trend",
    "vitals",
    "medications",
    "appointments",
    "booking times",
    "messages",
    "conversation (100)",
    "staff inbox",
    "staff schedule",
)


def key(page: str, size: str) -> str:
    """The name a page is loaded under for one patient (`big` or `small`)."""
    return f"{page} ({size})"


@dataclass(frozen=True)
class Row:
    """One page's figures for one patient; `minstr` is None when callgrind did not run."""

    cpu_ms: float
    minstr: float | None
    throughput: float
    p50_ms: float
    p99_ms: float


def rows_from(loads: dict[str, dict], instructions: dict[str, float]) -> dict[str, Row]:
    """Rows by load name, from loadgen's results and instructions per request by name."""
    return {
        name: Row(
            cpu_ms=load["cpu_ms"],
            minstr=_millions(instructions.get(name, math.nan)),
            throughput=load["throughput"],
            p50_ms=load["p50_ms"],
            p99_ms=load["p99_ms"],
        )
        for name, load in loads.items()
    }


def _millions(count: float) -> float | None:
    """Millions of instructions, or None for a page not counted (absent or failed: NaN)."""
    return None if math.isnan(count) else count / 1e6


def flat_ratio(big: Row, small: Row) -> tuple[float, str]:
    """Big over small: from instructions when both were counted (steadier), else from CPU."""
    if big.minstr is not None and small.minstr is not None:
        return big.minstr / small.minstr, "i"
    return big.cpu_ms / small.cpu_ms, "c"


def verdicts(
    page: str, cpu_ratio: float, flat: float, p99_ms: float, connections: int, workers: int
) -> str:
    """Each goal met or not for a daily page; the p99 goal only at 16 connections, 2 workers."""
    if page not in GOAL_PAGES:
        return "(no goal)"
    marks = [
        f"cpu {'met' if cpu_ratio <= CPU_GOAL else 'NOT'}",
        f"flat {'met' if flat <= FLAT_GOAL else 'NOT'}",
    ]
    if (connections, workers) == (P99_CONNECTIONS, P99_WORKERS):
        marks.append(f"p99 {'met' if p99_ms <= P99_GOAL_MS else 'NOT'}")
    else:
        marks.append("p99 n/a")
    return ", ".join(marks)


def _number(value: float | None, width: int, digits: int) -> str:
    if value is None or math.isnan(value):
        return f"{'-':>{width}}"
    return f"{value:>{width}.{digits}f}"


def table(rows: dict[str, Row], pages: Iterable[str], connections: int, workers: int) -> list[str]:
    """The table's lines: the bare page, then each page for the big patient."""
    bare = rows[BARE]
    header = (
        f"{'page':<20}{'CPU ms':>8}{'CPU x':>7}{'Minstr':>8}{'instr x':>8}{'big/small':>11}"
        f"{'req/s':>8}{'p50':>7}{'p99':>7}  goals"
    )
    lines = [header, _line(BARE, bare, bare, "", "")]
    for page in pages:
        big, small = rows[key(page, "big")], rows[key(page, "small")]
        flat, source = flat_ratio(big, small)
        goals = verdicts(page, big.cpu_ms / bare.cpu_ms, flat, big.p99_ms, connections, workers)
        lines.append(_line(page, big, bare, f"{flat:>10.2f}{source}", goals))
    return lines


def _line(name: str, row: Row, bare: Row, flat: str, goals: str) -> str:
    instr_ratio = (
        row.minstr / bare.minstr if row.minstr is not None and bare.minstr is not None else None
    )
    return (
        f"{name:<20}{_number(row.cpu_ms, 8, 2)}{_number(row.cpu_ms / bare.cpu_ms, 7, 2)}"
        f"{_number(row.minstr, 8, 1)}{_number(instr_ratio, 8, 2)}{flat or '-':>11}"
        f"{_number(row.throughput, 8, 1)}{_number(row.p50_ms, 7, 1)}{_number(row.p99_ms, 7, 1)}"
        f"  {goals}"
    )


def small_table(rows: dict[str, Row], pages: Iterable[str]) -> list[str]:
    """The same pages for the small patient (10 observations), against the same bare page."""
    bare = rows[BARE]
    lines = [f"{'page (small)':<20}{'CPU ms':>8}{'CPU x':>7}{'Minstr':>8}{'instr x':>8}"]
    for page in pages:
        row = rows[key(page, "small")]
        lines.append(_line(page, row, bare, "", "").rstrip()[: 20 + 8 + 7 + 8 + 8])
    return lines


LEGEND = (
    "CPU ms = the gunicorn workers' CPU time (user + system) per request in the page's window; "
    "CPU x = that over the bare page's; Minstr = millions of instructions per request "
    "(callgrind; '-' without --callgrind); instr x = that over the bare page's; big/small = the "
    "big patient's cost over the small one's, from instructions (i) or CPU (c); req/s, p50 and "
    "p99 (ms) under load. Goals for daily pages: CPU x <= 2.5, big/small <= 1.2, p99 <= 100 ms "
    "at 16 connections on 2 workers (n/a at other settings)."
)
