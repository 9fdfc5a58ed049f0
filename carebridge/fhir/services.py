"""What the API writes: the audit event of each read, and when the app last read."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.fhir.auth import ApiCaller
from carebridge.fhir.models import Connection

API_READ = "api_read"
# `Connection.last_read_at` is written at most this often, so reads stay cheap.
LAST_READ_EVERY = datetime.timedelta(minutes=1)


def record_api_read(*, caller: ApiCaller, request: HttpRequest) -> None:
    """Audit one API response that returned the patient's data: a VIEW by the connection's
    user, acting as "app", of object "api_read" with the connection's id (so Account activity
    can say which app read). Also notes when the app last read (at most once a minute).

    Privacy rule: the event names the connection only, never the resources or the search.
    """
    now = timezone.now()
    connection = caller.connection
    with transaction.atomic():
        record_event(
            actor=caller.user,
            action=AuditAction.VIEW,
            object_type=API_READ,
            object_id=str(connection.pk),
            patient=caller.patient,
            acting_as="app",
            request=request,
        )
        last = connection.last_read_at
        if last is None or now - last >= LAST_READ_EVERY:
            Connection.objects.filter(pk=connection.pk).update(last_read_at=now)
