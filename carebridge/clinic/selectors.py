"""Reads of the clinic for display: which clinic a page shows as its own."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from carebridge.clinic.models import Clinic

ONLY_CLINIC_CACHE_KEY = "carebridge:only-clinic"
# Short enough that a clinic set up or changed elsewhere shows within minutes even if the
# cache was not told (changes made through the services delete the key at once).
ONLY_CLINIC_CACHE_SECONDS = 300
LOGO_FOLDER = "logos"
# What the cache holds for "there is not exactly one clinic" (None would read as a miss).
_NO_CLINIC = 0


def logo_dir() -> Path:
    return Path(settings.CAREBRIDGE_ATTACHMENT_DIR) / LOGO_FOLDER


def logo_path(clinic: Clinic) -> Path | None:
    """Where the clinic's logo is kept, or None when it has none."""
    return logo_dir() / clinic.logo if clinic.logo else None


def get_only_clinic() -> Clinic | None:
    """The installation's clinic when there is exactly one, else None; cached."""
    cached = cache.get(ONLY_CLINIC_CACHE_KEY)
    if cached is not None:
        return cached or None
    clinics = list(Clinic.objects.all()[:2])
    only = clinics[0] if len(clinics) == 1 else None
    cache.set(ONLY_CLINIC_CACHE_KEY, only or _NO_CLINIC, ONLY_CLINIC_CACHE_SECONDS)
    return only


def forget_only_clinic() -> None:
    cache.delete(ONLY_CLINIC_CACHE_KEY)


def get_page_clinic(request: HttpRequest) -> Clinic | None:
    """The clinic a page shows as its own: the acting patient's (for patients and their
    caregivers or parents), the staff member's, else the only clinic of the installation.

    No query for a signed-in patient or staff member: the acting context has already loaded
    their clinic. One cache read otherwise.
    """
    acting = getattr(request, "acting", None)
    if acting is not None and acting.is_authenticated:
        if acting.patient is not None:
            return acting.patient.clinic
        if acting.staff is not None:
            return acting.staff.clinic
    return get_only_clinic()


def get_clinic_for_assets(slug: str) -> Clinic | None:
    return Clinic.objects.filter(slug=slug).first()
