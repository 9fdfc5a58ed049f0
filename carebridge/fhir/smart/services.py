"""Connecting an app to a patient's record: the one write of the consent page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.fhir.models import Connection

if TYPE_CHECKING:
    from oauth2_provider.models import Application

    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient


def connect_app(
    *, actor: Actor, application: Application, patient: Patient, scope: str, acting_as: str
) -> Connection:
    """Record that `actor.user` let the app read `patient`'s record with `scope`.

    Audit rule: one CREATE "app_connection" event for the patient, in the same transaction,
    naming the app and the scopes granted (no health information). The caller has checked that
    the user may act for the patient as `acting_as` and that the patient's clinic offers the app.
    """
    user = actor.user
    if user is None:
        raise ValueError("Only a signed-in person can connect an app.")
    with transaction.atomic():
        connection = Connection.objects.create(
            application=application,
            user=user,
            patient=patient,
            scope=scope,
            acting_as=acting_as,
            created_at=actor.now,
        )
        record_event(
            actor=user,
            action=AuditAction.CREATE,
            object_type="app_connection",
            object_id=connection.pk,
            patient=patient,
            acting_as=acting_as,
            request=actor.request,
            changes={
                "app": {"before": None, "after": str(application.name)},
                "scope": {"before": None, "after": scope},
            },
        )
    return connection
