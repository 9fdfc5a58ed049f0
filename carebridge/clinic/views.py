"""The clinic's logo and colours, as every page of the portal shows them.

Neither is patient data, and both are needed on the sign-in page, so no sign-in is asked
for; only an existing clinic's are served. Their addresses carry the clinic's branding
version, so browsers may keep them for a year: a change gives a new address.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from carebridge.clinic.models import Clinic
from carebridge.clinic.selectors import get_clinic_for_assets, logo_path
from carebridge.lib.contrast import darker

LONG_CACHE = "public, max-age=31536000, immutable"


def _clinic(slug: str) -> Clinic:
    clinic = get_clinic_for_assets(slug)
    if clinic is None:
        raise Http404
    return clinic


@require_safe
def logo(request: HttpRequest, slug: str, version: int) -> HttpResponseBase:
    """The clinic's logo as PNG; 404 when it has none."""
    clinic = _clinic(slug)
    if version != clinic.branding_version:
        return redirect("brand:logo", clinic.slug, clinic.branding_version)
    path = logo_path(clinic)
    if path is None:
        raise Http404
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = LONG_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def colours(request: HttpRequest, slug: str, version: int) -> HttpResponseBase:
    """The clinic's colours as CSS custom properties, which static/css/carebridge.css uses.

    A stylesheet rather than a style attribute, since the Content-Security-Policy allows no
    inline styles. The colour was checked for contrast when it was saved.
    """
    clinic = _clinic(slug)
    if version != clinic.branding_version:
        return redirect("brand:colours", clinic.slug, clinic.branding_version)
    colour = clinic.brand_colour
    css = f":root {{ --brand: {colour}; --brand-dark: {darker(colour)}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = LONG_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response
