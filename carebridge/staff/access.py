"""Who may use the clinic console: active staff of a clinic, with the needed permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]


def staff_required(permission: str) -> Callable[[View], View]:
    """Allow only active staff whose role holds `permission` ("app.codename"; a bare codename
    is the clinic app's); others get a 404.

    A 404 (not a 403) so the console's existence tells a patient nothing.
    """
    qualified = permission if "." in permission else f"clinic.{permission}"

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            acting = request.acting  # type: ignore[attr-defined]
            if not acting.is_staff or not request.user.has_perm(qualified):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
