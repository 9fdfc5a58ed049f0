"""The people and data of the phone-first browser tests and of the screenshots: the shared cast
with its records, a conversation and an appointment, and signing in as Pat or as Cora."""

from __future__ import annotations

import datetime
import zoneinfo

from django.apps import apps
from playwright.sync_api import Page, expect

from carebridge.clinic.models import StaffMember
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.messaging.models import CareTeam, Topic
from carebridge.messaging.services import start_thread
from carebridge.testing import factories, records
from carebridge.testing.browser import switch_account
from carebridge.testing.personas import Cast, add_records, build_cast


def cast_with_a_conversation_and_an_appointment() -> Cast:
    """The shared cast with records, a conversation Pat started and an appointment in 9 days."""
    # Browser tests start from an emptied database: put the role groups back first.
    sync_role_groups(apps)
    cast = add_records(build_cast())
    team = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.RESULT,
        subject="Rash on my arm",
        body="It started on Monday and itches at night.",
        now=datetime.datetime.now(datetime.UTC),
    )
    start = datetime.datetime.combine(
        datetime.date.today() + datetime.timedelta(days=9),
        datetime.time(10, 30),
        tzinfo=zoneinfo.ZoneInfo(cast.clinic.time_zone),
    )
    records.store(cast.patient, records.appointment(cast.patient, start, kind="Check-up"))
    return cast


def sign_in_as(page: Page, cast: Cast, persona: str) -> None:
    """Sign in as Pat ("patient") or as Cora acting for Pat ("caregiver")."""
    user = cast.patient_user if persona == "patient" else cast.proxies.full_caregiver
    page.goto("/account/login/")
    page.get_by_label("Email").fill(user.email)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if persona == "caregiver":
        switch_account(page, "Pat Patient")
        expect(page.get_by_text("Viewing Pat Patient's record")).to_be_visible()
