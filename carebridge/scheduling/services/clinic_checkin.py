"""Online check-in for an appointment the clinic booked in its own system (an EHR FHIR
Appointment kept as a `records.ClinicalResource`), with the same window, steps and front-desk
review as for one booked here (`services.checkin`).

Such a visit has no visit type: no visit questions, and the expected copay is the coverage's
only. Its start and status are the resource's index columns (`effective_at`, `status`), which
the EHR import keeps up to date; the window is the clinic's calendar.

Audit rule: saving records a "check_in" event (create, then update) on the resource's `api_id`
in the same transaction, saying who acted and as whom; a corrected phone number or address
records an "update" of the patient, and insurance sent for review an "insurance" event. Privacy
rule: what a check-in holds is health or personal information: never e-mailed or logged. A
caregiver or parent never checks in for an appointment labelled sensitive.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.billing.services.insurance import expected_copay
from carebridge.core.actor import Actor
from carebridge.records.models import ClinicalResource
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling.models import BookedAs, ClinicCheckIn
from carebridge.scheduling.services.booking import check_may_act
from carebridge.scheduling.services.checkin import (
    CHECK_IN_OBJECT,
    CheckInData,
    CheckInTarget,
    check_complete,
    check_in_fields,
    check_may_check_in,
    correct_contact_details,
    send_insurance_change,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

# The EHR statuses that still take a check-in: booked, or waiting for the clinic to confirm.
# "arrived" means the patient has already checked in at the desk.
CHECK_IN_STATUSES = ("booked", "pending")


def clinic_target(patient: Patient, resource: ClinicalResource) -> CheckInTarget:
    """An EHR appointment as a check-in target, in the patient's clinic's time zone."""
    return CheckInTarget(
        starts_at=resource.effective_at,
        zone=clinic_zone(patient),
        is_cancelled=resource.status == "cancelled",
        is_bookable=resource.status in CHECK_IN_STATUSES,
    )


def check_may_check_in_for(
    actor: User, acting_as: str, patient: Patient, resource: ClinicalResource
) -> None:
    """PermissionDenied unless the resource is one of the patient's appointments, the actor
    may act on the patient's appointments and, for a caregiver or parent, the appointment is
    not labelled sensitive."""
    if resource.patient_id != patient.pk or resource.resource_type != "Appointment":
        raise PermissionDenied
    check_may_act(actor, acting_as, patient)
    if acting_as == BookedAs.PROXY and resource.is_sensitive:
        raise PermissionDenied


def check_in_clinic_appointment(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    resource: ClinicalResource,
    now: datetime.datetime,
    data: CheckInData,
    request: HttpRequest | None = None,
) -> ClinicCheckIn:
    """Check in online for an appointment the clinic booked in its own system, as the patient
    or a caregiver or parent with the appointments scope, while check-in is open; a second
    time updates the same check-in.

    In one transaction, with the resource's row locked and the window re-checked from it: a
    corrected phone number or address is saved on the patient, insurance that differs from
    the coverage on file goes to the front desk to check, and the check-in is saved with the
    coverage's copay. Audit: a "check_in" create or update event on the resource's `api_id`.
    No e-mail: a check-in is health information.
    """
    check_complete(data)
    with transaction.atomic():
        locked = ClinicalResource.objects.select_for_update().get(pk=resource.pk)
        check_may_check_in_for(actor, acting_as, patient, locked)
        check_may_check_in(clinic_target(patient, locked), now)
        correct_contact_details(
            actor=actor, acting_as=acting_as, patient=patient, contact=data.contact, request=request
        )
        billing_actor = Actor(user=actor, acting_as=acting_as, now=now, request=request)
        send_insurance_change(billing_actor, patient, data)
        expected = expected_copay(patient, None)
        fields = check_in_fields(data) | {"answers": []}
        row, created = ClinicCheckIn.objects.update_or_create(
            resource=locked,
            defaults=fields
            | {
                "completed_at": now,
                "completed_by": actor,
                "completed_as": acting_as,
                "copay_cents": expected.cents,
            },
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type=CHECK_IN_OBJECT,
            object_id=locked.api_id,
            patient=patient,
            acting_as=acting_as,
            request=request,
        )
    return row
