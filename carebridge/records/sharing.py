"""Sending a health summary to someone else (another doctor): create, open, revoke.

The patient chooses the parts and dates; Carebridge makes a link (a random token) and a random
passcode, keeps only their HMACs, and e-mails the recipient the link alone. The patient gives the
passcode by another route, such as the phone. The link opens once, with the passcode, before it
expires; five wrong passcodes lock it.
"""

from __future__ import annotations

import datetime
import enum
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction, AuditOutcome
from carebridge.audit.services import record_event
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import queue_notice
from carebridge.records.exports.selection import Selection
from carebridge.records.models import RecordShare
from carebridge.records.scope import RecordScope

if TYPE_CHECKING:
    from carebridge.core.http import AuthenticatedRequest
    from carebridge.patients.models import Patient

PASSCODE_DIGITS = 8
MAX_FAILED_ATTEMPTS = 5
# After opening, the recipient may download the C-CDA once, within this time.
DOWNLOAD_MINUTES = 30
RECIPIENT = "recipient"
SHARES_LISTED = 50


class OpenResult(enum.Enum):
    OPENED = "opened"
    WRONG_PASSCODE = "wrong"
    LOCKED = "locked"
    # Opened, revoked or expired meanwhile (another tab, the patient, the clock).
    GONE = "gone"


class ShareStatus(enum.StrEnum):
    WAITING = "waiting"
    OPENED = "opened"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    LOCKED = "locked"


@dataclass(frozen=True)
class NewShare:
    share: RecordShare
    # Shown to the patient once, on the confirmation page; only its HMAC is stored.
    passcode: str


def token_digest(token: str) -> str:
    return salted_hmac("carebridge.record-share.token", token).hexdigest()


def normalise_passcode(text: str) -> str:
    """Digits only, so "4821 0937" and "4821-0937" both match."""
    return "".join(char for char in text if char.isdigit())


def passcode_digest(share_id: uuid.UUID, passcode: str) -> str:
    # Bound to the share, so the same passcode on two shares gives two digests.
    value = f"{share_id}:{normalise_passcode(passcode)}"
    return salted_hmac("carebridge.record-share.passcode", value).hexdigest()


def new_passcode() -> str:
    """Eight random digits, written in two groups of four ("4821 0937") to read aloud."""
    digits = "".join(secrets.choice("0123456789") for _ in range(PASSCODE_DIGITS))
    return f"{digits[:4]} {digits[4:]}"


def create_share(
    *, request: AuthenticatedRequest, patient: Patient, recipient_email: str, selection: Selection
) -> NewShare:
    """Create a share of the chosen parts of the patient's record and e-mail its link.

    Privacy rule: the e-mail, sent after commit, holds the link and the sender's first name,
    never the passcode or anything from the record. Audit: one "share" event, in the
    transaction, naming the share by its id.
    """
    token, passcode, now = secrets.token_urlsafe(32), new_passcode(), timezone.now()
    share_id = uuid.uuid4()
    with transaction.atomic():
        share = RecordShare.objects.create(
            id=share_id,
            patient=patient,
            created_by=request.user,
            recipient_email=recipient_email,
            token_digest=token_digest(token),
            passcode_digest=passcode_digest(share_id, passcode),
            sections=list(selection.sections),
            date_from=selection.date_from,
            date_to=selection.date_to,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.CAREBRIDGE_SHARE_LINK_DAYS),
        )
        record_event(
            actor=request.user,
            action=AuditAction.SHARE,
            object_type="record_share",
            object_id=share.pk,
            patient=patient,
            acting_as=request.acting.relationship.value,
            request=request,
        )
        _email_link(share, token)
    return NewShare(share=share, passcode=passcode)


def sender_name(share: RecordShare) -> str:
    """Who sent the summary, by first name: the patient, or "Cora (for Pat)" when a caregiver
    or parent sent it on the patient's behalf."""
    patient = share.patient
    name = patient.preferred_name or patient.given_name
    if is_made_by_patient(share):
        return name
    sender = share.created_by.first_name or _("Someone")
    return _("%(sender)s (for %(patient)s)") % {"sender": sender, "patient": name}


def is_made_by_patient(share: RecordShare) -> bool:
    return share.patient.user_id is not None and share.created_by_id == share.patient.user_id


def _email_link(share: RecordShare, token: str) -> None:
    link = settings.CAREBRIDGE_BASE_URL + reverse("shared:shared-open", args=[token])
    name = sender_name(share)
    body = render_to_string(
        "records/email/share_link.txt",
        {"name": name, "link": link, "expires_on": expiry_day(share)},
    )
    subject = _("[Carebridge] %(name)s sent you a health summary") % {"name": name}
    queue_notice(
        kind=NoticeKind.SHARE,
        address=share.recipient_email,
        subject=subject,
        body=body,
        clinic=share.patient.clinic,
    )


def expiry_day(share: RecordShare) -> datetime.date:
    """The day the link stops working, in the sharer's clinic's time zone."""
    return share.expires_at.astimezone(ZoneInfo(share.patient.clinic.time_zone)).date()


def scope_of(share: RecordShare) -> RecordScope:
    """What of the record a share may show: for a share made by someone acting for the patient
    (anyone but the patient themself), nothing labelled sensitive, since they could not see it.
    The sections were already limited to the parts the sender may see when it was made."""
    return RecordScope(patient=share.patient, hides_sensitive=not is_made_by_patient(share))


def selection_of(share: RecordShare) -> Selection:
    return Selection(
        sections=tuple(share.sections), date_from=share.date_from, date_to=share.date_to
    )


def share_for_token(token: str) -> RecordShare | None:
    """The share this link opens, if it can still be opened; None for every other case."""
    share = (
        RecordShare.objects.filter(token_digest=token_digest(token))
        .select_related("patient__clinic")
        .first()
    )
    return share if share is not None and share.is_usable() else None


def open_share(*, share: RecordShare, passcode: str, request: HttpRequest) -> OpenResult:
    """Open the share with its passcode, once.

    Audit: opening is a "view" of the sharer's record by the recipient (no account, so no
    actor); a wrong passcode is the same event, denied. The fifth wrong passcode locks the
    share for good.
    """
    if not constant_time_compare(passcode_digest(share.pk, passcode), share.passcode_digest):
        return _count_failure(share, request)
    now = timezone.now()
    with transaction.atomic():
        # Only one request can take an unopened share: a second tab finds it gone.
        taken = RecordShare.objects.filter(
            pk=share.pk, opened_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(opened_at=now)
        if not taken:
            return OpenResult.GONE
        _record_recipient(share, AuditAction.VIEW, request)
    share.opened_at = now
    return OpenResult.OPENED


def _count_failure(share: RecordShare, request: HttpRequest) -> OpenResult:
    with transaction.atomic():
        RecordShare.objects.filter(pk=share.pk).update(failed_attempts=F("failed_attempts") + 1)
        share.refresh_from_db(fields=["failed_attempts"])
        is_locked = share.failed_attempts >= MAX_FAILED_ATTEMPTS
        if is_locked:
            RecordShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        _record_recipient(share, AuditAction.VIEW, request, outcome=AuditOutcome.DENIED)
    return OpenResult.LOCKED if is_locked else OpenResult.WRONG_PASSCODE


def attempts_left(share: RecordShare) -> int:
    return max(0, MAX_FAILED_ATTEMPTS - share.failed_attempts)


def _record_recipient(
    share: RecordShare,
    action: AuditAction,
    request: HttpRequest,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> None:
    record_event(
        actor=None,
        action=action,
        object_type="record_share",
        object_id=share.pk,
        patient=share.patient,
        acting_as=RECIPIENT,
        outcome=outcome,
        request=request,
    )


def share_for_download(share_id: str, token: str) -> RecordShare | None:
    """The share whose C-CDA the recipient may still download: opened through this link in
    the last `DOWNLOAD_MINUTES` minutes and not revoked since."""
    since = timezone.now() - datetime.timedelta(minutes=DOWNLOAD_MINUTES)
    return (
        RecordShare.objects.filter(
            pk=share_id,
            token_digest=token_digest(token),
            opened_at__gte=since,
            revoked_at__isnull=True,
        )
        .select_related("patient__clinic")
        .first()
    )


def record_recipient_download(*, share: RecordShare, request: HttpRequest) -> None:
    """Audit: the recipient downloaded the summary as a C-CDA ("export", no actor)."""
    _record_recipient(share, AuditAction.EXPORT, request)


def revoke_share(*, request: AuthenticatedRequest, patient: Patient, share_id: str) -> bool:
    """Stop one of the patient's own unopened shares from working. False if there was none.

    Audit: an "update" event on the share, in the same transaction.
    """
    with transaction.atomic():
        revoked = RecordShare.objects.filter(
            pk=share_id, patient=patient, opened_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if revoked:
            record_event(
                actor=request.user,
                action=AuditAction.UPDATE,
                object_type="record_share",
                object_id=share_id,
                patient=patient,
                acting_as=request.acting.relationship.value,
                request=request,
            )
    return bool(revoked)


def share_status(share: RecordShare, now: datetime.datetime) -> ShareStatus:
    if share.opened_at is not None:
        return ShareStatus.OPENED
    if share.revoked_at is not None:
        if share.failed_attempts >= MAX_FAILED_ATTEMPTS:
            return ShareStatus.LOCKED
        return ShareStatus.CANCELLED
    return ShareStatus.WAITING if now < share.expires_at else ShareStatus.EXPIRED


def list_shares(patient: Patient) -> list[tuple[RecordShare, ShareStatus]]:
    """The patient's newest shares (at most `SHARES_LISTED`), each with its status."""
    now = timezone.now()
    shares = RecordShare.objects.filter(patient=patient).order_by("-created_at")[:SHARES_LISTED]
    return [(share, share_status(share, now)) for share in shares]
