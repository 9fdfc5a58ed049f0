"""Identity: portal users and the activation codes that let patients enrol."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


def new_kept_key() -> str:
    """A fresh random key: see `User.kept_key`."""
    return secrets.token_hex(8)


class User(AbstractUser):
    """A person who signs in: a patient, a caregiver, or a member of staff.

    Signs in by e-mail address; there is no username.
    """

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    # The language the person chose for pages and e-mails ("en", "es"); blank until they
    # choose, when the browser's language (or the language cookie) decides.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    # Changes (to a new random value) whenever anything a process keeps for this person changes:
    # whom they may act for (their grants, staff memberships, own record, those patients or
    # their clinics) and their unread messages. Each request reads it with the user, so what is
    # kept (carebridge/proxies/kept.py) is used only while current. Random, not a counter: a
    # user id used again never meets an older user's kept values.
    kept_key = models.CharField(max_length=16, default=new_kept_key, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class ActivationCodeQuerySet(models.QuerySet["ActivationCode"]):
    def usable(self) -> ActivationCodeQuerySet:
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class ActivationCode(models.Model):
    """A single-use code the clinic gives a patient so they can create their portal account.

    Only a keyed hash of the code is stored: a database leak does not leak usable codes.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="activation_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Step two of enrolment: the address the patient gave, and a hash of the link sent there.
    pending_email = models.EmailField(blank=True)
    email_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    email_token_sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Activation code {self.pk}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class SetupChecklist(models.Model):
    """The first-visit checklist of one person: which steps they did or put aside, and whether
    they have seen it after signing in and dismissed it.

    Two steps come from the real state elsewhere (two-step verification on; a caregiver
    invitation sent) and have no column; the others are recorded here when the person does them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="setup_checklist"
    )
    # Sent to the checklist after a sign-in (once only).
    landed_at = models.DateTimeField(null=True, blank=True)
    # Saved or confirmed My details.
    details_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Opened "How to read a result" on the help page.
    result_help_read_at = models.DateTimeField(null=True, blank=True)
    # Answered "Not now" to inviting a caregiver.
    caregiver_declined_at = models.DateTimeField(null=True, blank=True)
    # "Skip for now": the home page keeps offering it; "Don't show again": never again.
    skipped_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Set-up checklist of {self.user_id}"
