"""The front desk gives a parent access in a real browser: from the patient list to the page of
who may help a child, an invitation for a guardian without an account, a change to a parent's
access and its end. axe-core checks every page on the way, and each reflows at 320 px.
"""

from __future__ import annotations

import re

from django.apps import apps
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.patients.models import Patient
from carebridge.proxies import rules
from carebridge.proxies.models import GrantStatus, ProxyGrant
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    totp_code,
)
from carebridge.testing.proxy_personas import ALL_SCOPES, make_grant, years_before


def test_front_desk_invites_a_guardian_then_changes_and_ends_a_parents_access(
    page: Page, live_server: LiveServer
) -> None:
    front_desk, kit = _clinic_with_a_child_and_his_mother()
    sign_in_staff(page, front_desk)
    open_who_may_help(page, kit)
    invite_a_guardian(page)
    change_the_mothers_access(page)
    end_the_mothers_access(page)
    check_reflow(page, kit)


def _clinic_with_a_child_and_his_mother() -> tuple[User, Patient]:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    front_desk = factories.make_staff(
        clinic, StaffRole.FRONT_DESK, with_mfa=False, email="fran@example.org", first_name="Fran"
    )
    kit = factories.make_patient(
        clinic,
        given_name="Kit",
        family_name="Kid",
        mrn="RFC-2001",
        birth_date=years_before(rules.clinic_today(clinic), 9),
    )
    paula = factories.make_user(email="paula@example.org", first_name="Paula", last_name="Parent")
    make_grant(kit, paula, granted_by=front_desk, scopes=ALL_SCOPES, is_parental=True)
    return front_desk, kit


def sign_in_staff(page: Page, user: User) -> None:
    secret = factories.enable_totp(user)
    page.goto("/account/login/")
    page.get_by_label("Email").fill(user.email)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    code = page.get_by_label("Code", exact=True)
    code.fill(totp_code(secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/$"))


def open_who_may_help(page: Page, kit: Patient) -> None:
    page.goto("/staff/patients/")
    page.get_by_role("link", name="Parents and caregivers of Kit Kid").click()
    expect(page).to_have_url(re.compile(rf"/staff/patients/{kit.pk}/access/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Parents and caregivers")
    expect(page.get_by_role("heading", name="Paula Parent")).to_be_visible()
    assert_no_axe_violations(page)


def invite_a_guardian(page: Page) -> None:
    page.get_by_role("link", name="Give a parent or guardian access").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Give access").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Tick the box once you have checked.")
    assert_no_axe_violations(page)
    page.get_by_label("Their e-mail address").fill("new.guardian@example.org")
    page.get_by_label("Legal guardian").check()
    page.get_by_label("Appointments").check()
    page.get_by_label("Bills and payments").check()
    page.get_by_label("How you checked identity and relationship").fill("Court order seen")
    page.get_by_label("I have checked this person's identity").check()
    page.get_by_role("button", name="Give access").click()
    expect(page.locator(".messages")).to_contain_text(
        "We have e-mailed an invitation to new.guardian@example.org."
    )
    expect(page.get_by_role("heading", name="new.guardian@example.org")).to_be_visible()
    assert_no_axe_violations(page)
    invited = ProxyGrant.objects.get(invite_email="new.guardian@example.org")
    assert (invited.status, invited.is_parental, invited.scopes) == (
        GrantStatus.INVITED,
        True,
        ["appointments", "billing"],
    )


def change_the_mothers_access(page: Page) -> None:
    page.get_by_role("link", name="Change what they may see and do (Paula Parent)").click()
    assert_no_axe_violations(page)
    page.get_by_label("Account settings").uncheck()
    page.get_by_label("Bills and payments").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    paula = ProxyGrant.objects.get(proxy__email="paula@example.org")
    assert paula.scopes == ["appointments", "messaging", "record", "results"]


def end_the_mothers_access(page: Page) -> None:
    page.get_by_role("link", name="End access (Paula Parent)").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="End access").click()
    expect(page.locator(".messages")).to_contain_text("Access ended.")
    ended = page.locator("h2:text('Access that has ended') + ul")
    expect(ended.get_by_role("heading", name="Paula Parent")).to_be_visible()
    assert ProxyGrant.objects.get(proxy__email="paula@example.org").status == GrantStatus.REVOKED


def check_reflow(page: Page, kit: Patient) -> None:
    page.set_viewport_size({"width": 320, "height": 900})
    invited = ProxyGrant.objects.get(invite_email="new.guardian@example.org")
    for url in (
        f"/staff/patients/{kit.pk}/access/",
        f"/staff/patients/{kit.pk}/access/parent/",
        f"/staff/patients/{kit.pk}/access/{invited.pk}/",
        f"/staff/patients/{kit.pk}/access/{invited.pk}/end/",
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)
        assert_no_horizontal_scroll(page)
