"""The load generator: run in its own process, it requests URLs from the server and times them.

    python bench/loadgen.py CONFIG.json

CONFIG holds the base URL, the cookie header to send (and, in `cookies`, another one for some
URLs by name: a second person's session), the concurrency, the duration per URL and the URLs by
name. For each URL in turn, `concurrency` threads request it back to back for
`duration` seconds; it prints JSON with, per name, requests, errors, throughput (requests/s)
and the 50th and 99th percentile and the longest latency in milliseconds. With `master_pid`
(the gunicorn master's), also `cpu_ms`: the workers' CPU time (user + system, from /proc)
used in that URL's window divided by the requests it served (see `bench/cpu.py`).
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cpu import cpu_ms_per_request, cpu_ticks, worker_pids


def one_request(host: str, port: int, path: str, cookie: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    started = time.perf_counter()
    # A "Bearer …" value is an API access token; anything else is the session's Cookie header.
    credential = "Authorization" if cookie.startswith("Bearer ") else "Cookie"
    connection.request("GET", path, headers={credential: cookie, "Host": host})
    response = connection.getresponse()
    response.read()
    connection.close()
    return time.perf_counter() - started, response.status


def hammer(config: dict, path: str, cookie: str) -> dict:
    parts = urlsplit(config["base_url"])
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + config["duration"]
    lock = threading.Lock()

    def worker() -> None:
        while time.perf_counter() < deadline:
            elapsed, status = one_request(host, port, path, cookie)
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors[0] += 1

    master = config.get("master_pid")
    workers = worker_pids(master) if master else []
    ticks = cpu_ticks(workers)
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(config["concurrency"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ticks = cpu_ticks(workers) - ticks
    # A worker restarted in the window would take its CPU time with it: measure again then.
    assert not master or worker_pids(master) == workers, "a gunicorn worker restarted"
    latencies.sort()
    count = len(latencies)
    return {
        "requests": count,
        "errors": errors[0],
        "throughput": count / wall,
        "p50_ms": 1000 * latencies[count // 2],
        "p99_ms": 1000 * latencies[min(count - 1, int(count * 0.99))],
        "max_ms": 1000 * latencies[-1],
        "cpu_ms": cpu_ms_per_request(ticks, count) if master else None,
    }


def main() -> None:
    with open(sys.argv[1]) as handle:
        config = json.load(handle)
    other = config.get("cookies", {})
    cookies = {name: other.get(name, config["cookie"]) for name in config["urls"]}
    # A short warm-up so every worker has loaded its code and templates.
    for name, path in config["urls"].items():
        hammer(config | {"duration": 1.0}, path, cookies[name])
    results = {name: hammer(config, path, cookies[name]) for name, path in config["urls"].items()}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
