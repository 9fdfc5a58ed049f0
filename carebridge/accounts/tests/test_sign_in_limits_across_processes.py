"""The sign-in limit holds across processes: two app servers, one shared count.

Two gunicorn servers (separate processes, as two workers or two machines would be) share the
test database, and Redis in the second variant. Eight wrong passwords for one account from an
unknown browser are sent to both at once; exactly five are checked and three refused. With a
per-process memory cache each server would have let five through.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.db import connection

from carebridge.testing import factories

LIMIT = 5
EXTRA = 3
MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    """A URL the servers can open for the data this test committed."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        # The SQLite test database lives in memory: copy it to a file (online backup API).
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


def _wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped while starting"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/login/", timeout=10):
                return
        # Refused while the server binds its port (URLError and timeouts are OSErrors).
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def _start_servers(database_url: str, redis_url: str, count: int = 2) -> Iterator[list[int]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CAREBRIDGE_MODE": "development",
        "DJANGO_SETTINGS_MODULE": "carebridge.settings",
    }
    ports = [_free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [
                *(str(GUNICORN), "carebridge.wsgi:application", "--bind", f"127.0.0.1:{port}"),
                *("--workers", "1", "--log-level", "warning"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_until_serving(port, server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


def _csrf(port: int) -> tuple[str, str]:
    """A CSRF cookie and form token; both servers accept them (one secret key)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/login/") as response:
        cookie = response.headers["Set-Cookie"]
        page = response.read().decode()
    cookie_value = re.search(r"csrftoken=([^;]+)", cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert cookie_value is not None and token is not None
    return cookie_value.group(1), token.group(1)


def _try_password(port: int, email: str, csrf: tuple[str, str]) -> str:
    body = urllib.parse.urlencode(
        {"login": email, "password": "not the right password", "csrfmiddlewaretoken": csrf[1]}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/account/login/",
        data=body,
        headers={"Cookie": f"csrftoken={csrf[0]}"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 (a local test server)
        page = response.read().decode()
    if MISMATCH in page:
        return "checked"
    return "refused" if TOO_MANY in page else "other"


def _attack_both(ports: list[int], email: str) -> list[str]:
    """LIMIT + EXTRA wrong passwords, half to each server from its own thread, so they overlap."""
    csrf = _csrf(ports[0])
    total = LIMIT + EXTRA
    shares = [total // 2 + total % 2, total // 2]

    def run(port: int, share: int) -> list[str]:
        return [_try_password(port, email, csrf) for _ in range(share)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, ports, shares))
    return [outcome for outcomes in results for outcome in outcomes]


def _delete_redis_keys() -> None:
    client = redis.Redis.from_url(REDIS_TEST_URL)
    for pattern in ("ratelimit:sign-in-*", "*allauth:rl:*"):
        for key in client.scan_iter(pattern):
            client.delete(key)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("store", ["database", "redis"])
def test_two_servers_let_exactly_the_limit_through(store: str, tmp_path: Path) -> None:
    email = f"shared-limit-{store}@example.org"
    factories.make_user(email=email)
    redis_url = REDIS_TEST_URL if store == "redis" else ""
    if redis_url:
        _delete_redis_keys()
    try:
        for ports in _start_servers(_database_url(tmp_path), redis_url):
            outcomes = _attack_both(ports, email)
    finally:
        if redis_url:
            _delete_redis_keys()
    assert sorted(outcomes) == ["checked"] * LIMIT + ["refused"] * EXTRA
