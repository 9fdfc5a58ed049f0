"""Check-in and booking with the insurance on file: check-in is filled in from the current
coverage, a different insurance typed there goes to the front desk as a change to check, and
the expected copay is the coverage's when known, else the visit type's; self-pay is billed.

Cast: Pat (checks in for tomorrow's check-up, $25.00 copay on the visit type).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import CoverageSource, CoverageStatus, InsuranceCoverage
from carebridge.scheduling.tests.factories import local, make_appointment, make_hours, make_schedule
from carebridge.scheduling.tests.pages import words

pytestmark = pytest.mark.django_db

THURSDAY = 3
COVERAGE_COPAY = (
    "You may be asked to pay $15.00 at your visit. "
    "The final amount can change after your insurance is billed."
)


@pytest.fixture
def schedule(cast: Any) -> Any:
    schedule = make_schedule(cast.clinic, name="Check-up", copay_cents=2500)
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "17:00")
    return schedule


@pytest.fixture
def visit(cast: Any, schedule: Any) -> Any:
    booked = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(cast.patient, *booked, local(2026, 3, 5, 14))


def _on_file(cast: Any, **fields: Any) -> InsuranceCoverage:
    values = {"payer_name": "Aetna", "member_id": "A-1", "group_number": "G-9"} | fields
    return InsuranceCoverage.objects.create(
        clinic=cast.clinic,
        patient=cast.patient,
        source=CoverageSource.IMPORTED,
        status=CoverageStatus.CURRENT,
        **values,
    )


def _check_in_url(visit: Any) -> str:
    return reverse("scheduling:appointment-check-in", args=[visit.pk])


def _form(**fields: str) -> dict[str, str]:
    values = {
        "phone": "",
        "address_line": "",
        "city": "",
        "state": "",
        "postal_code": "",
        "contact_confirmed": "on",
        "insurance_payer": "Aetna",
        "insurance_member_id": "A-1",
        "insurance_group": "G-9",
        "allergies": "right",
        "medications": "right",
    }
    return values | fields


def _copay(html: str) -> str:
    return words(html.split('class="checkin-copay">', 1)[1].split("</p>", 1)[0])


def test_check_in_is_filled_in_from_the_coverage_with_its_copay(
    cast: Any, patient_client: Any, visit: Any
) -> None:
    _on_file(cast, copay_cents=1500)
    html = patient_client.get(_check_in_url(visit)).content.decode()
    assert 'name="insurance_payer" value="Aetna"' in html
    assert 'name="insurance_member_id" value="A-1"' in html
    assert _copay(html) == COVERAGE_COPAY


def test_the_same_insurance_sends_no_change_and_keeps_the_coverage_copay(
    cast: Any, patient_client: Any, visit: Any
) -> None:
    _on_file(cast, copay_cents=1500)
    response = patient_client.post(_check_in_url(visit), _form(insurance_payer=" aetna "))
    assert response.status_code == 302
    assert InsuranceCoverage.objects.count() == 1
    assert visit.check_in.copay_cents == 1500


def test_a_different_insurance_goes_to_the_front_desk_once(
    cast: Any, patient_client: Any, visit: Any
) -> None:
    _on_file(cast)
    changed = _form(insurance_payer="Blue Shield", insurance_member_id="XJ-1")
    assert patient_client.post(_check_in_url(visit), changed).status_code == 302
    # Checking in again with the same details sends nothing more.
    assert patient_client.post(_check_in_url(visit), changed).status_code == 302
    sent = InsuranceCoverage.objects.get(status=CoverageStatus.PENDING)
    assert (sent.payer_name, sent.member_id, sent.group_number) == ("Blue Shield", "XJ-1", "G-9")
    assert (sent.source, sent.submitted_by) == (CoverageSource.PATIENT, cast.patient_user)
    assert InsuranceCoverage.objects.get(status=CoverageStatus.CURRENT).payer_name == "Aetna"
    event = AuditEvent.objects.get(object_type="insurance", action="create")
    assert (event.patient_id, event.object_id) == (cast.patient.pk, str(sent.pk))
    # Until the front desk accepts it, the copay is the visit type's.
    assert visit.check_in.copay_cents == 2500


def test_no_insurance_typed_sends_self_pay_for_review(
    cast: Any, patient_client: Any, visit: Any
) -> None:
    patient_client.post(_check_in_url(visit), _form(self_pay="on"))
    sent = InsuranceCoverage.objects.get()
    assert (sent.status, sent.is_self_pay) == (CoverageStatus.PENDING, True)


def test_self_pay_patients_are_told_they_will_be_billed(
    cast: Any, patient_client: Any, visit: Any, schedule: Any
) -> None:
    _on_file(cast, is_self_pay=True, payer_name="", member_id="", group_number="")
    html = patient_client.get(_check_in_url(visit)).content.decode()
    assert _copay(html) == "You will be billed for the visit."
    assert '<input type="checkbox" name="self_pay" id="id_self_pay" checked>' in html
    query = urlencode(
        {
            "visit_type": schedule.visit_type.pk,
            "time": f"{schedule.practitioner.pk}_{schedule.location.pk}_"
            f"{local(2026, 3, 5, 9).isoformat()}",
        }
    )
    confirm = patient_client.get(reverse("scheduling:book-confirm") + "?" + query)
    assert "You will be billed for the visit." in confirm.content.decode()


def test_booking_shows_the_coverage_copay(cast: Any, patient_client: Any, schedule: Any) -> None:
    _on_file(cast, copay_cents=1500)
    query = urlencode(
        {
            "visit_type": schedule.visit_type.pk,
            "time": f"{schedule.practitioner.pk}_{schedule.location.pk}_"
            f"{local(2026, 3, 5, 9).isoformat()}",
        }
    )
    html = patient_client.get(reverse("scheduling:book-confirm") + "?" + query).content.decode()
    copay = words(html.split('class="booking-copay">', 1)[1].split("</dd>", 1)[0])
    assert copay == COVERAGE_COPAY
