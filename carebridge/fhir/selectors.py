"""Reads about connections for display elsewhere (Account activity)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from carebridge.fhir.models import Connection


def connection_app_names(connection_ids: Sequence[str]) -> Mapping[str, str]:
    """The app's name for each of these connections (one query; unknown ids are left out)."""
    valid: list[uuid.UUID] = []
    for value in connection_ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    rows = Connection.objects.filter(pk__in=valid).values_list("pk", "application__name")
    return {str(pk): str(name) for pk, name in rows}
