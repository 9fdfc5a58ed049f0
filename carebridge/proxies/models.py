"""Proxy grants: who may act for which patient, with which scopes, until when, and why it ended.

A grant is only data. What it allows on a given day (age rules, end dates) is decided by
`carebridge.proxies.rules`, and every change goes through `carebridge.proxies.services`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient


class ProxyScope(models.TextChoices):
    """What a proxy may do for the patient. Each app asks for the scope it needs."""

    RECORD = "record", _("Health record")
    RESULTS = "results", _("Test results")
    MESSAGING = "messaging", _("Messages with the clinic")
    APPOINTMENTS = "appointments", _("Appointments")
    BILLING = "billing", _("Bills and payments")
    ACCOUNT = "account", _("Account settings")


class GrantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class ProxyRelationship(models.TextChoices):
    PARENT = "parent", _("Parent")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
    SPOUSE_OR_PARTNER = "spouse_or_partner", _("Spouse or partner")
    ADULT_CHILD = "adult_child", _("Adult child")
    OTHER_FAMILY = "other_family", _("Other family member")
    CAREGIVER = "caregiver", _("Caregiver")
    OTHER = "other", _("Other")


# Only these relationships may hold a parental grant, given by clinic staff.
PARENTAL_RELATIONSHIPS = frozenset({ProxyRelationship.PARENT, ProxyRelationship.LEGAL_GUARDIAN})


class EndReason(models.TextChoices):
    REVOKED_BY_PATIENT = "revoked_by_patient", _("Ended by the patient")
    REVOKED_BY_STAFF = "revoked_by_staff", _("Ended by clinic staff")
    WITHDRAWN_BY_PROXY = "withdrawn_by_proxy", _("Ended by the caregiver or parent")
    EXPIRED = "expired", _("The end date passed")
    CAME_OF_AGE = "came_of_age", _("The patient became an adult")
    INVITATION_ENDED = "invitation_ended", _("The invitation expired, was replaced or declined")


OPEN_STATUSES = (GrantStatus.INVITED, GrantStatus.ACTIVE)


class ProxyGrantQuerySet(models.QuerySet["ProxyGrant"]):
    def active(self) -> ProxyGrantQuerySet:
        """Grants whose status is active. Dates and age rules are `rules.effective_scopes`'."""
        return self.filter(status=GrantStatus.ACTIVE)

    def open(self) -> ProxyGrantQuerySet:
        """Grants still invited or active: the ones a patient can change or revoke."""
        return self.filter(status__in=OPEN_STATUSES)

    def for_proxy(self, user: User) -> ProxyGrantQuerySet:
        return self.filter(proxy=user)

    def for_patient(self, patient: Patient) -> ProxyGrantQuerySet:
        return self.filter(patient=patient)


class ProxyGrant(models.Model):
    """A proxy (a portal user) allowed to act for a patient, within scopes, for a time.

    While `invited`, there is no proxy yet: only the invited address and the HMAC of the
    invitation link's token. A caregiver's grant comes from an adult patient's invitation; a
    parental grant (`is_parental`) from clinic staff who checked identity and relationship.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="proxy_grants"
    )
    proxy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_grants",
    )
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=ProxyRelationship.choices
    )
    # ProxyScope values.
    scopes = models.JSONField(_("what they may see and do"), default=list)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    # The last day of access, inclusive; none means until revoked.
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.INVITED
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    is_parental = models.BooleanField(_("parent or guardian of a minor"), default=False)
    # Extra ProxyScope values a patient aged 12 to 17 agreed to share with their parent.
    teen_shared_scopes = models.JSONField(_("shared by the teenager"), default=list, blank=True)
    # How staff checked identity and relationship (a parental grant); never clinical details.
    note = models.CharField(_("note"), max_length=500, blank=True)
    invite_email = models.EmailField(_("invited e-mail address"), blank=True)
    invite_token_digest = models.CharField(max_length=64, blank=True)
    invite_expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=EndReason.choices, blank=True
    )

    objects = ProxyGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        # Held by the front desk and clinic administrators (see `carebridge.clinic.role_groups`).
        permissions = [
            ("grant_proxy_access", "Give and end parents' and guardians' access"),
        ]
        constraints = [
            # One open grant per person: changes go through that grant, not a second one.
            models.UniqueConstraint(
                fields=["patient", "proxy"],
                condition=Q(status__in=OPEN_STATUSES),
                name="proxy_grant_one_open_per_proxy",
            ),
            models.UniqueConstraint(
                fields=["invite_token_digest"],
                condition=~Q(invite_token_digest=""),
                name="proxy_grant_unique_invite_token",
            ),
            models.CheckConstraint(
                condition=~Q(status=GrantStatus.ACTIVE) | Q(proxy__isnull=False),
                name="proxy_grant_active_has_proxy",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES) | Q(ended_at__isnull=False),
                name="proxy_grant_ended_has_time",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="proxy_grant_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["proxy", "status"], name="proxy_grant_proxy_status"),
            models.Index(fields=["patient", "status"], name="proxy_grant_patient_status"),
        ]

    def __str__(self) -> str:
        return f"Proxy grant {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
