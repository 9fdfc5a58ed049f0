"""Template context every page needs: navigation, session-limit timings and the clinic whose
name, logo and colours the page shows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from carebridge.clinic.selectors import get_page_clinic
from carebridge.core.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_items": navigation_for(request) if signed_in else [],
        "session_idle_seconds": settings.CAREBRIDGE_SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.CAREBRIDGE_SESSION_WARNING_SECONDS,
        "acting": getattr(request, "acting", None),
        "page_clinic": get_page_clinic(request),
    }
