"""The demo's care teams, and the first patient's answered conversation and refill request.

The demo runs on a fixed day (Wednesday 4 March 2026 in New York), so the conversation's times
are exact, and without the generated health records, which these tests do not need.
"""

import datetime

import pytest
import time_machine
from django.core import mail

from carebridge.audit.models import AuditEvent
from carebridge.demo.clinical import generate_record_bundle
from carebridge.demo.generator import generate_patients
from carebridge.demo.messaging import REFILL
from carebridge.demo.services import load_demo_clinic, practitioner_refs
from carebridge.messaging.models import CareRequest, CareTeam, Message, Thread, ThreadRead
from carebridge.patients.models import Patient

pytestmark = pytest.mark.django_db

PASSWORD = "carebridge-demo-2026"
NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 4)
# Monday 2 March 2026, 8:40 and 13:15 in New York (UTC-5).
ASKED_AT = datetime.datetime(2026, 3, 2, 13, 40, tzinfo=datetime.UTC)
ANSWERED_AT = datetime.datetime(2026, 3, 2, 18, 15, tzinfo=datetime.UTC)
CLINICIAN = "clinician@demo.carebridge.test"
NURSE = "nurse@demo.carebridge.test"
FIRST_PATIENT = "victor.quinlan@demo.carebridge.test"

EXPECTED_TEAMS = {
    "Family medicine": {
        "topics": ["result", "medicines", "other"],
        "practitioners": ["Maya Chen, MD", "Samuel Ortega, MD"],
        "members": [CLINICIAN, NURSE],
    },
    "Front desk and billing": {
        "topics": ["appointments", "billing", "forms"],
        "practitioners": [],
        "members": [
            "billing@demo.carebridge.test",
            "clinic-admin@demo.carebridge.test",
            "front-desk@demo.carebridge.test",
        ],
    },
    "Internal medicine": {
        "topics": ["result", "medicines", "other"],
        "practitioners": ["Daniel Okafor, DO"],
        "members": [CLINICIAN, NURSE],
    },
    "Pediatrics": {
        "topics": ["result", "medicines", "other"],
        "practitioners": ["Rebecca Lindgren, NP"],
        "members": [NURSE],
    },
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _load():
    return load_demo_clinic(PASSWORD, with_records=False)


def _teams():
    return {
        team.name: {
            "topics": team.topics,
            "practitioners": sorted(str(p) for p in team.practitioners.all()),
            "members": sorted(m.user.email for m in team.members.select_related("user")),
        }
        for team in CareTeam.objects.all()
    }


def _counts():
    return {
        "teams": CareTeam.objects.count(),
        "team_practitioners": CareTeam.practitioners.through.objects.count(),
        "team_members": CareTeam.members.through.objects.count(),
        "threads": Thread.objects.count(),
        "messages": Message.objects.count(),
        "read_marks": ThreadRead.objects.count(),
        "care_requests": CareRequest.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


def test_exact_care_teams():
    _load()
    assert _teams() == EXPECTED_TEAMS
    for team in CareTeam.objects.all():
        assert team.is_active is True
        assert team.clinic.slug == "riverside"
        assert team.description.endswith(".")
        assert "\n" not in team.description


def test_the_first_enrolled_patient_asked_and_the_clinician_answered():
    sign_ins = _load()
    first_patient = next(s for s in sign_ins if s.role == "patient")
    assert first_patient.email == FIRST_PATIENT
    (thread,) = Thread.objects.select_related("patient__user", "team", "assigned_to")
    assert thread.patient.user.email == FIRST_PATIENT
    assert (thread.team.name, str(thread.practitioner), thread.topic) == (
        "Family medicine",
        "Maya Chen, MD",
        "medicines",
    )
    assert thread.subject == "When should I use my inhaler?"
    assert (thread.status, thread.assigned_to.email) == ("in_progress", CLINICIAN)
    assert (thread.created_as, thread.last_message_at) == ("self", ANSWERED_AT)
    messages = [
        (m.author.email, m.author_as, m.sent_at, m.is_internal, m.attachments.count())
        for m in thread.messages.order_by("sent_at")
    ]
    assert messages == [
        (FIRST_PATIENT, "self", ASKED_AT, False, 0),
        (CLINICIAN, "staff", ANSWERED_AT, False, 0),
    ]
    question, answer = thread.messages.order_by("sent_at")
    assert question.body.startswith("Hello Dr. Chen,\n\nShould I use my fluticasone inhaler")
    assert question.body.endswith("Thank you,\nVictor")
    assert answer.body.startswith("Hi Victor,\n\nUse the fluticasone inhaler every day")


def test_read_marks_leave_the_answer_unread_for_the_patient_only():
    _load()
    thread = Thread.objects.get()
    marks = dict(ThreadRead.objects.values_list("user__email", "read_at"))
    assert marks == {FIRST_PATIENT: ASKED_AT, CLINICIAN: ANSWERED_AT}
    assert marks[FIRST_PATIENT] < thread.last_message_at


def test_one_submitted_refill_request_from_the_first_patient():
    _load()
    (refill,) = CareRequest.objects.select_related("patient__user", "created_by")
    assert (refill.kind, refill.status, refill.created_as) == ("refill", "submitted", "self")
    assert refill.patient.user.email == FIRST_PATIENT
    assert refill.created_by.email == FIRST_PATIENT
    assert refill.details == {
        "medicines": ["Fluticasone inhaler (44 mcg per puff)"],
        "pharmacy": "Riverside Community Pharmacy, 12 Canal Street, Riverside",
        "note": "I have about a week left.",
    }
    assert (refill.decided_by, refill.decided_at) == (None, None)


def test_written_through_the_services_so_audited():
    _load()
    patient = Patient.objects.get(user__email=FIRST_PATIENT)
    events = AuditEvent.objects.order_by("sequence")
    assert [
        (e.action, e.object_type, e.acting_as, e.actor.email, e.patient_id) for e in events
    ] == [
        ("create", "message_thread", "self", FIRST_PATIENT, patient.pk),
        ("update", "message_thread", "staff", CLINICIAN, patient.pk),
        ("update", "message_thread", "staff", CLINICIAN, patient.pk),
        ("create", "care_request", "self", FIRST_PATIENT, patient.pk),
    ]


def test_running_twice_creates_nothing_new():
    _load()
    first = _counts()
    assert first == {
        "teams": 4,
        "team_practitioners": 4,
        "team_members": 8,
        "threads": 1,
        "messages": 2,
        "read_marks": 2,
        "care_requests": 1,
        "audit_events": 4,
    }
    pks = set(Message.objects.values_list("pk", flat=True))
    _load()
    assert _counts() == first
    assert set(Message.objects.values_list("pk", flat=True)) == pks


def test_a_rerun_puts_a_changed_team_back():
    _load()
    team = CareTeam.objects.get(name="Pediatrics")
    team.members.clear()
    team.practitioners.clear()
    CareTeam.objects.filter(pk=team.pk).update(description="", topics=[], is_active=False)
    _load()
    team.refresh_from_db()
    assert team.is_active is True
    assert team.description.startswith("Questions about a child's")
    assert _teams() == EXPECTED_TEAMS


def test_a_patient_who_already_wrote_gets_no_sample_conversation():
    _load()
    Thread.objects.get().delete()
    CareRequest.objects.filter(kind="refill").update(status="in_review")
    patient = Patient.objects.get(user__email=FIRST_PATIENT)
    other_team = CareTeam.objects.get(name="Front desk and billing")
    Thread.objects.create(
        patient=patient,
        team=other_team,
        topic="billing",
        subject="Tried in the demo",
        created_by=patient.user,
        created_as="self",
    )
    _load()
    assert list(Thread.objects.values_list("subject", flat=True)) == ["Tried in the demo"]
    assert CareRequest.objects.count() == 1


def test_the_refill_is_one_of_the_patients_generated_medicines():
    specs = generate_patients(12, today=TODAY)
    (spec,) = [s for s in specs if s.email == FIRST_PATIENT]
    bundle = generate_record_bundle(
        spec, mrn_system="urn:test:mrn", practitioners=practitioner_refs(), today=TODAY
    )
    active = {
        entry["resource"]["medicationCodeableConcept"]["text"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "MedicationRequest"
        and entry["resource"]["status"] == "active"
    }
    # The question and the answer speak of both inhalers; the refill asks for one.
    assert set(REFILL["medicines"]) < active
    assert "Albuterol inhaler (90 mcg per puff)" in active


# Transactional: the services' e-mails are sent when the demo's transaction really commits,
# as in production (inside a test's transaction they would wait for the test's end).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_email_leaves_the_demo():
    _load()
    assert Message.objects.count() == 2
    assert mail.outbox == []
