"""Reading the requests from the record for the patient's side: the list (what was asked in
short, who asked, the status), one request's steps, and what the refill form offers (the
medicines the record shows as taken now, and the pharmacy named last time).

Privacy rule: every reader takes the patient from `messaging.access` (or the viewer's
`RecordScope`), never an id from the request. Lists run a fixed number of queries.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carebridge.messaging.models import CareRequest, CareRequestStatus, RequestKind, WrittenAs
from carebridge.messaging.selectors import writer_words
from carebridge.records.models import ResourceType
from carebridge.records.selectors.sections import ACTIVE_MEDICATION, visible_of_types

if TYPE_CHECKING:
    from carebridge.patients.models import Patient
    from carebridge.records.scope import RecordScope

REQUESTS_PER_PAGE = 20
ANSWERED = (CareRequestStatus.APPROVED, CareRequestStatus.DENIED)


@dataclass(frozen=True)
class RequestRow:
    care_request: CareRequest
    # What was asked, in a few words: the medicines, the specialist, or the records.
    asked_for: str
    asked_by: str


@dataclass(frozen=True)
class RequestListing:
    page: Page[CareRequest]
    rows: list[RequestRow]


def visible_requests(patient: Patient, *, hides_patients_own: bool) -> QuerySet[CareRequest]:
    """The patient's requests one viewer on the patient's side may see: for a teenager's parent
    (`hides_patients_own`, from the acting context), not the ones the teenager made."""
    requests = CareRequest.objects.filter(patient=patient)
    return requests.exclude(created_as=WrittenAs.SELF) if hides_patients_own else requests


def list_requests(
    patient: Patient, page_number: str | None, *, hides_patients_own: bool
) -> RequestListing:
    """The requests the viewer may see, newest first, 20 a page (a count and a page: two
    queries)."""
    requests = (
        visible_requests(patient, hides_patients_own=hides_patients_own)
        .select_related("created_by")
        .order_by("-created_at", "pk")
    )
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(page_number)
    rows = [
        RequestRow(care_request=r, asked_for=asked_for(r), asked_by=asked_by(r, patient))
        for r in page.object_list
    ]
    return RequestListing(page=page, rows=rows)


def asked_for(care_request: CareRequest) -> str:
    details = care_request.details
    if care_request.kind == RequestKind.REFILL:
        return ", ".join(str(name) for name in details.get("medicines", []))
    if care_request.kind == RequestKind.REFERRAL:
        return str(details.get("specialty", ""))
    if care_request.kind == RequestKind.VISIT:
        if details.get("change") == "cancel":
            return _("Cancel an appointment")
        return _("Move an appointment")
    return str(details.get("records", ""))


def asked_by(care_request: CareRequest, patient: Patient) -> str:
    """The patient's name, or "Cora Caregiver on behalf of Pat Patient"."""
    return writer_words(care_request.created_as, care_request.created_by, patient)


class StepState(enum.StrEnum):
    DONE = "done"
    NOW = "now"
    NOT_YET = "not-yet"


@dataclass(frozen=True)
class Step:
    """One step of a request, which the page puts in words: "sent", "looked_at", "answer"
    (not yet given), "approved" or "denied"."""

    key: str
    state: StepState
    when: datetime.datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class RequestPage:
    care_request: CareRequest
    asked_by: str
    steps: list[Step]


def get_request_page(care_request: CareRequest, patient: Patient) -> RequestPage:
    """One request (from `access_care_request`) with who asked and its steps."""
    return RequestPage(
        care_request=care_request,
        asked_by=asked_by(care_request, patient),
        steps=request_steps(care_request),
    )


def request_steps(care_request: CareRequest) -> list[Step]:
    """Sent; being looked at; the answer, with the clinic's note (or: withdrawn). No query."""
    status = care_request.status
    if status == CareRequestStatus.WITHDRAWN:
        sent = Step("sent", StepState.DONE, when=care_request.created_at)
        return [sent, Step("withdrawn", StepState.DONE, when=care_request.decided_at)]
    if status == CareRequestStatus.SUBMITTED:
        looked_at = StepState.NOT_YET
    else:
        looked_at = StepState.NOW if status == CareRequestStatus.IN_REVIEW else StepState.DONE
    return [
        Step("sent", StepState.DONE, when=care_request.created_at),
        Step("looked_at", looked_at),
        answer_step(care_request),
    ]


def answer_step(care_request: CareRequest) -> Step:
    if care_request.status not in ANSWERED:
        return Step("answer", StepState.NOT_YET)
    return Step(
        "approved" if care_request.status == CareRequestStatus.APPROVED else "denied",
        StepState.DONE,
        when=care_request.decided_at,
        note=care_request.decision_note,
    )


@dataclass(frozen=True)
class Medicine:
    """A medicine the record shows as taken now: the resource's id (an opaque number, no
    health information) and its name as the medications page shows it."""

    value: str
    name: str


def list_current_medicines(scope: RecordScope) -> list[Medicine]:
    """The named prescriptions and medication statements the viewer may see that are active or
    paused, by name, each name once (one query)."""
    rows = (
        visible_of_types(scope, ResourceType.MEDICATION_REQUEST, ResourceType.MEDICATION_STATEMENT)
        .filter(clinical_status__in=ACTIVE_MEDICATION)
        .exclude(code_display="")
        .order_by("code_display", "pk")
        .values_list("pk", "code_display")
    )
    by_name: dict[str, Medicine] = {}
    for pk, name in rows:
        by_name.setdefault(name.casefold(), Medicine(value=str(pk), name=name))
    return sorted(by_name.values(), key=lambda medicine: medicine.name.casefold())


def last_pharmacy(patient: Patient, *, hides_patients_own: bool) -> str:
    """The pharmacy named in the most recent refill request the viewer may see ("" if none)."""
    last = (
        visible_requests(patient, hides_patients_own=hides_patients_own)
        .filter(kind=RequestKind.REFILL)
        .order_by("-created_at", "-pk")
        .only("details")
        .first()
    )
    pharmacy = last.details.get("pharmacy", "") if last is not None else ""
    return pharmacy if isinstance(pharmacy, str) else ""
