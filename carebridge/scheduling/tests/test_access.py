"""Who sees whose appointments, what is kept from proxies, and the audit trail of each view."""

from __future__ import annotations

import pytest
from django.test import Client

from carebridge.audit.models import AuditEvent
from carebridge.proxies.models import ProxyScope
from carebridge.scheduling.tests.pages import PAGE, SENSITIVE, card, upcoming, utc
from carebridge.testing import factories
from carebridge.testing.proxy_personas import make_grant
from carebridge.testing.records import appointment, store

pytestmark = pytest.mark.django_db

CHEN, OFFICE = "Maya Chen, MD", "Main Street Office"
THURSDAY_9AM = "Thursday, March 5, 2026, 9:00 a.m."


def events() -> list[tuple]:
    rows = AuditEvent.objects.filter(object_type="appointments").order_by("sequence")
    return [
        (e.actor.email, e.patient.mrn if e.patient else None, e.acting_as, e.action, e.outcome)
        for e in rows.select_related("actor", "patient")
    ]


@pytest.fixture
def pats_visit(cast):
    """Pat's follow-up on Thursday, and a counselling appointment labelled sensitive."""
    pat = cast.patient
    return store(
        pat,
        appointment(pat, utc(3, 5, 14)),
        appointment(pat, utc(3, 6, 14), kind="Counselling", meta=SENSITIVE),
    )


def test_pat_sees_her_own_including_the_sensitive_one_and_the_view_is_audited(
    cast, patient_client, pats_visit
):
    assert upcoming(patient_client) == [
        card(THURSDAY_9AM, "Follow-up visit", CHEN, OFFICE, "Booked"),
        card("Friday, March 6, 2026, 9:00 a.m.", "Counselling", CHEN, OFFICE, "Booked"),
    ]
    assert events() == [("pat@example.org", "RFC-1001", "self", "view", "success")]


@pytest.mark.parametrize("persona", ["full_caregiver", "appointments_caregiver"])
def test_pats_caregivers_see_hers_but_never_the_sensitive_one(cast, act_as, pats_visit, persona):
    proxy = getattr(cast.proxies, persona)
    client = act_as(proxy, cast.patient)
    response = client.get(PAGE)
    assert "<h1>Pat Patient's appointments</h1>" in response.content.decode()
    assert upcoming(client) == [card(THURSDAY_9AM, "Follow-up visit", CHEN, OFFICE, "Booked")]
    assert "Counselling" not in response.content.decode()
    assert events() == [(proxy.email, "RFC-1001", "proxy", "view", "success")] * 2


@pytest.mark.parametrize(
    ("persona", "child"), [("parent_of_teen", "teen"), ("parent_of_child", "child")]
)
def test_parents_see_their_childs_appointments(cast, act_as, persona, child):
    kid = getattr(cast.proxies, child)
    store(kid, appointment(kid, utc(3, 5, 14), kind="Well-child visit"))
    store(cast.patient, appointment(cast.patient, utc(3, 5, 15), kind="Pat's own"))
    client = act_as(getattr(cast.proxies, persona), kid)
    assert upcoming(client) == [card(THURSDAY_9AM, "Well-child visit", CHEN, OFFICE, "Booked")]


def test_tess_sees_her_own(cast):
    teen = cast.proxies.teen
    store(teen, appointment(teen, utc(3, 5, 14)))
    client = Client()
    client.force_login(cast.proxies.teen_user)
    assert upcoming(client) == [card(THURSDAY_9AM, "Follow-up visit", CHEN, OFFICE, "Booked")]


@pytest.mark.parametrize("persona", ["revoked_caregiver", "expired_caregiver", "parent_of_adult"])
def test_ended_proxies_get_404_and_act_for_nobody(cast, act_as, pats_visit, persona):
    proxy = getattr(cast.proxies, persona)
    client = act_as(proxy, cast.proxies.acting_for(persona))
    assert client.get(PAGE).status_code == 404
    assert events() == []


@pytest.mark.parametrize("persona", ["clinician", "front_desk", "clinic_admin", "visitor"])
def test_staff_and_visitors_get_404(cast, pats_visit, persona):
    client = Client()
    client.force_login(getattr(cast, persona))
    assert client.get(PAGE).status_code == 404
    assert events() == []


def test_a_proxy_without_the_appointments_scope_gets_404_audited_as_denied(
    cast, act_as, pats_visit
):
    reader = factories.make_user(email="rhea@example.org", first_name="Rhea", last_name="Reader")
    make_grant(
        cast.patient, reader, granted_by=cast.patient_user, scopes=[ProxyScope.RESULTS.value]
    )
    client = act_as(reader, cast.patient)
    response = client.get(PAGE)
    assert response.status_code == 404
    assert events() == [("rhea@example.org", "RFC-1001", "proxy", "view", "denied")]
    assert 'href="/appointments/"' not in client.get("/").content.decode()


def test_the_navigation_offers_appointments_only_to_those_who_may_see_them(cast, act_as):
    abe = act_as(cast.proxies.appointments_caregiver, cast.patient)
    assert '<a href="/appointments/">Appointments</a>' in abe.get("/").content.decode()
    staff = Client()
    staff.force_login(cast.clinician)
    assert 'href="/appointments/"' not in staff.get("/account/").content.decode()
