"""Writes about the patients' apps: disconnecting an app from a patient's record.

Every function here takes keyword-only arguments, writes in one transaction and records its
audit event inside it. The caller has already checked (see `connected_apps.access`) that the
actor may manage the patient's connected apps.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.fhir.models import Connection

if TYPE_CHECKING:
    from django.http import HttpRequest

    from carebridge.accounts.models import User


def disconnect_app(*, actor: User, connection: Connection, request: HttpRequest | None) -> bool:
    """Stop an app reading the patient's record: mark the connection disconnected and revoke
    every access and refresh token issued for it, so that its next API call is a 401.

    Returns False (and changes nothing) when it was already disconnected. Audit rule: one
    DELETE "app_connection" event for the patient, acting as the patient themself ("self") or as
    the caregiver or parent acting for them ("proxy"), with the moment of disconnection.
    """
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        if locked.revoked_at is not None:
            return False
        now = timezone.now()
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        _revoke_tokens(locked, now)
        record_event(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="app_connection",
            object_id=locked.pk,
            patient=locked.patient,
            acting_as="self" if locked.patient.user_id == actor.pk else "proxy",
            request=request,
            changes={"revoked_at": {"before": None, "after": now.isoformat()}},
        )
    connection.revoked_at = now
    return True


def _revoke_tokens(connection: Connection, now: datetime.datetime) -> None:
    # Refresh tokens are marked revoked (django-oauth-toolkit refuses those); access tokens are
    # deleted, which is what the toolkit's own revocation does, so no check can still pass them.
    tokens = AccessToken.objects.filter(connection_link__connection=connection)
    RefreshToken.objects.filter(access_token__in=tokens, revoked__isnull=True).update(revoked=now)
    AccessToken.objects.filter(pk__in=list(tokens.values_list("pk", flat=True))).delete()
