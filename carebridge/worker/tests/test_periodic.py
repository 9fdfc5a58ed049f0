"""Periodic functions on idle ticks: loaded tolerantly, run at most every N seconds, never fatal."""

from __future__ import annotations

import logging

import pytest

from carebridge.worker.periodic import PeriodicRunner, load_jobs

CALLS: list[str] = []


def record_call() -> None:
    CALLS.append("called")


def test_missing_or_uncallable_paths_are_skipped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        jobs = load_jobs(
            [
                "carebridge.notifications.services.no_such_function",
                "carebridge.no_such_app.services.deliver",
                "carebridge.worker.tests.test_periodic.CALLS",
                "carebridge.worker.tests.test_periodic.record_call",
            ]
        )
    assert jobs == [record_call]
    assert len(caplog.records) == 3


def test_jobs_run_at_most_every_n_seconds_and_a_failure_is_only_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]
    ran: list[float] = []

    def broken() -> None:
        raise RuntimeError("may quote data: never logged")

    runner = PeriodicRunner([broken, lambda: ran.append(now[0])], every=5, clock=lambda: now[0])
    with caplog.at_level(logging.ERROR):
        assert runner.run_if_due() is True
        now[0] = 104.9
        assert runner.run_if_due() is False
        now[0] = 105.0
        assert runner.run_if_due() is True
    assert ran == [100.0, 105.0]
    assert [r.getMessage() for r in caplog.records] == [
        "Periodic function test_jobs_run_at_most_every_n_seconds_and_a_failure_is_only_logged."
        "<locals>.broken failed: RuntimeError"
    ] * 2


def test_the_outbox_the_audit_sealer_and_plan_reminders_run_by_default(settings) -> None:
    from carebridge.audit.services import seal_pending_events
    from carebridge.billing.services.plans import send_plan_reminders
    from carebridge.notifications.services.delivery import deliver_due_notices

    assert settings.CAREBRIDGE_WORKER_PERIODIC == [
        "carebridge.notifications.services.delivery.deliver_due_notices",
        "carebridge.audit.services.seal_pending_events",
        "carebridge.billing.services.plans.send_plan_reminders",
    ]
    assert load_jobs(settings.CAREBRIDGE_WORKER_PERIODIC) == [
        deliver_due_notices,
        seal_pending_events,
        send_plan_reminders,
    ]
    assert PeriodicRunner(load_jobs([]), every=5).run_if_due() is False
