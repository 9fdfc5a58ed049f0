"""The billing office's console in a real browser: billing staff open a patient's account from
the list of balances, record a cash payment taken at the desk, then refund part of it, and read
the day's reconciliation. axe-core checks every page at 1,280 and at 320 px, where nothing may
scroll sideways."""

from __future__ import annotations

import datetime

from django.apps import apps
from playwright.sync_api import Page, expect

from carebridge.accounts.models import User
from carebridge.billing.models import BillingAccount, Refund
from carebridge.billing.services.charges import post_manual_charge
from carebridge.clinic.models import StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.core.actor import Actor
from carebridge.testing import factories
from tests.browser.test_staff_inbox import _check
from tests.browser.test_staff_schedule import sign_in_staff


def _billing_staff_and_a_patient_who_owes() -> User:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    bill = factories.make_staff(
        clinic, StaffRole.BILLING, with_mfa=False, email="bill@example.org", first_name="Bill"
    )
    rosa = factories.make_patient(clinic, given_name="Rosa", family_name="Diaz", mrn="RFC-2001")
    post_manual_charge(
        actor=Actor(user=bill, acting_as="staff"),
        patient=rosa,
        service_date=datetime.date(2026, 3, 2),
        description="Office visit",
        amount_cents=12000,
    )
    return bill


def test_billing_staff_take_a_desk_payment_and_refund_part_of_it(page: Page) -> None:
    sign_in_staff(page, _billing_staff_and_a_patient_who_owes())
    page.get_by_role("link", name="Billing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing")
    _check(page)
    page.get_by_role("link", name="Diaz, Rosa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing: Rosa Diaz")
    _check(page)

    page.get_by_role("link", name="Record a payment taken at the desk").click()
    _check(page)
    page.get_by_label("Amount in dollars").fill("45.00")
    page.get_by_label("Cash").check()
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text("Payment of $45.00 recorded.")).to_be_visible()
    expect(page.get_by_text("$75.00").first).to_be_visible()
    assert BillingAccount.objects.get().balance_cents == 7500

    page.get_by_role("link", name="Refund", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refund a payment")
    _check(page)
    page.get_by_label("Amount in dollars").fill("15.00")
    page.get_by_label("Reason (the patient sees it)").fill("Paid too much at the desk")
    page.get_by_role("button", name="Refund").click()
    expect(page.get_by_text("Refund of $15.00 recorded.")).to_be_visible()
    assert (Refund.objects.get().amount_cents, BillingAccount.objects.get().balance_cents) == (
        1500,
        9000,
    )

    page.get_by_role("link", name="Day's reconciliation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Day's reconciliation")
    expect(page.get_by_text("$30.00").first).to_be_visible()
    _check(page)
