"""The bench's measures (bench/cpu.py, bench/instructions.py, bench/report.py): reading the
workers' CPU time, callgrind's totals, and the table's ratios and goals."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench import report
from bench.cpu import TICKS_PER_SECOND, cpu_ms_per_request, cpu_ticks, parse_stat, worker_pids
from bench.instructions import collected, per_request

# proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
# utime stime ...; this command name holds a space and a parenthesis, as gunicorn's can.
STAT = "4242 (gunicorn: (worker) x) S 4200 4200 4200 0 -1 4194560 9 0 0 0 130 27 0 0 20 0 1"


def _proc(tmp_path: Path, processes: dict[int, tuple[int, int, int]]) -> Path:
    """A fake /proc: pid -> (parent, utime, stime)."""
    for pid, (parent, utime, stime) in processes.items():
        (tmp_path / str(pid)).mkdir()
        fields = f"{pid} (python3) S {parent} 1 1 0 -1 0 0 0 0 0 {utime} {stime} 0 0 20"
        (tmp_path / str(pid) / "stat").write_text(fields)
    (tmp_path / "self").mkdir()
    return tmp_path


def test_parse_stat_counts_fields_after_the_command_name() -> None:
    assert parse_stat(STAT) == (4200, 157)


def test_worker_pids_are_the_masters_children(tmp_path: Path) -> None:
    proc = _proc(tmp_path, {10: (1, 5, 5), 11: (10, 100, 20), 12: (10, 300, 40), 13: (11, 7, 7)})

    assert worker_pids(10, proc) == [11, 12]


def test_cpu_ticks_add_user_and_system_time_of_each_worker(tmp_path: Path) -> None:
    proc = _proc(tmp_path, {11: (10, 100, 20), 12: (10, 300, 40)})

    assert cpu_ticks([11, 12], proc) == 460


def test_cpu_ms_per_request() -> None:
    assert cpu_ms_per_request(TICKS_PER_SECOND * 3, 600) == 5.0
    assert math.isnan(cpu_ms_per_request(10, 0))


def test_collected_reads_callgrind_total() -> None:
    log = (
        "==77== Events    : Ir\n==77== Collected : 812345678\n==77==\n==77== I refs: 812,345,678\n"
    )

    assert collected(log) == 812_345_678


def test_collected_refuses_a_log_without_a_total() -> None:
    with pytest.raises(ValueError, match="Collected"):
        collected("==77== Events    : Ir\n")


def test_instructions_per_request_is_the_difference_over_the_measured_requests() -> None:
    assert per_request(1_000_000_000 + 5 * 80_000_000, 1_000_000_000, 5) == 80_000_000.0


def _row(cpu_ms: float, minstr: float | None = None, p99_ms: float = 50.0) -> report.Row:
    return report.Row(cpu_ms=cpu_ms, minstr=minstr, throughput=100.0, p50_ms=20.0, p99_ms=p99_ms)


def test_flat_ratio_prefers_instructions() -> None:
    assert report.flat_ratio(_row(6.0, 66.0), _row(5.0, 60.0)) == (pytest.approx(1.1), "i")
    assert report.flat_ratio(_row(6.0, 66.0), _row(5.0)) == (pytest.approx(1.2), "c")


def test_verdicts_mark_each_goal() -> None:
    assert report.verdicts("vitals", 2.5, 1.2, 100.0, 16, 2) == "cpu met, flat met, p99 met"
    assert report.verdicts("vitals", 2.6, 1.3, 101.0, 16, 2) == "cpu NOT, flat NOT, p99 NOT"
    assert report.verdicts("home", 1.0, 1.0, 500.0, 4, 2) == "cpu met, flat met, p99 n/a"
    assert report.verdicts("bills", 9.0, 9.0, 900.0, 16, 2) == "(no goal)"


def test_table_gives_ratios_to_the_bare_page() -> None:
    rows = {
        report.BARE: _row(4.0, 20.0),
        "home (big)": _row(10.0, 60.0, p99_ms=120.0),
        "home (small)": _row(9.0, 50.0),
    }

    lines = report.table(rows, ["home"], 16, 2)

    assert lines[1].split() == [
        *("bare", "page", "4.00", "1.00", "20.0", "1.00", "-", "100.0", "20.0", "50.0"),
    ]
    assert lines[2].split() == [
        *("home", "10.00", "2.50", "60.0", "3.00", "1.20i", "100.0", "20.0", "120.0"),
        *("cpu", "met,", "flat", "met,", "p99", "NOT"),
    ]


def test_rows_leave_out_pages_callgrind_did_not_count() -> None:
    load = {"cpu_ms": 8.0, "throughput": 90.0, "p50_ms": 30.0, "p99_ms": 70.0}
    loads = {report.BARE: load, "home (big)": load, "home (small)": load}

    rows = report.rows_from(loads, {report.BARE: 15_000_000.0, "home (big)": math.nan})

    assert [rows[name].minstr for name in loads] == [15.0, None, None]
    assert rows["home (small)"] == report.Row(8.0, None, 90.0, 30.0, 70.0)
