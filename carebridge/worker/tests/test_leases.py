"""Heartbeat leases: who is alive, and what happens to the tasks of a worker gone silent."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from carebridge.worker import leases
from carebridge.worker.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
STALE = NOW - datetime.timedelta(seconds=121)


def task(*worker_ids: str, status: str = TaskResultStatus.RUNNING) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": ["job"], "kwargs": {}},
        task_path="carebridge.records.tasks.run_import",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=list(worker_ids),
        started_at=NOW - datetime.timedelta(minutes=5),
    )


def worker(worker_id: str, last_seen: datetime.datetime, **fields: object) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, host="host", pid=1, last_seen=last_seen, **fields
    )


def test_live_workers_are_those_heard_from_within_the_lease_and_not_stopped(settings):
    settings.CAREBRIDGE_TASK_LEASE_SECONDS = 120
    worker("fresh", NOW - datetime.timedelta(seconds=119))
    worker("silent", STALE)
    worker("stopped", NOW, stopped_at=NOW)
    assert leases.live_worker_ids(NOW) == {"fresh"}


def test_a_silent_workers_task_is_ready_again_with_its_attempts_kept(settings):
    settings.CAREBRIDGE_TASK_LEASE_SECONDS = 120
    worker("alive", NOW)
    worker("silent", STALE)
    lost, kept = task("silent"), task("alive")
    done = leases.reclaim_lost_tasks(backend_name="default", now=NOW)
    lost.refresh_from_db()
    kept.refresh_from_db()
    assert (done.requeued, done.failed) == ([str(lost.pk)], [])
    assert (lost.status, lost.worker_ids) == (TaskResultStatus.READY, ["silent"])
    assert kept.status == TaskResultStatus.RUNNING
    assert leases.reclaim_lost_tasks(backend_name="default", now=NOW).requeued == []


def test_a_task_lost_too_often_is_failed(settings):
    settings.CAREBRIDGE_TASK_MAX_ATTEMPTS = 3
    worker("silent", STALE)
    lost = task("a", "b", "silent")
    done = leases.reclaim_lost_tasks(backend_name="default", now=NOW)
    lost.refresh_from_db()
    assert done.failed == [str(lost.pk)]
    assert (lost.status, lost.exception_class_path, lost.finished_at) == (
        TaskResultStatus.FAILED,
        "carebridge.worker.leases.WorkerLost",
        NOW,
    )
    assert lost.traceback == "The task's worker stopped answering during each of 3 attempts."


def test_tasks_of_workers_without_a_lease_or_of_another_backend_are_left_alone():
    worker("silent", STALE)
    plain = task("db-worker-without-lease")
    other = task("silent")
    DBTaskResult.objects.filter(pk=other.pk).update(backend_name="other")
    assert leases.reclaim_lost_tasks(backend_name="default", now=NOW).requeued == []
    assert set(DBTaskResult.objects.values_list("pk", "status")) == {
        (plain.pk, "RUNNING"),
        (other.pk, "RUNNING"),
    }


def test_registering_beating_and_retiring():
    row = leases.register_worker(worker_id="w1")
    assert (row.stopped_at, row.pid > 0) == (None, True)
    WorkerHeartbeat.objects.filter(pk="w1").update(last_seen=STALE)
    leases.beat(worker_id="w1")
    assert WorkerHeartbeat.objects.get(pk="w1").last_seen > STALE
    leases.retire_worker(worker_id="w1")
    assert WorkerHeartbeat.objects.get(pk="w1").stopped_at is not None
    assert leases.live_worker_ids() == set()


def test_rows_of_workers_gone_a_week_are_forgotten():
    worker("old", timezone.now() - datetime.timedelta(days=8))
    worker("recent", timezone.now() - datetime.timedelta(days=6))
    assert leases.forget_old_workers() == 1
    assert list(WorkerHeartbeat.objects.values_list("pk", flat=True)) == ["recent"]


def test_the_heartbeat_is_at_least_three_times_a_lease(settings):
    settings.CAREBRIDGE_TASK_LEASE_SECONDS = 6
    settings.CAREBRIDGE_WORKER_HEARTBEAT_SECONDS = 10
    assert leases.heartbeat_interval() == 2.0


def test_the_heartbeat_thread_beats_while_the_body_runs(monkeypatch):
    beats: list[str] = []
    monkeypatch.setattr(leases, "beat", lambda *, worker_id: beats.append(worker_id))
    with leases.beating(worker_id="w1", every=0.01):
        deadline = timezone.now() + datetime.timedelta(seconds=5)
        while len(beats) < 3 and timezone.now() < deadline:
            pass
    count = len(beats)
    assert count >= 3 and set(beats) == {"w1"}
    # Stopped with the body: no beat after it.
    time.sleep(0.05)
    assert len(beats) == count
