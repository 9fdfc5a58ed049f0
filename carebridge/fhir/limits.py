"""How often one access token may call the API: `CAREBRIDGE_FHIR_RATE_LIMIT` (120 requests a
minute unless set otherwise).

A fixed window per token, counted in the project's shared limits (`carebridge.lib.ratelimit`:
Redis with `REDIS_URL`, the database otherwise), so every worker and server sees the same count.
120 a minute is far above what an app reading a record needs (fhirclient reads a whole record in
a few dozen requests) and far below what would slow the portal for patients. A refreshed token
starts its own count. The API answers a refused request with 429 and an OperationOutcome.
"""

from __future__ import annotations

from django.conf import settings
from oauth2_provider.models import AccessToken

from carebridge.lib import ratelimit

_ACTION = "fhir-api"


def check_rate(token: AccessToken) -> bool:
    """Count one API request of this token; False (and nothing counted) when it has used up its
    requests in the current window. The counter is keyed by the token's row id, never by the
    token itself."""
    limit, window_seconds = settings.CAREBRIDGE_FHIR_RATE_LIMIT
    return ratelimit.take(_ACTION, f"token:{token.pk}", limit=limit, window_seconds=window_seconds)
