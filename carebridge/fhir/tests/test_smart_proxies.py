"""Caregivers and parents connecting an app: only for someone they act for today, only the parts
their grant lets them see, and no more refreshing once their access has ended."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from oauth2_provider.models import AccessToken

from carebridge.audit.models import AuditEvent
from carebridge.fhir.models import Connection
from carebridge.fhir.smart.parts import PARTS
from carebridge.fhir.tests.smart_flow import (
    ALL,
    answer,
    authorize_url,
    consent_labels,
    exchange,
    id_token_claims,
    pkce,
    redirect_params,
    refresh,
)
from carebridge.proxies.rules import ALL_SCOPES, clinic_today
from carebridge.testing.clients import client_for
from carebridge.testing.fhir import register_app
from carebridge.testing.personas import Cast
from carebridge.testing.proxy_personas import make_grant

pytestmark = pytest.mark.django_db

EVERY_PART = [part.key for part in PARTS]


def test_a_caregiver_connects_an_app_for_the_person_they_help(cast: Cast) -> None:
    cora = cast.proxies.full_caregiver
    application = register_app(cast.patient, name="Health Diary")
    verifier, challenge = pkce()
    url = authorize_url(application, code_challenge=challenge)
    page = client_for(cora).get(url).content.decode()
    assert "<h1>Health Diary wants to read Pat Patient's health record</h1>" in page
    assert [value for value, _label in consent_labels(page)] == EVERY_PART
    response = answer(client_for(cora), url, parts=EVERY_PART)
    token = exchange(application, redirect_params(response["Location"])["code"], verifier).json()
    connection = Connection.objects.get()
    assert (connection.user, connection.patient, connection.acting_as, connection.scope) == (
        cora,
        cast.patient,
        "proxy",
        ALL,
    )
    event = AuditEvent.objects.get(object_type="app_connection")
    assert (event.actor, event.patient, event.acting_as) == (cora, cast.patient, "proxy")
    assert token["patient"] == str(cast.patient.pk)
    # A caregiver is no Patient, and the record holds no RelatedPerson for them.
    assert "fhirUser" not in id_token_claims(token["id_token"])


def test_a_teens_parent_is_offered_only_what_the_teen_rules_allow(cast: Cast) -> None:
    terry = cast.proxies.parent_of_teen
    application = register_app(cast.patient)
    url = authorize_url(application)
    page = client_for(terry).get(url).content.decode()
    assert "wants to read Tess Teen's health record" in page
    assert consent_labels(page) == [
        ("allergies", "Allergies"),
        ("immunizations", "Immunizations (vaccines)"),
    ]
    unavailable = re.search(r"<h2>Not available</h2>.*?<ul>(.*?)</ul>", page, re.S)
    assert unavailable is not None
    assert re.findall(r"<li>([^<]+)</li>", unavailable.group(1)) == [
        "Test results",
        "Vital signs, such as blood pressure and weight",
        "Medicines",
        "Health problems (conditions)",
        "Procedures",
        "Visits",
        "Documents, notes and forms",
        "Care team",
        "Goals and care plans",
        "Other measurements and notes, such as smoking status",
        "Personal details: name, date of birth, contacts, insurance and devices",
    ]


def test_a_teens_parent_cannot_tick_a_part_that_is_not_offered(cast: Cast) -> None:
    terry = cast.proxies.parent_of_teen
    application = register_app(cast.patient)
    response = answer(client_for(terry), authorize_url(application), parts=["results"])
    assert "Choose only from the parts listed." in response.content.decode()
    assert not Connection.objects.exists()


def test_a_teens_parent_is_granted_only_the_parts_offered(cast: Cast) -> None:
    terry = cast.proxies.parent_of_teen
    application = register_app(cast.patient)
    url = authorize_url(application)
    answer(client_for(terry), url, parts=["allergies", "immunizations"])
    connection = Connection.objects.get()
    assert (connection.patient, connection.scope) == (
        cast.proxies.teen,
        "launch/patient openid fhirUser offline_access "
        "patient/AllergyIntolerance.rs patient/Immunization.rs",
    )


def test_someone_who_helps_several_people_first_chooses_whose_record(cast: Cast) -> None:
    cora = cast.proxies.full_caregiver
    make_grant(cast.second_patient, cora, granted_by=cast.front_desk, scopes=list(ALL_SCOPES))
    application = register_app(cast.patient)
    url = authorize_url(application)
    page = client_for(cora).get(url).content.decode()
    assert "<h1>Whose health record should Health Diary read?</h1>" in page
    links = re.findall(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', page)
    assert [label for _href, label in links] == ["Pat Patient's record", "Sam Second's record"]
    chosen = links[1][0].replace("&amp;", "&")
    assert chosen.endswith(f"&record_of={cast.second_patient.pk}")
    consent = client_for(cora).get("/o/authorize/" + chosen).content.decode()
    assert "wants to read Sam Second's health record" in consent


@pytest.mark.parametrize("whose", ["child_of_someone_else", "nobody"])
def test_a_caregiver_cannot_choose_someone_they_do_not_act_for(cast: Cast, whose: str) -> None:
    cora = cast.proxies.full_caregiver
    make_grant(cast.second_patient, cora, granted_by=cast.front_desk, scopes=list(ALL_SCOPES))
    application = register_app(cast.patient)
    record_of = str(cast.proxies.child.pk) if whose != "nobody" else str(uuid.uuid4())
    url = authorize_url(application, record_of=record_of)
    page = client_for(cora).get(url).content.decode()
    assert "Whose health record should Health Diary read?" in page
    answer(client_for(cora), url, parts=EVERY_PART)
    assert not Connection.objects.exists()


@pytest.mark.parametrize("persona", ["appointments_caregiver", "expired_caregiver"])
def test_a_proxy_who_may_see_no_record_cannot_connect(cast: Cast, persona: str) -> None:
    application = register_app(cast.patient)
    response = client_for(getattr(cast.proxies, persona)).get(authorize_url(application))
    assert (response.status_code, response.get("Location")) == (403, None)
    assert not Connection.objects.exists()


def test_a_caregiver_whose_access_ended_cannot_refresh(cast: Cast) -> None:
    cora = cast.proxies.full_caregiver
    application = register_app(cast.patient)
    verifier, challenge = pkce()
    url = authorize_url(application, code_challenge=challenge)
    response = answer(client_for(cora), url, parts=EVERY_PART)
    token = exchange(application, redirect_params(response["Location"])["code"], verifier).json()
    grant = cast.proxies.grants["full_caregiver"]
    grant.ends_on = clinic_today(cast.clinic) - datetime.timedelta(days=1)
    grant.save(update_fields=["ends_on"])
    renewed = refresh(application, token["refresh_token"])
    assert (renewed.status_code, renewed.json()["error"]) == (400, "invalid_grant")
    assert AccessToken.objects.count() == 1


def test_a_refresh_renews_only_what_the_caregiver_may_still_see(cast: Cast) -> None:
    cora = cast.proxies.full_caregiver
    application = register_app(cast.patient)
    verifier, challenge = pkce()
    url = authorize_url(application, code_challenge=challenge)
    response = answer(client_for(cora), url, parts=EVERY_PART)
    token = exchange(application, redirect_params(response["Location"])["code"], verifier).json()
    grant = cast.proxies.grants["full_caregiver"]
    grant.scopes = ["results", "appointments"]
    grant.save(update_fields=["scopes"])
    renewed = refresh(application, token["refresh_token"]).json()
    assert renewed["scope"] == (
        "launch/patient openid fhirUser offline_access patient/DiagnosticReport.rs "
        "patient/Specimen.rs patient/ServiceRequest.rs "
        "patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs"
    )
    assert AccessToken.objects.get().scope == renewed["scope"]
