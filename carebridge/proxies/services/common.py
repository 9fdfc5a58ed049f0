"""Helpers shared by the proxy services: tokens, scope checks, audit events and e-mails."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.accounts.languages import in_language_of_address
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic, StaffMember
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import queue_notice
from carebridge.proxies import rules
from carebridge.proxies.models import (
    EndReason,
    ProxyGrant,
    ProxyScope,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient


def hash_invite_token(token: str) -> str:
    return salted_hmac("carebridge.proxy-invitation", token).hexdigest()


def invitation_link(token: str) -> str:
    """The absolute address of the page where the invited person accepts (the e-mail's link)."""
    return settings.CAREBRIDGE_BASE_URL + reverse("proxies:invitation-accept", args=[token])


def clean_scopes(scopes: Iterable[str], *, allow_empty: bool = False) -> list[str]:
    """Known scopes, de-duplicated and sorted; a ValidationError for unknown or none."""
    chosen = sorted(set(scopes))
    unknown = [scope for scope in chosen if scope not in rules.ALL_SCOPES]
    if unknown:
        raise ValidationError(
            _("Unknown kind of access: %(scopes)s.") % {"scopes": ", ".join(unknown)}
        )
    if not chosen and not allow_empty:
        raise ValidationError(_("Choose at least one thing they may see or do."))
    return chosen


def is_adult(patient: Patient) -> bool:
    today = rules.clinic_today(patient.clinic)
    return rules.age_band(patient.birth_date, today, patient.clinic) is rules.AgeBand.ADULT


def is_own_user(patient: Patient, user: User | None) -> bool:
    return user is not None and patient.user_id is not None and patient.user_id == user.pk


def clinic_staff(actor: User, patient: Patient) -> StaffMember | None:
    """The actor's active staff membership at the patient's clinic, else None."""
    return StaffMember.objects.filter(
        user=actor, is_active=True, clinic_id=patient.clinic_id
    ).first()


# The staff permission (front desk, clinic administrators) to give and end parents' access.
GRANT_PERMISSION = "proxies.grant_proxy_access"


def may_manage_proxy_access(actor: User, patient: Patient) -> bool:
    """Whether the actor is active staff of the patient's clinic whose role gives and ends
    parents' and guardians' access (`GRANT_PERMISSION`)."""
    return actor.has_perm(GRANT_PERMISSION) and clinic_staff(actor, patient) is not None


def send_after_commit(
    subject: str | Promise,
    template: str,
    recipients: Iterable[str],
    context: Mapping[str, object],
    *,
    clinic: Clinic,
) -> None:
    """Write one notice per address to the outbox (no address, no notice), each in the
    language of whoever reads mail there: a lazy subject, and the body rendered in it."""
    for address in sorted({email for email in recipients if email}):
        with in_language_of_address(address):
            message = render_to_string(f"proxies/email/{template}.txt", dict(context))
            words = str(subject)
        queue_notice(
            kind=NoticeKind.INVITATION,
            address=address,
            subject=words,
            body=message,
            clinic=clinic,
        )


def audit_grant(
    *,
    actor: User | None,
    action: AuditAction,
    grant: ProxyGrant,
    acting_as: str,
    object_type: str = "proxy_grant",
    request: HttpRequest | None = None,
) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=grant.pk,
        patient=grant.patient,
        acting_as=acting_as,
        request=request,
    )


def invitation_type(grant: ProxyGrant) -> str:
    """The audit object type of an invitation: staff invite a parent, a patient a caregiver."""
    return "guardian_invitation" if grant.is_parental else "proxy_invitation"


def is_invited_person(user: User, address: str) -> bool:
    """Whether `address` is one of the user's verified e-mail addresses (any case).

    An invitation is bound to the address it was sent to: holding its link is not enough.
    """
    if not address:
        return False
    return EmailAddress.objects.filter(user=user, verified=True, email__iexact=address).exists()


def masked_address(address: str) -> str:
    """The address with its local part hidden but for the first letter: "j***@example.org"."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def scope_words(scopes: Iterable[str]) -> list[str]:
    """What a grant covers, in plain words (the scopes' labels), in the order of `ProxyScope`."""
    chosen = set(scopes)
    return [str(label) for value, label in ProxyScope.choices if value in chosen]


def sign_in_link() -> str:
    return settings.CAREBRIDGE_BASE_URL + reverse("account_login")


def end_grant(grant: ProxyGrant, *, actor: User | None, reason: str, status: str) -> None:
    grant.status, grant.end_reason = status, reason
    grant.ended_at, grant.ended_by = timezone.now(), actor
    grant.invite_token_digest, grant.invite_expires_at = "", None
    grant.save()


def tell_both_access_ended(grant: ProxyGrant) -> None:
    context = {"link": sign_in_link(), "reason": EndReason(grant.end_reason).label}
    proxy_email = grant.proxy.email if grant.proxy is not None else ""
    send_after_commit(
        gettext_lazy("[Carebridge] Your access to help someone has ended"),
        "access_ended_proxy",
        [proxy_email],
        context,
        clinic=grant.patient.clinic,
    )
    send_after_commit(
        gettext_lazy("[Carebridge] Someone's access to help you has ended"),
        "access_ended_patient",
        [grant.patient.notice_address],
        context,
        clinic=grant.patient.clinic,
    )


def tell_both_access_given(grant: ProxyGrant) -> None:
    """The proxy, and the patient if they have an account of their own, hear that access was
    given and what it covers (the scopes in words: never names, the clinic, or health data).

    A caregiver's patient invited them; a parent's grant came from clinic staff, so the child
    (a teenager with an account) hears what their parent was given. Written to the outbox.
    """
    context = {"link": sign_in_link(), "scopes": scope_words(grant.scopes)}
    clinic = grant.patient.clinic
    proxy_email = grant.proxy.email if grant.proxy is not None else ""
    if grant.is_parental:
        send_after_commit(
            gettext_lazy("[Carebridge] You can now help with a family member's care"),
            "access_given",
            [proxy_email],
            context,
            clinic=clinic,
        )
        own_account = grant.patient.user
        send_after_commit(
            gettext_lazy("[Carebridge] Your parent or guardian now has access to your account"),
            "parent_access_given_patient",
            [own_account.email if own_account is not None else ""],
            {**context, "teen_from": clinic.proxy_full_access_under_age},
            clinic=clinic,
        )
        return
    send_after_commit(
        gettext_lazy("[Carebridge] You can now help someone with their care"),
        "invitation_accepted_proxy",
        [proxy_email],
        context,
        clinic=clinic,
    )
    send_after_commit(
        gettext_lazy("[Carebridge] Someone you invited can now help you"),
        "invitation_accepted",
        [grant.patient.notice_address],
        context,
        clinic=clinic,
    )
