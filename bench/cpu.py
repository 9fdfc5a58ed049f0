"""CPU time of gunicorn's workers, read from /proc: what a page costs, whatever else runs.

Each worker is a child process of the gunicorn master. `/proc/<pid>/stat` holds the time the
process has spent on a core, in user mode (`utime`) and in the kernel (`stime`), counted in
clock ticks (`os.sysconf("SC_CLK_TCK")`, usually 100 a second): the sum before and after a
page's load window, divided by the requests the window served, is that page's CPU per request.
Unlike requests per second, it does not drop when another program shares the cores.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def parse_stat(text: str) -> tuple[int, int]:
    """The parent's pid and the CPU ticks (utime + stime) in the text of a /proc/<pid>/stat.

    The command name (field 2) is in parentheses and may itself hold spaces or parentheses, so
    the fields are counted from the last ")": then the state is first, the parent's pid second,
    utime the 12th and stime the 13th (fields 14 and 15 of proc(5)).
    """
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def worker_pids(master: int, proc: Path = PROC) -> list[int]:
    """The pids of the master's child processes (gunicorn's workers), in order."""
    children = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent, _ = parse_stat((entry / "stat").read_text())
        except (FileNotFoundError, ProcessLookupError):
            # The process ended while the directory was read.
            continue
        if parent == master:
            children.append(int(entry.name))
    return sorted(children)


def cpu_ticks(pids: list[int], proc: Path = PROC) -> int:
    """The CPU time (user + system) the processes have used so far, in clock ticks."""
    return sum(parse_stat((proc / str(pid) / "stat").read_text())[1] for pid in pids)


def cpu_ms_per_request(ticks: int, requests: int) -> float:
    """Milliseconds of CPU per request from the ticks a window used and the requests it served."""
    return 1000.0 * ticks / TICKS_PER_SECOND / requests if requests else float("nan")
