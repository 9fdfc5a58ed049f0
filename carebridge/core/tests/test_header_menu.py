"""The phone-first header: a "Menu" button that static/js/menu.js reveals and that controls the
account line and the main navigation, which are always in the page (collapsed only by the
stylesheet on narrow screens), and the acting-for band with its choice behind "Switch"."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam, Topic
from carebridge.messaging.services import start_thread
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

SWITCH = "/account/acting-for/"


def _menu_button(html: str) -> str:
    found = re.findall(r"<button [^>]*data-menu-toggle[^>]*>", html)
    assert len(found) == 1, found
    return found[0]


def _nav_links(html: str) -> list[tuple[str, str]]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def test_the_menu_button_controls_the_account_line_and_the_navigation(
    patient_client: Client,
) -> None:
    html = patient_client.get("/").content.decode()
    assert _menu_button(html) == (
        '<button type="button" class="menu-toggle" aria-expanded="false" '
        'aria-controls="site-account site-nav" data-menu-toggle hidden>'
    )
    assert '<div class="who" id="site-account" data-menu-part>' in html
    assert '<nav class="site-nav" id="site-nav" data-menu-part aria-label="Main">' in html
    assert '<script src="/static/js/menu.js" defer></script>' in html


def test_every_navigation_link_is_in_the_page_while_the_menu_is_collapsed(
    patient_client: Client,
) -> None:
    html = patient_client.get("/").content.decode()
    assert _nav_links(html) == [
        ("/", "Home"),
        ("/record/", "My record"),
        ("/appointments/", "Appointments"),
        ("/messages/", "Messages"),
        ("/billing/", "Bills"),
        ("/account/", "My account"),
        ("/help/", "Help"),
    ]
    # The menu comes after its button, so the keyboard reaches it next.
    assert html.index("data-menu-toggle") < html.index('id="site-account"')
    assert html.index('id="site-account"') < html.index('id="site-nav"')


def test_the_menu_button_carries_the_unread_count_of_the_collapsed_navigation(
    cast: Cast,
) -> None:
    client = client_for(cast.patient_user)
    assert _menu_button_words(client.get("/").content.decode()) == (
        '<span class="menu-icon" aria-hidden="true"></span>Menu'
    )
    team = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.RESULT,
        subject="Rash on my arm",
        body="It started on Monday.",
        now=timezone.now(),
    )
    html = client.get("/").content.decode()
    assert _menu_button_words(html) == (
        '<span class="menu-icon" aria-hidden="true"></span>Menu <span class="nav-count">1'
        '<span class="visually-hidden"> unread</span></span>'
    )


def _menu_button_words(html: str) -> str:
    return html.split("data-menu-toggle hidden>", 1)[1].split("</button>", 1)[0]


def test_signed_out_pages_have_no_menu_button(client: Client) -> None:
    html = client.get("/account/login/").content.decode()
    assert "data-menu-toggle" not in html
    assert 'id="site-nav"' not in html


def test_the_emergency_notice_is_one_short_line_with_the_rest_for_wide_screens(
    patient_client: Client,
) -> None:
    html = patient_client.get("/").content.decode()
    assert (
        "<p><strong>In an emergency, call 911.</strong> "
        '<span class="emergency-more">This portal is not watched around the clock.</span></p>'
    ) in html


def test_the_acting_for_band_is_one_line_with_the_choice_behind_switch(cast: Cast) -> None:
    client = client_for(cast.proxies.full_caregiver)
    client.post(SWITCH, {"patient": str(cast.patient.pk)})
    html = client.get("/").content.decode()
    band = html.split('<div class="acting-bar acting-bar-proxy">', 1)[1].split("</details>", 1)[0]
    assert "<span>Viewing <strong>Pat Patient</strong>'s record</span>" in band
    assert '<details class="acting-switch-details">\n      <summary>Switch</summary>' in band
    assert '<label for="acting-for">Whose account</label>' in band
