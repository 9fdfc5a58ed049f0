"""Signed-out pages of an installation with one clinic show that clinic, from the cache."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from carebridge.clinic.models import StaffRole
from carebridge.clinic.services.profile import ClinicProfile, update_clinic_profile
from carebridge.testing.factories import make_clinic, make_staff

pytestmark = pytest.mark.django_db


def _brand(body: str) -> str:
    found = re.search(r'<a class="brand" href="[^"]*">(.*?)</a>', body)
    assert found is not None
    return found.group(1)


def test_the_only_clinic_is_shown_and_looked_up_once(
    django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clinic = make_clinic(name="Solo Clinic", slug="solo")
    assert _brand(Client().get("/help/").content.decode()) == "Solo Clinic"
    # Cached now: the page needs no query at all for it.
    with django_assert_num_queries(0):
        body = Client().get("/help/").content.decode()
    assert '<link rel="stylesheet" href="/brand/solo/colours-1.css">' in body
    assert "<title>Help · Solo Clinic</title>" in body
    admin = make_staff(clinic, StaffRole.CLINIC_ADMIN)
    profile = ClinicProfile(
        name="Solo Health",
        phone="",
        address="",
        opening_hours="",
        help_for_patients="",
        emergency_wording="",
        time_zone="America/New_York",
        brand_colour="#0b5394",
        vital_units="us",
    )
    # The change tells the cache once it is committed.
    with django_capture_on_commit_callbacks(execute=True):
        update_clinic_profile(actor=admin, clinic=clinic, profile=profile)
    assert _brand(Client().get("/help/").content.decode()) == "Solo Health"
