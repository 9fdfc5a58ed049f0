"""How often one access token may call the API: 120 requests a minute.

A fixed one-minute window per token, counted in the project's shared limits
(`carebridge.lib.ratelimit`: Redis with `REDIS_URL`, the database otherwise), so every worker
and server sees the same count. 120 a minute is far above what an app reading a record needs
(fhirclient reads a whole record in a few dozen requests) and far below what would slow the
portal for patients. A refreshed token starts its own count. The API answers a refused request
with 429 and an OperationOutcome.
"""

from __future__ import annotations

from oauth2_provider.models import AccessToken

from carebridge.lib import ratelimit

REQUESTS_PER_MINUTE = 120
_WINDOW_SECONDS = 60
_ACTION = "fhir-api"


def check_rate(token: AccessToken) -> bool:
    """Count one API request of this token; False (and nothing counted) when it has used its
    `REQUESTS_PER_MINUTE` in the current minute. The counter's key is a digest of the token's
    id, never the token itself."""
    return ratelimit.take(
        _ACTION, f"token:{token.pk}", limit=REQUESTS_PER_MINUTE, window_seconds=_WINDOW_SECONDS
    )
