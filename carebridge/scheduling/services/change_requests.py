"""Asking the clinic to cancel or move an appointment it booked in its own system.

Carebridge cannot change the EHR's appointments, so the patient (or a caregiver or parent with
the appointments scope) sends a request; it is a `messaging.CareRequest` of kind "visit", so it
lands in the staff console's request queue, where the front desk acts on it in the clinic's
system and answers it, and the patient follows its status on the appointment's page.

One open request per appointment: a second is refused while the first is open. Audit rule:
the request is recorded as a "care_request" creation in the same transaction. Privacy rule:
the request holds the appointment's id and time and the patient's note, never e-mailed.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.messaging.care_requests import NOTE_MAX_LENGTH
from carebridge.messaging.care_requests import audit as audit_care_request
from carebridge.messaging.models import CareRequest, RequestKind
from carebridge.patients.models import Patient
from carebridge.scheduling.ehr_selectors import OPEN_REQUEST_STATUSES, change_requests
from carebridge.scheduling.selectors import UPCOMING_STATUSES
from carebridge.scheduling.services.booking import check_may_act

if TYPE_CHECKING:
    import datetime

    from carebridge.accounts.models import User
    from carebridge.records.models import ClinicalResource


class Change(enum.StrEnum):
    """What the patient asks the clinic to do with the appointment."""

    CANCEL = "cancel"
    MOVE = "move"


def request_appointment_change(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    resource: ClinicalResource,
    change: str,
    note: str,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> CareRequest:
    """Ask the clinic to cancel or move one of the patient's EHR appointments still to come.

    PermissionDenied unless the actor may act on the patient's appointments (`check_may_act`);
    ValidationError when the change is neither, the appointment is not still to come, or a
    request for it is already open (checked under a lock of the patient's row, so two clicks
    make one request). Audited in the same transaction.
    """
    check_may_act(actor, acting_as, patient)
    if change not in Change.__members__.values():
        raise ValidationError(_("Choose whether to cancel or move the appointment."), code="change")
    starts_at = resource.effective_at
    if resource.status not in UPCOMING_STATUSES or starts_at is None or starts_at < now:
        raise ValidationError(_("This appointment can no longer be changed."), code="closed")
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        pending = change_requests(patient, resource.api_id).filter(status__in=OPEN_REQUEST_STATUSES)
        if pending.exists():
            raise ValidationError(
                _("You have already asked the clinic to change this appointment."),
                code="duplicate",
            )
        asked = CareRequest.objects.create(
            patient=patient,
            kind=RequestKind.VISIT,
            details={
                "appointment": str(resource.api_id),
                "change": change,
                "starts_at": starts_at.isoformat(),
                "note": note.strip()[:NOTE_MAX_LENGTH],
            },
            created_by=actor,
            created_as=acting_as,
        )
        audit_care_request(actor, AuditAction.CREATE, asked, acting_as, request)
    return asked
