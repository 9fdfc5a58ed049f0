"""The home page's quick actions (only what the acting person's access allows) and the help
page's content from the clinic profile, with a stable anchor for each section.

Cast: Pat owes nothing; Cora helps Pat with every scope; Abe helps Pat with appointments only
(no messaging, no billing); Val is a signed-in visitor; the installation has two clinics.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from carebridge.billing.models import BillingAccount
from carebridge.clinic.models import Clinic
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

_QUICK = re.compile(r'<nav aria-labelledby="quick-actions-heading".*?</nav>', re.S)
_BUTTON = re.compile(r'<a class="button" href="([^"]+)">([^<]+)</a>')


def _quick_actions(client: Client) -> list[tuple[str, str]]:
    found = _QUICK.search(client.get("/").content.decode())
    if found is None:
        return []
    return [(label, href) for href, label in _BUTTON.findall(found.group(0))]


def test_a_patient_with_nothing_owed_gets_message_book_and_refill(cast: Cast):
    assert _quick_actions(client_for(cast.patient_user)) == [
        ("Message the clinic", "/messages/new/"),
        ("Book an appointment", "/appointments/book/"),
        ("Ask for a refill", "/messages/requests/new/refill/"),
    ]


def test_a_balance_due_adds_pay_a_bill(cast: Cast):
    BillingAccount.objects.create(patient=cast.patient, clinic=cast.clinic, balance_cents=5000)
    assert _quick_actions(client_for(cast.patient_user)) == [
        ("Message the clinic", "/messages/new/"),
        ("Book an appointment", "/appointments/book/"),
        ("Pay a bill", "/billing/pay/"),
        ("Ask for a refill", "/messages/requests/new/refill/"),
    ]


def test_a_caregiver_sees_only_what_their_grant_allows(cast: Cast):
    BillingAccount.objects.create(patient=cast.patient, clinic=cast.clinic, balance_cents=5000)
    abe = client_for(cast.proxy_cast.appointments_caregiver, acting_for=cast.patient)
    assert _quick_actions(abe) == [("Book an appointment", "/appointments/book/")]
    cora = client_for(cast.proxy_cast.full_caregiver, acting_for=cast.patient)
    assert [label for label, _href in _quick_actions(cora)] == [
        "Message the clinic",
        "Book an appointment",
        "Pay a bill",
        "Ask for a refill",
    ]


def test_the_help_page_shows_the_clinic_profile(cast: Cast):
    Clinic.objects.filter(pk=cast.clinic.pk).update(
        phone="555-0100",
        address="1 River Road\nSpringfield, IL 62701",
        opening_hours="Monday to Friday, 8 am to 6 pm",
    )
    page = client_for(cast.patient_user).get("/help/").content.decode()
    assert '<p class="clinic-phone"><a href="tel:555-0100">555-0100</a></p>' in page
    assert '<p class="clinic-hours">Monday to Friday, 8 am to 6 pm</p>' in page
    assert '<p class="clinic-address">1 River Road<br>Springfield, IL 62701</p>' in page


def test_the_help_page_has_a_stable_anchor_for_each_section(client):
    page = client.get("/help/").content.decode()
    anchors = re.findall(r'<section id="([a-z-]+)"', page)
    assert anchors == [
        "emergency",
        "contact",
        "self-check",
        "how-to",
        "results",
        "appointments",
        "messages",
        "medicines",
        "bills",
        "caregivers",
        "downloads",
        "connected-apps",
        "two-step",
        "account",
        "safety",
    ]
    assert "Call 911 or go to the nearest emergency room." in page
    assert "Am I using a shared or public computer?" in page
    assert "Have I signed out?" in page
    assert "Do I know who can see my record?" in page
    assert "<script" not in page.split('<main id="main"', 1)[1]
