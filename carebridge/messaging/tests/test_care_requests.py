"""Refill, referral and records requests: what each needs, who may ask, who may answer, one
answer only, and an e-mail that says only that there is an answer."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.messaging.care_requests import answer_request, start_review, submit_request
from carebridge.messaging.models import CareRequest, CareRequestStatus, RequestKind

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
REFILL = {"medicines": [" Metformin 500 mg ", ""], "pharmacy": "Main Street Pharmacy", "note": ""}


def ask(cast, kind=RequestKind.REFILL, details=None, **changes):
    arguments = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "patient": cast.patient,
        "kind": kind,
        "details": REFILL if details is None else details,
    }
    return submit_request(**(arguments | changes))


def test_a_refill_is_stored_trimmed_and_audited(cast):
    asked = ask(cast)
    assert (asked.kind, asked.status, asked.details, asked.created_as) == (
        "refill",
        "submitted",
        {"medicines": ["Metformin 500 mg"], "pharmacy": "Main Street Pharmacy", "note": ""},
        "self",
    )
    events = AuditEvent.objects.filter(object_type="care_request")
    assert [(e.actor, e.action, e.object_id) for e in events] == [
        (cast.patient_user, "create", str(asked.pk))
    ]


@pytest.mark.parametrize(
    ("kind", "details", "message"),
    [
        ("refill", {"medicines": [], "pharmacy": "X"}, "Choose at least one medicine to refill."),
        (
            "refill",
            {"medicines": ["Metformin"], "pharmacy": " "},
            "Say which pharmacy should get it.",
        ),
        ("referral", {"reason": "Knee"}, "Say what kind of specialist you need."),
        ("records", {"send_to": "Dr Lee"}, "Say which records you need."),
        ("lunch", {}, "Choose what you are asking for."),
    ],
)
def test_what_each_kind_needs(cast, kind, details, message):
    with pytest.raises(ValidationError) as refused:
        ask(cast, kind, details)
    assert refused.value.messages == [message]
    assert CareRequest.objects.count() == 0


def test_a_caregiver_asks_only_with_the_messaging_scope(cast):
    asked = ask(cast, actor=cast.proxies.full_caregiver, acting_as="proxy")
    assert (asked.created_by, asked.created_as) == (cast.proxies.full_caregiver, "proxy")
    with pytest.raises(PermissionDenied):
        ask(cast, actor=cast.proxies.appointments_caregiver, acting_as="proxy")
    with pytest.raises(PermissionDenied):
        ask(cast, actor=cast.second_patient_user)
    assert CareRequest.objects.count() == 1


def test_a_nurse_looks_then_approves_and_pat_is_told_only_that(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.CAREBRIDGE_BASE_URL = "https://portal.example.org"
    asked = ask(cast)
    assert start_review(actor=cast.nurse, care_request=asked).status == "in_review"
    with django_capture_on_commit_callbacks(execute=True):
        answered = answer_request(
            actor=cast.nurse, care_request=asked, approve=True, note="Sent to the pharmacy", now=NOW
        )
    assert (answered.status, answered.decided_by, answered.decided_at, answered.decision_note) == (
        CareRequestStatus.APPROVED,
        cast.nurse,
        NOW,
        "Sent to the pharmacy",
    )
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        (
            "[Carebridge] There is an answer to your request",
            [cast.patient_user.email],
            "The clinic has answered a request you sent.\n\nSign in to read it:\n\n"
            "https://portal.example.org/account/login/\n",
        )
    ]


def test_declining_needs_a_note_and_an_answer_is_given_once(cast):
    asked = ask(cast)
    with pytest.raises(ValidationError) as no_note:
        answer_request(actor=cast.clinician, care_request=asked, approve=False, note=" ", now=NOW)
    assert no_note.value.messages == [
        "Say why the request is not approved: the patient reads this."
    ]
    answer_request(
        actor=cast.clinician, care_request=asked, approve=False, note="Book a visit first", now=NOW
    )
    with pytest.raises(ValidationError) as again:
        answer_request(actor=cast.nurse, care_request=asked, approve=True, note="", now=NOW)
    assert again.value.messages == ["This request has already been answered."]
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("denied", cast.clinician)


def test_who_may_answer_each_kind(cast):
    refill = ask(cast)
    records = ask(cast, RequestKind.RECORDS, {"records": "My X-rays", "send_to": "Dr Lee"})
    for outsider in (cast.front_desk, cast.billing, cast.other_clinic_admin, cast.patient_user):
        with pytest.raises(PermissionDenied):
            answer_request(actor=outsider, care_request=refill, approve=True, note="", now=NOW)
    answered = answer_request(
        actor=cast.front_desk, care_request=records, approve=True, note="", now=NOW
    )
    assert answered.status == "approved"
    with pytest.raises(PermissionDenied):
        start_review(actor=cast.billing, care_request=records)
