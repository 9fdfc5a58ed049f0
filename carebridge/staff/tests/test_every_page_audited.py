"""Every console page that shows a patient's data records a view event for that patient.

The URL resolver's `staff:` names are walked (as the authorisation matrix does), so a new page
cannot ship without being listed here: with data set up so that it shows a patient, among the
pages audited with no patient named, or in the allow-list with the reason it needs no audit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.services.insurance import choose_self_pay
from carebridge.core.actor import Actor
from carebridge.messaging.care_requests import submit_request
from carebridge.messaging.models import RequestKind
from carebridge.patients.models import DetailsChange, Patient
from carebridge.patients.services.details import Address, save_contact_details
from carebridge.records.models import PatientMatchReview
from carebridge.staff.tests import billing_setup, chart_setup
from carebridge.staff.tests.inbox_setup import make_inbox
from carebridge.staff.tests.schedule_setup import make_desk
from carebridge.staff.tests.test_release_views import glucose, hold_labs
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast
from carebridge.testing.records import store

pytestmark = pytest.mark.django_db

# Pages that show no patient's data, or answer GET with nothing to show, and why.
NO_PATIENT_DATA = {
    "staff:console": "counts of unread messages and open requests, no patient named",
    "staff:import-upload": "the upload form and the clinic's import jobs (file names, counts)",
    "staff:import-detail": "one import job's counts and errors by resource type",
    "staff:release-settings": "the clinic's result-release settings",
    "staff:message-settings": "the clinic's message settings",
    "staff:setup-quick-comments": "the clinic's quick comments on results",
    "staff:schedule-block": "the form to block time; clinicians and places only",
    "staff:import-retry": "POST only: GET answers 405",
    "staff:notices-retry-all": "POST only: GET answers 405",
    "staff:notice-retry": "POST only: GET answers 405",
    "staff:schedule-block-remove": "POST only: GET answers 405",
    "staff:setup-staff-list": "the clinic's staff accounts, no patient named",
    "staff:setup-staff-invite": "the form to invite a member of staff",
    "staff:setup-staff-detail": "one staff account, no patient named",
    "staff:setup-staff-role": "POST only: GET answers 405",
    "staff:setup-staff-deactivate": "POST only: GET answers 405",
    "staff:setup-staff-reactivate": "POST only: GET answers 405",
    "staff:setup-staff-two-step": "POST only: GET answers 405",
    "staff:setup-staff-resend": "POST only: GET answers 405",
    "staff:setup-team-list": "the clinic's care teams: names, topics, clinicians and staff",
    "staff:setup-team-add": "the form to add a care team",
    "staff:setup-team-edit": "one care team's set-up, no patient named",
    # The booking set-up (issue 16): the clinic's configuration, no patient; changes are
    # audited with record_change by the services.
    "staff:setup-visit-types": "the clinic's visit types",
    "staff:setup-visit-type-add": "the form to add a visit type",
    "staff:setup-visit-type-edit": "one visit type's settings",
    "staff:setup-visit-type-remove": "asks before removing a visit type",
    "staff:setup-hours": "the clinic's clinicians and their places",
    "staff:setup-hours-clinician": "one clinician's weekly hours",
    "staff:setup-hours-remove": "POST only: GET answers 405",
    # Clinic set-up (issue 16): the clinic's own configuration; changes are audited.
    "staff:setup": "the list of set-up pages",
    "staff:setup-clinic": "the clinic's profile",
    "staff:setup-logo": "the clinic's logo",
    "staff:setup-patients": "the clinic's patient access settings",
    "staff:setup-places": "the clinic's places",
    "staff:setup-place-add": "the form to add a place",
    "staff:setup-place": "one of the clinic's places",
    "staff:setup-place-remove": "one of the clinic's places",
    "staff:setup-clinicians": "the clinic's clinicians",
    "staff:setup-clinician-add": "the form to add a clinician",
    "staff:setup-clinician": "one of the clinic's clinicians",
    # The app register (issue 17): apps and how many patients connected each, no patient named;
    # changes are audited with record_change (api_app).
    "staff:setup-apps": "the clinic's apps and a count of patients connected to each",
    "staff:setup-app-add": "the form to register an app",
    "staff:setup-app": "one app's settings",
    "staff:setup-app-withdraw": "asks before withdrawing an app",
}
# Pages audited as one event that names no patient, and why that is enough.
AUDITED_WITHOUT_PATIENT = {
    "staff:audit-report": "the trail itself; each reading is recorded as audit_report",
    "staff:audit-report-csv": "the trail itself; each download is recorded as audit_report",
    "staff:notices": "undelivered e-mails (addresses, no health information), recorded as notice",
    "staff:billing-reconciliation": "a day's receipts and totals, no patient named",
    "staff:billing-reconciliation-csv": "a day's receipts and totals, no patient named",
}
# Pages that need an uploaded file or a stored attachment: their audit has its own test.
AUDITED_ELSEWHERE = {
    "staff:insurance-card": "test_insurance_review::test_fran_sees_both_photos_and_accepts_…",
    "staff:inbox-attachment": "test_inbox_threads::test_a_reply_with_a_file_can_be_downloaded",
    # The chart's pages about one resource need Pat's sample record.
    **{
        f"staff:chart-{name}": "test_chart_audit::test_each_chart_page_is_audited_as_staff"
        for name in chart_setup.DETAIL_PAGES
    },
}
PERSONAS = ("clinic_admin", "clinician", "front_desk", "nurse")
# The team inbox and the refill queue list only what the viewer's team or role answers.
PERSONAS_FOR = {"staff:inbox": ("nurse",), "staff:inbox-requests": ("nurse", "clinician")}


def _staff_names(patterns: list[Any], namespace: str = "") -> list[str]:
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _staff_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return [name for name in names if name.startswith("staff:")]


def _today_at_ten(cast: Cast) -> datetime.datetime:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(cast.clinic.time_zone)
    today = datetime.datetime.now(zone).date()
    return datetime.datetime.combine(today, datetime.time(10), tzinfo=zone)


@pytest.fixture
def pages(cast: Cast) -> dict[str, tuple[str, Patient]]:
    """Each patient page's URL, with data in place, and the patient it must name."""
    desk = make_desk(cast)
    visit = desk.book(cast.patient, _today_at_ten(cast))
    asked = desk.ask(cast.second_patient, cast.second_patient_user)
    thread = make_inbox(cast).write()
    care_request = submit_request(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        kind=RequestKind.REFILL,
        details={"medicines": ["Metformin 500 mg"], "pharmacy": "Main Street Pharmacy"},
    )
    hold_labs(cast.clinic)
    (held,) = store(cast.second_patient, glucose(cast.second_patient))
    payment = billing_setup.owing_and_paid(cast, cast.patient)
    review = PatientMatchReview.objects.create(
        clinic=cast.clinic, candidate=cast.patient, incoming={}
    )
    grant = cast.proxies.grants["parent_of_child"]
    child = grant.patient
    coverage = choose_self_pay(
        actor=Actor(user=cast.patient_user, acting_as="self"), patient=cast.patient
    )
    save_contact_details(
        actor=Actor(user=cast.patient_user, acting_as="self"),
        patient=cast.patient,
        phone="",
        address=Address("12 Elm Street", "Springfield", "IL", "62704"),
    )
    address_change = DetailsChange.objects.get(patient=cast.patient)
    day = visit.starts_at.astimezone(_today_at_ten(cast).tzinfo).date().isoformat()
    by_id: Callable[[str, object], str] = lambda name, pk: reverse(name, args=[pk])  # noqa: E731
    return {
        "staff:patient-list": (reverse("staff:patient-list"), cast.patient),
        "staff:patient-invite": (
            by_id("staff:patient-invite", cast.unenrolled_patient.pk),
            cast.unenrolled_patient,
        ),
        "staff:patient-access": (by_id("staff:patient-access", child.pk), child),
        "staff:patient-access-grant": (by_id("staff:patient-access-grant", child.pk), child),
        "staff:patient-access-change": (
            reverse("staff:patient-access-change", args=[child.pk, grant.pk]),
            child,
        ),
        "staff:patient-access-end": (
            reverse("staff:patient-access-end", args=[child.pk, grant.pk]),
            child,
        ),
        "staff:schedule-day": (reverse("staff:schedule-day") + f"?date={day}", cast.patient),
        "staff:schedule-week": (reverse("staff:schedule-week") + f"?date={day}", cast.patient),
        "staff:schedule-appointment": (by_id("staff:schedule-appointment", visit.pk), cast.patient),
        "staff:schedule-book": (
            reverse("staff:schedule-book") + f"?patient={cast.patient.pk}",
            cast.patient,
        ),
        "staff:schedule-requests": (reverse("staff:schedule-requests"), cast.second_patient),
        "staff:schedule-request": (by_id("staff:schedule-request", asked.pk), cast.second_patient),
        "staff:inbox": (reverse("staff:inbox"), cast.patient),
        "staff:inbox-thread": (by_id("staff:inbox-thread", thread.pk), cast.patient),
        "staff:inbox-requests": (
            reverse("staff:inbox-requests") + f"?kind={RequestKind.REFILL}",
            cast.patient,
        ),
        "staff:inbox-request": (by_id("staff:inbox-request", care_request.pk), cast.patient),
        "staff:held-results": (reverse("staff:held-results"), cast.second_patient),
        "staff:held-result": (by_id("staff:held-result", held.pk), cast.second_patient),
        "staff:patient-message": (by_id("staff:patient-message", cast.patient.pk), cast.patient),
        "staff:match-review-list": (reverse("staff:match-review-list"), cast.patient),
        "staff:match-review": (by_id("staff:match-review", review.pk), cast.patient),
        "staff:billing-plan": (by_id("staff:billing-plan", cast.patient.pk), cast.patient),
        "staff:insurance-review-list": (reverse("staff:insurance-review-list"), cast.patient),
        "staff:details-review-list": (reverse("staff:details-review-list"), cast.patient),
        "staff:details-review": (by_id("staff:details-review", address_change.pk), cast.patient),
        "staff:insurance-review": (by_id("staff:insurance-review", coverage.pk), cast.patient),
        "staff:billing-balances": (reverse("staff:billing-balances"), cast.patient),
        "staff:billing-refund": (by_id("staff:billing-refund", payment.pk), cast.patient),
        **{
            name: (by_id(name, cast.patient.pk), cast.patient)
            for name in billing_setup.PATIENT_PAGES
        },
        "staff:patient": (by_id("staff:patient", cast.patient.pk), cast.patient),
        **{
            f"staff:chart-{name}": (by_id(f"staff:chart-{name}", cast.patient.pk), cast.patient)
            for name in chart_setup.LIST_PAGES
        },
    }


def _open(cast: Cast, address: str, personas: tuple[str, ...] = PERSONAS) -> tuple[Any, Any]:
    """The page as the first of the console's people whose role may open it."""
    for persona in personas:
        client = client_for(getattr(cast, persona))
        response = client.get(address)
        if response.status_code == 200:
            return getattr(cast, persona), response
    raise AssertionError(f"nobody of {PERSONAS} may open {address}")


def test_every_staff_page_is_listed(pages: dict[str, tuple[str, Patient]]) -> None:
    listed = set(pages) | set(NO_PATIENT_DATA) | set(AUDITED_WITHOUT_PATIENT)
    listed |= set(AUDITED_ELSEWHERE)
    assert sorted(set(_staff_names(get_resolver().url_patterns)) - listed) == []


def test_every_page_showing_a_patient_records_a_view_for_that_patient(
    cast: Cast, pages: dict[str, tuple[str, Patient]]
) -> None:
    missing = []
    for name, (address, patient) in pages.items():
        before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)
        last = before.first() or 0
        actor, _response = _open(cast, address, PERSONAS_FOR.get(name, PERSONAS))
        events = AuditEvent.objects.filter(sequence__gt=last, action="view", actor=actor)
        if not events.filter(patient=patient).exists():
            missing.append(name)
    assert missing == []


@pytest.mark.parametrize("name", sorted(AUDITED_WITHOUT_PATIENT))
def test_pages_about_the_trail_or_e_mails_record_their_reading(cast: Cast, name: str) -> None:
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    actor, response = _open(cast, reverse(name))
    if response.streaming:
        b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(sequence__gt=last or 0, actor=actor).count() == 1
