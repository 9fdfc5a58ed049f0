"""The outbox: the one way the portal's notices leave.

A notice is a row written in the transaction of the change it tells about, so a change that
rolls back sends nothing and a change that commits cannot lose its notice. Its delivery is a
task queued after commit (`carebridge db_worker` runs it) and, for retries and lost tasks, the
`carebridge deliver-notices` sweep; see `delivery`.

Privacy rule: callers pass no health information; a notice says there is something new, with
a sign-in link.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from carebridge.accounts.languages import in_language_of_address
from carebridge.clinic.models import Clinic, StaffMember
from carebridge.notifications.models import Notice, NoticeKind
from carebridge.patients.models import Patient

logger = logging.getLogger(__name__)


def sign_in_link() -> str:
    return settings.CAREBRIDGE_BASE_URL + reverse("account_login")


def queue_notice(
    *,
    kind: NoticeKind,
    address: str,
    subject: str | Promise,
    body: str | Promise,
    clinic: Clinic | None = None,
) -> Notice | None:
    """Write one plain-text notice to the outbox, in the caller's transaction, and queue its
    delivery for after commit. No address, no notice. `clinic` (found from the address when not
    given) is the clinic whose administrators see the notice if it cannot be delivered.
    A lazy subject or body (gettext_lazy) is written in the recipient's language.

    Privacy rule: the body holds no health information."""
    if not address:
        return None
    now = timezone.now()
    with in_language_of_address(address):
        subject, body = str(subject), str(body)
    notice = Notice.objects.create(
        kind=kind,
        to_address=address,
        subject=subject,
        body=body,
        clinic=clinic or _clinic_of_address(address),
        next_attempt_at=now,
        created_at=now,
        queued_at=now,
    )
    # Robust: a task queue that cannot be reached must not undo or break the change; the
    # sweep delivers the notice instead.
    transaction.on_commit(functools.partial(enqueue_delivery, notice.pk), robust=True)
    return notice


def enqueue_delivery(notice_id: int) -> None:
    """Queue the task that delivers one notice (call after commit)."""
    from carebridge.notifications.tasks import deliver_notice_task

    deliver_notice_task.enqueue(notice_id)


def _clinic_of_address(address: str) -> Clinic | None:
    """The clinic of the patient or staff member who reads mail at `address`, if any."""
    patient = (
        Patient.objects.filter(user__email__iexact=address).select_related("clinic").first()
        or Patient.objects.filter(email__iexact=address).select_related("clinic").first()
    )
    if patient is not None:
        return patient.clinic
    member = StaffMember.objects.filter(user__email__iexact=address).select_related("clinic")
    staff = member.first()
    return staff.clinic if staff is not None else None


def send_after_commit(
    address: str,
    subject: str | Promise,
    paragraphs: Sequence[str | Promise],
    *,
    kind: NoticeKind,
    clinic: Clinic | None = None,
) -> None:
    """Queue one plain-text notice made of `paragraphs` (lazy ones written in the recipient's
    language). Privacy rule: callers pass no health information."""
    with in_language_of_address(address):
        body = "\n\n".join(str(paragraph) for paragraph in paragraphs) + "\n"
        queue_notice(kind=kind, address=address, subject=str(subject), body=body, clinic=clinic)


def email_after_commit(
    address: str, subject: str | Promise, sentence: str | Promise, *, kind: NoticeKind
) -> None:
    """A notice that something is waiting, with the sign-in link, in the recipient's language
    when `subject` and `sentence` are lazy (gettext_lazy)."""
    paragraphs = [sentence, gettext_lazy("Sign in to read it:"), sign_in_link()]
    send_after_commit(address, subject, paragraphs, kind=kind)
