"""The append-only, hash-chained audit trail.

Each event stores the hash of the event before it, so editing or removing an event breaks the
chain, and `carebridge verify-audit` finds where. Nothing in the code updates or deletes events:
the model refuses, and database triggers refuse too (see the migrations).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Added")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Removed")
    EXPORT = "export", _("Downloaded")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed to sign in")
    SIGN_OUT = "sign_out", _("Signed out")
    ENROL = "enrol", _("Created a portal account")
    INVITE = "invite", _("Issued an activation code")
    IMPORT = "import", _("Imported")
    RELEASE = "release", _("Released")
    SHARE = "share", _("Sent to someone else")
    GRANT = "grant", _("Gave access")
    REVOKE = "revoke", _("Ended access")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Allowed")
    DENIED = "denied", _("Denied")


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def for_patient(self, patient_id: uuid.UUID | str) -> AppendOnlyQuerySet:
        return self.filter(patient_id=patient_id)


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # A snapshot of the actor's name, so the trail stays readable whatever happens to the account.
    actor_label = models.CharField(max_length=200, blank=True)
    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # How the actor was related to the patient: self, staff, or (later) proxy.
    acting_as = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(
        max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["patient", "-occurred_at"], name="audit_patient_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def compute_hash(self) -> str:
        """The SHA-256 over this event's content and the previous event's hash."""
        parts = [
            self.prev_hash,
            str(self.sequence),
            self.occurred_at.isoformat(timespec="microseconds"),
            str(self.actor_id or ""),
            self.actor_label,
            str(self.patient_id or ""),
            self.acting_as,
            self.action,
            self.object_type,
            self.object_id,
            self.outcome,
            self.ip,
            self.user_agent,
            self.request_id,
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row: the newest event's sequence and hash. Locking it serialises appends."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"Audit chain head at {self.sequence}"
