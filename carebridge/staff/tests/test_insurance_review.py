"""The front desk's insurance review, and the billing office's payment plan page.

Cast: Fran (front desk: reviews insurance, not money), Ada (clinic admin: both), Bill (billing:
plans, not insurance), Casey (clinician: neither), Olive (another clinic's admin: 404 for
ours); Pat and Sam send changes.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import CoverageStatus, InsuranceCoverage, PaymentPlan, PlanStatus
from carebridge.billing.services.insurance import (
    CardPhoto,
    CoverageFields,
    choose_self_pay,
    submit_coverage,
)
from carebridge.billing.tests.plan_fixtures import NOW, as_patient, owe, picture
from carebridge.core.actor import Actor
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

LIST_URL = "/staff/insurance/"
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def card_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path
    return tmp_path / "insurance"


def _send(cast: Cast) -> InsuranceCoverage:
    return submit_coverage(
        actor=as_patient(cast),
        patient=cast.patient,
        fields=CoverageFields(payer_name="Blue Shield", member_id="XJ-1234"),
        front_photo=CardPhoto("front.jpg", picture("JPEG")),
        back_photo=CardPhoto("back.png", picture("PNG")),
    )


def _review_url(coverage: InsuranceCoverage) -> str:
    return f"/staff/insurance/{coverage.pk}/"


@pytest.mark.django_db
def test_the_queue_lists_waiting_changes_oldest_first_each_audited(cast: Cast) -> None:
    pats = _send(cast)
    sams = choose_self_pay(
        actor=Actor(user=cast.second_patient_user, acting_as="self", now=NOW + MINUTE),
        patient=cast.second_patient,
    )
    page = client_for(cast.front_desk).get(LIST_URL).content.decode()
    assert page.index(_review_url(pats)) < page.index(_review_url(sams))
    assert "No insurance (paying themself)" in page
    viewed = AuditEvent.objects.filter(object_type="insurance_review_list", actor=cast.front_desk)
    assert sorted(str(e.patient_id) for e in viewed) == sorted(
        [str(cast.patient.pk), str(cast.second_patient.pk)]
    )


@pytest.mark.django_db
def test_the_console_links_to_the_queue_for_those_who_review(cast: Cast) -> None:
    link = f'href="{LIST_URL}"'
    assert link in client_for(cast.front_desk).get("/staff/").content.decode()
    assert link in client_for(cast.clinic_admin).get("/staff/").content.decode()
    assert link not in client_for(cast.clinician).get("/staff/").content.decode()


@pytest.mark.django_db
def test_fran_sees_both_photos_and_accepts_with_the_copay(cast: Cast) -> None:
    coverage = _send(cast)
    client = client_for(cast.front_desk)
    page = client.get(_review_url(coverage)).content.decode()
    assert f"/staff/insurance/{coverage.pk}/card/front/" in page
    assert f"/staff/insurance/{coverage.pk}/card/back/" in page
    photo = client.get(f"/staff/insurance/{coverage.pk}/card/back/")
    assert (photo.status_code, photo["Cache-Control"]) == (200, "private, no-store")
    response = client.post(_review_url(coverage), {"action": "accept", "copay": "25.50"})
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    coverage.refresh_from_db()
    assert (coverage.status, coverage.copay_cents) == (CoverageStatus.CURRENT, 2550)
    assert coverage.reviewed_by == cast.front_desk
    assert AuditEvent.objects.filter(
        object_type="insurance_card", actor=cast.front_desk, patient=cast.patient
    ).exists()


@pytest.mark.django_db
def test_declining_needs_a_note_which_the_patient_sees(cast: Cast) -> None:
    coverage = _send(cast)
    client = client_for(cast.clinic_admin)
    response = client.post(_review_url(coverage), {"action": "decline", "note": ""})
    assert "Write a note for the patient saying why." in response.content.decode()
    coverage.refresh_from_db()
    assert coverage.status == CoverageStatus.PENDING
    client.post(_review_url(coverage), {"action": "decline", "note": "Blurred photo."})
    coverage.refresh_from_db()
    assert (coverage.status, coverage.review_note) == (CoverageStatus.DECLINED, "Blurred photo.")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["billing", "clinician", "other_clinic_admin"])
def test_others_get_404_and_nothing_changes(cast: Cast, persona: str) -> None:
    coverage = _send(cast)
    client: Client = client_for(getattr(cast, persona))
    for url in (_review_url(coverage), f"/staff/insurance/{coverage.pk}/card/front/"):
        assert client.get(url).status_code == 404
    assert client.post(_review_url(coverage), {"action": "accept"}).status_code == 404
    coverage.refresh_from_db()
    assert (coverage.status, coverage.reviewed_by) == (CoverageStatus.PENDING, None)
    assert not AuditEvent.objects.filter(
        actor=getattr(cast, persona), object_type__startswith="insurance"
    ).exists()


@pytest.mark.django_db
def test_bill_sets_up_and_stops_a_plan_from_the_console(cast: Cast) -> None:
    owe(cast, cast.patient, 10000)
    client = client_for(cast.billing)
    url = f"/staff/billing/patients/{cast.patient.pk}/plan/"
    assert "3 months: $33.34 a month" in client.get(url).content.decode()
    assert client.post(url, {"months": "3"}).status_code == 302
    plan = PaymentPlan.objects.get()
    assert (plan.total_cents, plan.created_by, plan.status) == (10000, cast.billing, "active")
    assert "Stop this plan" in client.get(url).content.decode()
    client.post(url, {"action": "cancel"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["front_desk", "clinician", "other_clinic_admin"])
def test_the_plan_page_is_404_without_the_billing_permission(cast: Cast, persona: str) -> None:
    owe(cast, cast.patient, 10000)
    url = f"/staff/billing/patients/{cast.patient.pk}/plan/"
    client = client_for(getattr(cast, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"months": "3"}).status_code == 404
    assert not PaymentPlan.objects.exists()


@pytest.mark.django_db
def test_the_queue_costs_the_same_for_one_change_or_many(cast: Cast) -> None:
    client = client_for(cast.front_desk)
    self_pay = Actor(user=cast.second_patient_user, acting_as="self")
    choose_self_pay(actor=self_pay, patient=cast.second_patient)
    # The first request of a session also records the session: not the page's cost.
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST_URL)
    for patient in (cast.patient, cast.unenrolled_patient, cast.proxies.child):
        choose_self_pay(actor=self_pay, patient=patient)
    with CaptureQueriesContext(connection) as four:
        page = client.get(LIST_URL).content.decode()
    assert "4 changes waiting" in page
    assert len(four) == len(one)
