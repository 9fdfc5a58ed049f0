"""Who may see a patient's messages: the only way the messaging pages reach a patient.

A patient sees their own conversations; a caregiver or parent sees those of the patient they
act for when their grant gives the "messaging" scope today, except that a teenager's own
conversations (started by the teenager, with the clinic's replies) are the teenager's: their
parent gets a 404 for them unless the teenager shares their messages (`proxies.rules`).
Anyone else (staff, a visitor, a proxy whose access has ended) acts for no patient here and
gets a 404, as does a proxy without the scope, whose attempt is audited as denied. A missing
thread and someone else's look the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from carebridge.audit.models import AuditOutcome
from carebridge.audit.services import record_view
from carebridge.messaging import care_requests
from carebridge.messaging.drafts import DRAFT_OBJECT_TYPE
from carebridge.messaging.models import Attachment, CareRequest, Message, Thread
from carebridge.messaging.request_selectors import visible_requests
from carebridge.messaging.services import MESSAGING_SCOPE, OBJECT_TYPE

if TYPE_CHECKING:
    import uuid

    from carebridge.core.http import AuthenticatedRequest, PortalRequest
    from carebridge.patients.models import Patient

ATTACHMENT_OBJECT_TYPE = "message_attachment"
DENIED = AuditOutcome.DENIED


def messaging_patient(
    request: PortalRequest, *, object_id: object = "", object_type: str = OBJECT_TYPE
) -> Patient:
    """The patient whose messages the viewer may use, or 404 (audited as denied for a proxy
    acting for a patient without the messaging scope)."""
    patient = request.acting.patient
    if patient is None:
        raise Http404
    if not request.acting.may(MESSAGING_SCOPE):
        record_messages_view(
            request, patient, object_id=object_id, object_type=object_type, outcome=DENIED
        )
        raise Http404
    return patient


def access_threads(request: AuthenticatedRequest) -> Patient:
    """The patient whose conversations the viewer may list, with the view audited."""
    patient = messaging_patient(request)
    record_messages_view(request, patient)
    return patient


def access_thread(request: AuthenticatedRequest, thread_id: uuid.UUID) -> Thread:
    """One of the patient's conversations, for the patient or a proxy with the messaging scope,
    with the view audited (the thread's id); 404 otherwise."""
    patient = messaging_patient(request, object_id=thread_id)
    hidden = request.acting.hides_patients_own_messages
    thread = (
        Thread.objects.for_patient_side(patient, hides_patients_own=hidden)
        .sent()
        .select_related("team", "practitioner", "patient", "statement")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None:
        raise Http404
    record_messages_view(request, patient, object_id=thread.pk)
    return thread


def access_own_message(request: AuthenticatedRequest, message_id: uuid.UUID) -> Message:
    """One of the viewer's own messages for the patient they act for: an unsent draft (a draft
    is only ever its writer's; the view is audited), or, once sent, the message its draft's
    address now leads to (its conversation's page audits the view). 404 otherwise."""
    patient = messaging_patient(request, object_id=message_id)
    hidden = request.acting.hides_patients_own_messages
    threads = Thread.objects.for_patient_side(patient, hides_patients_own=hidden)
    found = (
        Message.objects.filter(pk=message_id, author=request.user, thread__in=threads)
        .select_related("thread__team", "thread__practitioner", "thread__patient")
        .prefetch_related("attachments")
        .first()
    )
    if found is None:
        raise Http404
    if found.is_draft:
        record_messages_view(request, patient, object_id=found.pk, object_type=DRAFT_OBJECT_TYPE)
    return found


def access_attachment(
    request: AuthenticatedRequest, thread_id: uuid.UUID, attachment_id: uuid.UUID
) -> Attachment:
    """A file of a message the patient's side may read (sent, never a staff note) in one of the
    patient's conversations, with the download audited; 404 otherwise."""
    patient = messaging_patient(request, object_id=attachment_id)
    hidden = request.acting.hides_patients_own_messages
    threads = Thread.objects.for_patient_side(patient, hides_patients_own=hidden)
    attachment = (
        Attachment.objects.filter(
            pk=attachment_id,
            message__thread_id=thread_id,
            message__thread__in=threads,
            message__is_internal=False,
            message__sent_at__isnull=False,
        )
        .select_related("message__thread")
        .first()
    )
    if attachment is None:
        raise Http404
    record_messages_view(
        request, patient, object_id=attachment.pk, object_type=ATTACHMENT_OBJECT_TYPE
    )
    return attachment


def access_care_requests(request: AuthenticatedRequest) -> Patient:
    """The patient whose requests from the record the viewer may list, with the view audited
    ("care_request", no id)."""
    patient = messaging_patient(request, object_type=care_requests.OBJECT_TYPE)
    record_messages_view(request, patient, object_type=care_requests.OBJECT_TYPE)
    return patient


def access_care_request(request: AuthenticatedRequest, request_id: uuid.UUID) -> CareRequest:
    """One of the patient's requests from the record (refill, referral, records), for the
    patient or a proxy with the messaging scope, with the view audited (the request's id);
    404 otherwise, and for another patient's request, which is not audited as seen."""
    object_type = care_requests.OBJECT_TYPE
    patient = messaging_patient(request, object_id=request_id, object_type=object_type)
    hidden = request.acting.hides_patients_own_messages
    found = (
        visible_requests(patient, hides_patients_own=hidden)
        .filter(pk=request_id)
        .select_related("patient", "created_by")
        .first()
    )
    if found is None:
        raise Http404
    record_messages_view(request, patient, object_id=found.pk, object_type=object_type)
    return found


def record_messages_view(
    request: PortalRequest,
    patient: Patient,
    *,
    object_id: object = "",
    object_type: str = OBJECT_TYPE,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> None:
    record_view(request, patient, object_type=object_type, object_id=object_id, outcome=outcome)
