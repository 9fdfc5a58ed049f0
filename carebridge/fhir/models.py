"""The patients' apps: which apps the clinic has registered, which a person has connected to
which patient's record with which scopes, and which tokens belong to each connection.

The OAuth 2.0 records themselves (applications, grants, access and refresh tokens) are
django-oauth-toolkit's; these models add what SMART App Launch and the portal need beside them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppRegistration(models.Model):
    """An app a clinic administrator registered for the clinic's patients to connect."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="registration"
    )
    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.PROTECT, related_name="apps")
    description = models.TextField(_("what the app does, in plain words"), blank=True)
    website = models.URLField(_("the app's website"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    # An app the clinic stops offering: new connections are refused, existing tokens stop.
    is_active = models.BooleanField(_("offered to patients"), default=True)

    def __str__(self) -> str:
        return f"App registration {self.pk}"


class ConnectionQuerySet(models.QuerySet["Connection"]):
    def active(self) -> ConnectionQuerySet:
        return self.filter(revoked_at__isnull=True)


class Connection(models.Model):
    """One person's permission for one app to read one patient's record, with the scopes they
    agreed to (after unticking any). The patient themself, or a caregiver or parent for someone
    they act for; disconnecting revokes every token of it at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="connections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_connections"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="app_connections"
    )
    # The scopes granted, space-separated (see `fhir.scopes`).
    scope = models.TextField()
    # "self" or "proxy": as whom the person connected the app.
    acting_as = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["patient", "revoked_at"], name="connection_patient")]

    def __str__(self) -> str:
        return f"Connection {self.pk}"


class TokenLink(models.Model):
    """Which connection an access token was issued for (refreshing keeps the link)."""

    access_token = models.OneToOneField(
        "oauth2_provider.AccessToken", on_delete=models.CASCADE, related_name="connection_link"
    )
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="tokens")

    def __str__(self) -> str:
        return f"Token link {self.pk}"


class GrantLink(models.Model):
    """Which connection an authorization code was issued for, so that the token it is exchanged
    for is linked to the same connection (the code itself carries only user, app and scopes)."""

    grant = models.OneToOneField(
        "oauth2_provider.Grant", on_delete=models.CASCADE, related_name="connection_link"
    )
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="grants")

    def __str__(self) -> str:
        return f"Grant link {self.pk}"
