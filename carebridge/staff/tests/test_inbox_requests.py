"""The console's queues of requests from the record: which roles see which kind, and starting
a review, approving and declining through the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.messaging.care_requests import submit_request
from carebridge.messaging.models import CareRequest, CareRequestStatus, RequestKind
from carebridge.staff.tests.inbox_setup import NOW, frozen_clock, private_folder  # noqa: F401
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

DETAILS = {
    RequestKind.REFILL: {"medicines": ["Metformin 500 mg"], "pharmacy": "Main Street Pharmacy"},
    RequestKind.REFERRAL: {"specialty": "Cardiology", "reason": "Chest pain on stairs"},
    RequestKind.RECORDS: {"records": "My 2025 blood tests", "send_to": "Dr Lee, Leeds"},
}


def ask(cast: Cast, kind: str = RequestKind.REFILL, **changes: object) -> CareRequest:
    arguments: dict[str, object] = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "patient": cast.patient,
        "kind": kind,
        "details": DETAILS[kind],
    }
    return submit_request(**(arguments | changes))  # type: ignore[arg-type]


def queue(kind: str) -> str:
    return reverse("staff:inbox-requests") + f"?kind={kind}"


def page_of(asked: CareRequest) -> str:
    return reverse("staff:inbox-request", args=[asked.pk])


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("refill", {"clinician", "nurse"}),
        ("referral", {"clinician", "nurse"}),
        ("records", {"clinician", "nurse", "front_desk", "clinic_admin"}),
    ],
)
def test_each_kind_is_for_the_roles_that_answer_it(cast, kind, allowed):
    asked = ask(cast, kind)
    for role in ("clinician", "nurse", "front_desk", "billing", "clinic_admin"):
        client = client_for(getattr(cast, role))
        expected = 200 if role in allowed else 404
        assert (role, client.get(queue(kind)).status_code) == (role, expected)
        assert (role, client.get(page_of(asked)).status_code) == (role, expected)


def test_the_queue_lists_open_requests_oldest_first_of_our_clinic_only(cast):
    second = ask(cast, actor=cast.proxies.full_caregiver, acting_as="proxy")
    first = ask(cast)
    CareRequest.objects.filter(pk=first.pk).update(created_at=NOW - datetime.timedelta(days=1))
    answered = ask(cast)
    CareRequest.objects.filter(pk=answered.pk).update(
        status=CareRequestStatus.APPROVED, decided_by=cast.nurse, decided_at=NOW
    )
    ask(cast, RequestKind.RECORDS)
    page = client_for(cast.nurse).get(queue("refill"))
    assert list(page.context["page"].object_list) == [first, second]
    other = client_for(cast.other_clinic_admin)
    assert list(other.get(queue("records")).context["page"].object_list) == []
    assert other.get(page_of(first)).status_code == 404


def test_the_queue_runs_the_same_queries_for_few_or_many(
    cast, django_assert_num_queries, django_assert_max_num_queries
):
    ask(cast)
    client = client_for(cast.nurse)
    client.get(queue("refill"))
    with django_assert_max_num_queries(40) as few:
        client.get(queue("refill"))
    for _ in range(10):
        ask(cast, actor=cast.proxies.full_caregiver, acting_as="proxy")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(queue("refill"))


def test_the_request_page_shows_what_was_asked_and_by_whom_and_is_audited(cast):
    asked = ask(cast, RequestKind.REFERRAL, actor=cast.proxies.full_caregiver, acting_as="proxy")
    page = client_for(cast.nurse).get(page_of(asked))
    text = page.content.decode()
    caregiver = cast.proxies.full_caregiver.display_name
    assert f"{caregiver} on behalf of {cast.patient.display_name}" in text
    assert "Cardiology" in text and "Chest pain on stairs" in text
    event = AuditEvent.objects.filter(object_type="care_request", action="view").get()
    assert (event.actor, event.object_id, event.acting_as) == (cast.nurse, str(asked.pk), "staff")


def test_start_review_then_approve_through_the_page(cast, django_capture_on_commit_callbacks):
    asked = ask(cast)
    client = client_for(cast.nurse)
    response = client.post(page_of(asked), {"action": "review"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == CareRequestStatus.IN_REVIEW
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_of(asked), {"action": "approve", "note": "Sent today."})
    assert flashed(response)[-1] == "The answer has been sent."
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by, asked.decided_at, asked.decision_note) == (
        CareRequestStatus.APPROVED,
        cast.nurse,
        NOW,
        "Sent today.",
    )
    assert [m.to for m in mail.outbox] == [[cast.patient_user.email]]
    assert not mentions(mail.outbox[0].body, "Metformin")


def test_declining_needs_a_note(cast):
    asked = ask(cast)
    client = client_for(cast.clinician)
    refused = client.post(page_of(asked), {"action": "decline", "note": "  "})
    assert refused.status_code == 400
    assert "Say why the request is not approved" in refused.content.decode()
    asked.refresh_from_db()
    assert asked.status == CareRequestStatus.SUBMITTED
    client.post(page_of(asked), {"action": "decline", "note": "Please book a visit first."})
    asked.refresh_from_db()
    assert (asked.status, asked.decision_note) == (
        CareRequestStatus.DENIED,
        "Please book a visit first.",
    )
    again = client.post(page_of(asked), {"action": "approve", "note": ""})
    assert "already been answered" in again.content.decode()


def test_patients_and_caregivers_get_404(cast):
    asked = ask(cast)
    for client in (
        client_for(cast.patient_user),
        client_for(cast.proxies.full_caregiver, acting_for=cast.patient),
    ):
        assert client.get(queue("refill")).status_code == 404
        assert client.get(page_of(asked)).status_code == 404
        assert client.post(page_of(asked), {"action": "approve"}).status_code == 404
    asked.refresh_from_db()
    assert asked.status == CareRequestStatus.SUBMITTED
