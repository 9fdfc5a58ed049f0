"""How often one access token may call the FHIR API (a fixed window, shared by every server)."""

from __future__ import annotations

from django.conf import settings

from carebridge.lib import ratelimit


def check_rate(token: str) -> bool:
    """Count one API request for this token; False (nothing counted) when it has used up
    `CAREBRIDGE_FHIR_RATE_LIMIT` requests in the current window."""
    limit, window_seconds = settings.CAREBRIDGE_FHIR_RATE_LIMIT
    return ratelimit.take("fhir-api", token, limit=limit, window_seconds=window_seconds)
