"""Account writes: activation codes, enrolment, and the record of sign-ins and sign-outs."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import time

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from carebridge.accounts.eligibility import is_old_enough_for_own_account, too_young_words
from carebridge.accounts.models import ActivationCode, User
from carebridge.audit.models import AuditAction, AuditEvent, AuditOutcome
from carebridge.audit.services import record_event
from carebridge.core.http import user_agent
from carebridge.lib.codes import new_code, normalise_code
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import queue_notice
from carebridge.patients.models import Patient

SIGNED_IN_AT = "carebridge_signed_in_at"
LAST_SEEN_AT = "carebridge_last_seen_at"


def hash_activation_code(code: str) -> str:
    return salted_hmac("carebridge.activation-code", normalise_code(code)).hexdigest()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_activation_code(
    *, actor: User | None, patient: Patient, request: HttpRequest | None = None
) -> str:
    """Issue a new single-use activation code for a patient and return it (shown once).

    Any earlier unused code for the same patient stops working. Audited as an invitation.
    Refused for a child below the clinic's age for an account of their own (code "too_young").
    """
    if patient.user_id is not None:
        raise ValidationError(_("This patient already has a portal account."))
    if not is_old_enough_for_own_account(patient):
        raise ValidationError(too_young_words(patient), code="too_young")
    code = new_code()
    now = timezone.now()
    with transaction.atomic():
        ActivationCode.objects.usable().filter(patient=patient).update(revoked_at=now)
        activation = ActivationCode.objects.create(
            patient=patient,
            code_hash=hash_activation_code(code),
            created_by=actor,
            created_at=now,
            expires_at=now + datetime.timedelta(days=patient.clinic.activation_code_days),
        )
        record_event(
            actor=actor,
            action=AuditAction.INVITE,
            object_type="activation_code",
            object_id=activation.pk,
            patient=patient,
            acting_as="staff" if actor is not None else "system",
            request=request,
        )
    return code


def match_activation_code(code: str, birth_date: datetime.date) -> ActivationCode | None:
    """The usable code matching both the code and the patient's date of birth, else None.

    A wrong code, a wrong date of birth, and a used or expired code all give None, so the
    caller can only ever say one thing.
    """
    activation = (
        ActivationCode.objects.usable()
        .select_related("patient__clinic")
        .filter(code_hash=hash_activation_code(code), patient__user__isnull=True)
        .first()
    )
    if activation is None or activation.patient.birth_date != birth_date:
        return None
    return activation


def send_enrolment_link(*, activation: ActivationCode, email: str, request: HttpRequest) -> None:
    """Send the address a one-time link that proves the patient can read mail there."""
    token = secrets.token_urlsafe(32)
    activation.pending_email = email.strip().lower()
    activation.email_token_hash = _hash_token(token)
    activation.email_token_sent_at = timezone.now()
    activation.save(update_fields=["pending_email", "email_token_hash", "email_token_sent_at"])
    link = request.build_absolute_uri(reverse("accounts:enrol-verify", args=[token]))
    context = {"link": link, "hours": settings.CAREBRIDGE_ENROL_LINK_SECONDS // 3600}
    queue_notice(
        kind=NoticeKind.ACCOUNT,
        address=activation.pending_email,
        subject=_("[Carebridge] Confirm your e-mail address"),
        body=render_to_string("accounts/email/enrol_confirm.txt", context),
        clinic=activation.patient.clinic,
    )


def find_enrolment_by_token(token: str) -> ActivationCode | None:
    """The usable activation whose e-mail link carries this token and has not expired."""
    oldest = timezone.now() - datetime.timedelta(seconds=settings.CAREBRIDGE_ENROL_LINK_SECONDS)
    return (
        ActivationCode.objects.usable()
        .select_related("patient__clinic")
        .filter(
            email_token_hash=_hash_token(token),
            email_token_sent_at__gt=oldest,
            patient__user__isnull=True,
        )
        .first()
    )


def is_email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def enrol_patient(*, activation: ActivationCode, password: str, request: HttpRequest) -> User:
    """Create the patient's portal account from a verified activation, using up the code.

    Runs in one transaction: the code is locked, so two tabs cannot both use it. Refused for a
    child below the clinic's age for an account of their own, whenever the code was issued.
    """
    with transaction.atomic():
        locked = ActivationCode.objects.select_for_update().get(pk=activation.pk)
        patient = Patient.objects.select_for_update().get(pk=locked.patient_id)
        if not locked.is_usable or patient.user_id is not None:
            raise ValidationError(_("This activation code has already been used."))
        if not is_old_enough_for_own_account(patient):
            raise ValidationError(too_young_words(patient), code="too_young")
        if is_email_taken(locked.pending_email):
            raise ValidationError(_("An account with this e-mail address already exists."))
        user = User.objects.create_user(
            email=locked.pending_email,
            password=password,
            first_name=patient.preferred_name or patient.given_name,
            last_name=patient.family_name,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        patient.user = user
        patient.save(update_fields=["user", "updated_at"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        record_event(
            actor=user,
            action=AuditAction.ENROL,
            object_type="account",
            object_id=user.pk,
            patient=patient,
            acting_as="self",
            request=request,
        )
    return user


def start_session_clock(request: HttpRequest) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def record_sign_in(*, request: HttpRequest, user: User) -> None:
    """Audit a successful sign-in, start the session clocks, and e-mail about new browsers.

    The e-mail says only that a sign-in happened, when and from which browser and address.
    """
    start_session_clock(request)
    agent = user_agent(request)
    is_known_browser = (
        AuditEvent.objects.filter(
            actor=user, action=AuditAction.SIGN_IN, user_agent=agent, outcome=AuditOutcome.SUCCESS
        )
        .only("pk")
        .exists()
    )
    _record_own_account_event(
        request=request, user=user, action=AuditAction.SIGN_IN, object_type="session"
    )
    if not is_known_browser:
        # Written to the outbox in the sign-in's transaction, while the adapter can see the
        # request the e-mail describes.
        get_adapter(request).send_notification_mail("accounts/email/new_sign_in", user)


def record_sign_in_failure(*, request: HttpRequest) -> None:
    """Audit a failed sign-in without saying which account, known or not, was tried."""
    record_event(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        object_type="session",
        outcome=AuditOutcome.DENIED,
        request=request,
    )


def record_second_step_failure(*, request: HttpRequest | None, user: User) -> None:
    """Audit a wrong two-step code: the password was right, so the account is named.

    It tells the account holder (and the clinic) that someone may know their password.
    """
    _record_own_account_event(
        request=request,
        user=user,
        action=AuditAction.SIGN_IN_FAILED,
        object_type="second_step",
        outcome=AuditOutcome.DENIED,
    )


def record_sign_out(*, request: HttpRequest, user: User, reason: str = "") -> None:
    _record_own_account_event(
        request=request,
        user=user,
        action=AuditAction.SIGN_OUT,
        object_type="session_timeout" if reason == "timeout" else "session",
    )


def _record_own_account_event(
    *,
    request: HttpRequest | None,
    user: User,
    action: AuditAction,
    object_type: str,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> None:
    """Audit something a user did to their own account, tied to their record if they have one."""
    patient = Patient.objects.filter(user=user).first()
    record_event(
        actor=user,
        action=action,
        object_type=object_type,
        patient=patient,
        acting_as="self" if patient else "",
        outcome=outcome,
        request=request,
    )


def save_language(*, user: User, language: str, request: HttpRequest | None = None) -> bool:
    """Keep `language` (an offered code) as the language of `user`'s pages and e-mails.
    Returns whether it changed. Audited as a change to the account, old and new codes only."""
    if user.language == language:
        return False
    with transaction.atomic():
        previous = user.language
        user.language = language
        user.save(update_fields=["language"])
        patient = Patient.objects.filter(user=user).first()
        record_event(
            actor=user,
            action=AuditAction.UPDATE,
            object_type="account_language",
            object_id=user.pk,
            patient=patient,
            acting_as="self" if patient else "",
            request=request,
            changes={"language": {"before": previous, "after": language}},
        )
    return True
