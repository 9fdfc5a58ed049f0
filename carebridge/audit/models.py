"""The append-only audit trail, sealed like a transparency log (docs/adr/0003).

A request only inserts its event (and a row in the sealer's queue): it takes no lock that another
request waits for. The sealer (`services.seal_pending_events`) later gives each event a position
and an HMAC chained to the seal before it, so editing, inserting or removing a sealed event breaks
the chain, and `carebridge verify-audit` finds where. Nothing in the code updates or deletes
events or seals: the models refuse, and database triggers refuse too (see the migrations).
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The chain hash "before" the first seal.
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


class AppendOnlyModel(models.Model):
    """A row that can be inserted but never changed or removed through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit rows are append-only.")


class AuditEvent(AppendOnlyModel):
    # The event's id: unique and increasing, given by the database at insert without any lock.
    # An event may commit after a later one; its seal's position, not this, orders the chain.
    sequence = models.BigAutoField(primary_key=True)
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
    # For a change to the clinic's configuration (never to a patient's record): each changed
    # setting's value before and after, as {"field": {"before": ..., "after": ...}}. Null for
    # every other event, which keeps their sealed encoding as it was (see `chain`).
    changes = models.JSONField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["patient", "-occurred_at"], name="audit_patient_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}"


class SealQuerySet(models.QuerySet["AuditSeal"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit seals are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit seals are append-only.")


class AuditSeal(AppendOnlyModel):
    """An event's place in the chain: HMAC(key, previous chain hash || the event's bytes)."""

    position = models.PositiveBigIntegerField(unique=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    chain_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    objects = SealQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Seal {self.position} of event {self.event_id}"


class AuditPendingEvent(models.Model):
    """The sealer's queue: an event recorded but not sealed yet (Trillian's "unsequenced" table).

    The database inserts a row with each event (a trigger: migration 0008); the sealer deletes
    it with the event's seal, in one transaction. It keeps the sealer's query small however long
    the trail grows; `verify-audit` does not trust it and finds unsealed events from the seals
    themselves.
    """

    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Event {self.event_id} waiting for its seal"


class AuditChainHead(models.Model):
    """One row: the newest seal's position and chain hash.

    Only the sealer writes it, and updating it first is how a sealer waits for another: requests
    never touch it.
    """

    position = models.PositiveBigIntegerField(default=0)
    chain_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"Audit chain head at {self.position}"
