"""Online check-in before a visit: one page of contact details, insurance, allergies and
medicines, the visit's questions and the expected copay; saving goes back to the appointment.

The allergy and medicine lists are shown only to a viewer who may see those parts of the record
(a caregiver or parent may not); showing them is audited as a view of that part. What is typed
travels only in the POST body.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.billing.models import InsuranceCoverage
from carebridge.billing.services.insurance import current_coverage
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.proxies.models import ProxyScope
from carebridge.records.access import access_record
from carebridge.records.selectors.sections import list_allergies, list_medications
from carebridge.scheduling.access import access_appointment
from carebridge.scheduling.checkin_forms import CHANGED, REVIEWED_PARTS, RIGHT, CheckInForm
from carebridge.scheduling.models import Appointment, CheckIn, CheckInAnswers
from carebridge.scheduling.pages import detail_context
from carebridge.scheduling.services import check_in, check_may_check_in
from carebridge.scheduling.services.checkin import CONTACT_FIELDS, expected_copay_words
from carebridge.scheduling.views.appointments import render_in_clinic_zone

TEMPLATE_CLOSED = "scheduling/checkin_closed.html"
INSURANCE_FIELDS = ("insurance_payer", "insurance_member_id", "insurance_group", "self_pay")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appointment_check_in(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = access_appointment(request, appointment_id)
    try:
        check_may_check_in(appointment, timezone.now())
    except ValidationError as refusal:
        context = detail_context(appointment) | {"refusal": refusal.messages[0]}
        return render_in_clinic_zone(request, appointment, TEMPLATE_CLOSED, context)
    parts = tuple(part for part in REVIEWED_PARTS if request.acting.may_see_part(part))
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        initial=initial_values(appointment),
        questions=appointment.visit_type.questions,
        reviewed_parts=parts,
        may_change_contact=may_change_contact(request),
    )
    if form.is_valid():
        try:
            check_in(
                actor=request.user,
                acting_as=request.acting.relationship.value,
                appointment=appointment,
                now=timezone.now(),
                data=form.to_data(),
                request=request,
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("You are checked in. Thank you."))
            return redirect("scheduling:appointment-detail", appointment.pk)
    context = detail_context(appointment) | page_context(request, appointment, form, parts)
    return render_in_clinic_zone(request, appointment, "scheduling/checkin.html", context)


def may_change_contact(request: AuthenticatedRequest) -> bool:
    """The patient may correct their phone and address; a caregiver or parent only with the
    account scope (the same that lets them see the account's activity)."""
    return not request.acting.is_proxy or request.acting.may(ProxyScope.ACCOUNT)


def page_context(
    request: AuthenticatedRequest,
    appointment: Appointment,
    form: CheckInForm,
    parts: tuple[str, ...],
) -> dict[str, Any]:
    return {
        "form": form,
        "email": appointment.patient.notice_address,
        "copay": expected_copay_words(appointment.patient, appointment.visit_type.copay_cents),
        "shows_allergies": "allergies" in parts,
        "shows_medications": "medications" in parts,
        **record_lists(request, parts),
    }


def record_lists(request: AuthenticatedRequest, parts: tuple[str, ...]) -> dict[str, Any]:
    """The names on the allergy and medicine lists the viewer may see (one query each), each
    audited as a view of that part of the record."""
    lists: dict[str, Any] = {}
    if "allergies" in parts:
        allergies = list_allergies(
            access_record(request, object_type="allergies", part="allergies")
        )
        lists["allergy_names"] = [row.substance for row in allergies.current]
        lists["no_known_allergies"] = allergies.has_no_known_allergies
    if "medications" in parts:
        medications = list_medications(
            access_record(request, object_type="medications", part="medications")
        )
        lists["medication_names"] = [row.name for row in medications.active]
    return lists


def initial_values(appointment: Appointment) -> dict[str, Any]:
    """The patient's contact details, and what this appointment's check-in said (when updating
    it), or else the insurance on file, or else that of the patient's latest check-in (at most
    three queries)."""
    saved = CheckIn.objects.filter(appointment=appointment).first()

    def earlier() -> CheckInAnswers | None:
        rows = CheckIn.objects.filter(appointment__patient=appointment.patient)
        return rows.exclude(appointment=appointment).order_by("-completed_at").first()

    return form_initial(appointment.patient, saved, appointment.visit_type.questions, earlier)


def form_initial(
    patient: Patient,
    saved: CheckInAnswers | None,
    questions: list[str],
    earlier: Callable[[], CheckInAnswers | None],
) -> dict[str, Any]:
    """The form's first values for whatever is being checked in for: the patient's contact
    details with what `saved` said, or else the insurance on file, or else that of the
    patient's latest earlier check-in (`earlier`, called only then)."""
    initial: dict[str, Any] = {name: getattr(patient, name) for name in CONTACT_FIELDS}
    if saved is not None:
        return initial | answered(saved, questions)
    coverage = current_coverage(patient)
    if coverage is not None:
        return initial | coverage_values(coverage)
    latest = earlier()
    if latest is not None:
        initial |= {name: getattr(latest, name) for name in INSURANCE_FIELDS}
    return initial


def coverage_values(coverage: InsuranceCoverage) -> dict[str, Any]:
    """The check-in form's insurance fields from the coverage on file."""
    if coverage.is_self_pay:
        return {"self_pay": True}
    return {
        "insurance_payer": coverage.payer_name,
        "insurance_member_id": coverage.member_id,
        "insurance_group": coverage.group_number,
        "self_pay": False,
    }


def answered(checked_in: CheckInAnswers, questions: list[str]) -> dict[str, Any]:
    """The form's values as this check-in saved them, for updating it."""
    values: dict[str, Any] = {name: getattr(checked_in, name) for name in INSURANCE_FIELDS}
    values["contact_confirmed"] = checked_in.contact_confirmed
    for part, changes in REVIEWED_PARTS.items():
        confirmed = getattr(checked_in, f"{part}_confirmed")
        said = getattr(checked_in, changes)
        if confirmed or said:
            values[part] = RIGHT if confirmed else CHANGED
            values[changes] = said
    saved = {item.get("question"): item.get("answer", "") for item in checked_in.answers}
    for number, question in enumerate(questions):
        values[f"answer_{number}"] = saved.get(question, "")
    return values
