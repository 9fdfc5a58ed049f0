"""The header switcher, and what acting for someone looks like on every page."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.proxies.models import EndReason
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY
from carebridge.proxies.services.grants import revoke_grant
from carebridge.testing.clients import client_for as signed_in

pytestmark = pytest.mark.django_db

SWITCH = "/account/acting-for/"


def nav_links(html: str) -> list[tuple[str, str]]:
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def test_the_switch_url_is_named():
    assert reverse("proxies:switch") == SWITCH


def test_switching_to_pat_acts_for_her_and_is_audited(cast):
    client = signed_in(cast.proxies.full_caregiver)
    response = client.post(SWITCH, {"patient": str(cast.patient.pk)})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[ACTING_FOR_SESSION_KEY] == str(cast.patient.pk)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        cast.proxies.full_caregiver,
        cast.patient,
        "proxy",
        "view",
        "proxy_switch",
    )
    assert event.object_id == str(cast.proxies.grants["full_caregiver"].pk)


def test_while_acting_the_header_names_the_patient_with_her_initial(cast):
    client = signed_in(cast.proxies.full_caregiver)
    client.post(SWITCH, {"patient": str(cast.patient.pk)})
    html = client.get("/").content.decode()
    assert '<span class="avatar avatar-large" aria-hidden="true">P</span>' in html
    assert "Viewing <strong>Pat Patient</strong>'s record" in html
    assert "<h1>Helping Pat Patient</h1>" in html
    assert f'<option value="{cast.patient.pk}" selected>Pat Patient</option>' in html
    assert '<option value="me">Me</option>' in html


def test_a_helper_who_has_not_chosen_sees_whom_they_may_help(cast):
    client = signed_in(cast.proxies.full_caregiver)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "You are using your own account" in html
    assert "Open Pat Patient's account" in html
    assert "You are their caregiver" in html
    assert nav_links(html) == [("/", "Home"), ("/account/", "My account"), ("/help/", "Help")]


def test_someone_you_do_not_help_cannot_be_chosen(cast):
    client = signed_in(cast.proxies.full_caregiver)
    before = AuditEvent.objects.count()
    response = client.post(SWITCH, {"patient": str(cast.second_patient.pk)})
    assert response.status_code == 400
    assert ACTING_FOR_SESSION_KEY not in client.session
    assert AuditEvent.objects.count() == before


def test_a_revoked_caregiver_cannot_switch_back(cast):
    client = signed_in(cast.proxies.revoked_caregiver)
    assert client.post(SWITCH, {"patient": str(cast.patient.pk)}).status_code == 400


def test_me_goes_back_to_your_own_account(cast):
    pat = cast.patient_user
    from carebridge.testing.proxy_personas import make_grant

    make_grant(cast.second_patient, pat, granted_by=cast.second_patient_user, scopes=["results"])
    client = signed_in(pat)
    client.post(SWITCH, {"patient": str(cast.second_patient.pk)})
    assert "<h1>Helping Sam Second</h1>" in client.get("/").content.decode()
    response = client.post(SWITCH, {"patient": "me"})
    assert (response.status_code, ACTING_FOR_SESSION_KEY in client.session) == (302, False)
    html = client.get("/").content.decode()
    assert "<h1>Welcome, Pat Patient</h1>" in html
    assert '<option value="me" selected>Me (Pat Patient)</option>' in html


def test_the_switcher_is_only_for_those_who_help_someone(cast):
    html = signed_in(cast.patient_user).get("/").content.decode()
    assert "acting-bar" not in html


def test_switching_needs_a_post(cast):
    assert signed_in(cast.proxies.full_caregiver).get(SWITCH).status_code == 405


def test_revocation_takes_effect_on_the_next_request(cast):
    client = signed_in(cast.proxies.full_caregiver)
    client.post(SWITCH, {"patient": str(cast.patient.pk)})
    assert client.get("/record/").status_code == 200
    revoke_grant(
        actor=cast.patient_user,
        grant=cast.proxies.grants["full_caregiver"],
        reason=EndReason.REVOKED_BY_PATIENT,
    )
    response = client.get("/record/")
    assert response.status_code == 404
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your access to help that person has ended. You are back in your own account."
    ]
    assert ACTING_FOR_SESSION_KEY not in client.session
    # The caregiver has no one left to help: home sends her to her own account.
    assert client.get("/")["Location"] == "/account/"


def test_navigation_follows_the_scopes(cast):
    def nav_for(persona: str) -> list[tuple[str, str]]:
        client = signed_in(getattr(cast.proxies, persona))
        client.post(SWITCH, {"patient": str(cast.proxies.acting_for(persona).pk)})
        return nav_links(client.get("/").content.decode())

    cora = nav_for("full_caregiver")
    assert ("/record/", "Health record") in cora
    assert [label for _, label in nav_for("appointments_caregiver")].count("Health record") == 0
    # Tess's father sees only allergies and immunizations: the entry leads to the first.
    assert ("/record/allergies/", "Health record") in nav_for("parent_of_teen")


def test_the_patient_sees_what_her_caregiver_did(cast):
    client = signed_in(cast.proxies.full_caregiver)
    client.post(SWITCH, {"patient": str(cast.patient.pk)})
    client.get("/record/results/")
    html = signed_in(cast.patient_user).get("/account/activity/").content.decode()
    assert html.count("Cora Caregiver (caregiver or parent)") == 2
    assert "Opened the account to help" in html
    event = AuditEvent.objects.filter(object_type="results").get()
    assert (event.actor, event.patient, event.acting_as) == (
        cast.proxies.full_caregiver,
        cast.patient,
        "proxy",
    )
