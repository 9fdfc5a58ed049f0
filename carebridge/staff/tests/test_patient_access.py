"""The console's page listing who may help a patient: parents, guardians and caregivers."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies import rules
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.proxy_personas import ALL_SCOPES, make_grant

pytestmark = pytest.mark.django_db

ALL_IN_WORDS = (
    "Health record, Test results, Messages with the clinic, Appointments, Bills and payments, "
    "Account settings"
)
_CARD = re.compile(r'<li>\s*<h3 class="grant-person">(.*?)</h3>(.*?)</li>', re.S)
_FACT = re.compile(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", re.S)


def access_url(patient):
    return f"/staff/patients/{patient.pk}/access/"


def day(value):
    return date_format(value, "DATE_FORMAT")


def cards(body, heading):
    """(name, facts) of each grant under a heading: "Who has access now" or "... has ended"."""
    section = body.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]
    return [(name, dict(_FACT.findall(facts))) for name, facts in _CARD.findall(section)]


def patient_facts(body):
    return dict(_FACT.findall(body.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]))


@pytest.mark.parametrize("persona", ["front_desk", "clinic_admin"])
def test_granters_see_a_parents_grant_in_words(cast, persona):
    response = client_for(getattr(cast, persona)).get(access_url(cast.proxies.child))
    assert response.status_code == 200
    body = response.content.decode()
    since = rules.clinic_today(cast.clinic) - datetime.timedelta(days=30)
    assert cards(body, "Who has access now") == [
        (
            "Paula Parent",
            {
                "E-mail": "paula@example.org",
                "Relationship": "Parent",
                "Kind of access": "Parent or guardian, given by the clinic",
                "What they may see and do": ALL_IN_WORDS,
                "Status": "Active",
                "Since": day(since),
                "Until": "No end date",
                "Given by": "Fran Frontdesk",
            },
        )
    ]
    assert cards(body, "Access that has ended") == []
    grant = cast.proxies.grants["parent_of_child"]
    assert f'href="/staff/patients/{cast.proxies.child.pk}/access/{grant.pk}/"' in body
    assert f'href="/staff/patients/{cast.proxies.child.pk}/access/{grant.pk}/end/"' in body
    assert f'href="/staff/patients/{cast.proxies.child.pk}/access/parent/"' in body


def test_the_patient_and_their_age_rule(cast):
    client = client_for(cast.front_desk)
    kit = patient_facts(client.get(access_url(cast.proxies.child)).content.decode())
    assert (kit["Patient"], kit["Medical record number"], kit["Date of birth"]) == (
        "Kit Kid",
        "RFC-2001",
        day(cast.proxies.child.birth_date),
    )
    assert kit["Age rule"] == (
        "Child, 9 years old. Under 12, a parent or guardian has everything the clinic gives them."
    )
    tess = patient_facts(client.get(access_url(cast.proxies.teen)).content.decode())
    assert tess["Age rule"] == (
        "Teenager, 15 years old. From 12 to 17, a parent or guardian sees only appointments, "
        "bills, messages, allergies and immunizations, and whatever else the patient chooses "
        "to share."
    )
    jo_body = client.get(access_url(cast.proxies.new_adult)).content.decode()
    assert patient_facts(jo_body)["Age rule"] == (
        "Adult, 18 years old. From 18, parents and guardians have no access: the patient can "
        "invite a caregiver from their own account."
    )
    assert "Parental access is not possible for an adult." in jo_body
    assert "/access/parent/" not in jo_body


def test_the_age_rule_follows_the_clinics_settings(cast):
    cast.clinic.proxy_full_access_under_age = 8
    cast.clinic.proxy_parental_access_until_age = 16
    cast.clinic.save()
    body = client_for(cast.front_desk).get(access_url(cast.proxies.child)).content.decode()
    assert patient_facts(body)["Age rule"].startswith("Teenager, 9 years old. From 8 to 15,")


def test_caregivers_and_ended_grants_of_an_adult(cast):
    body = client_for(cast.front_desk).get(access_url(cast.patient)).content.decode()
    open_cards = dict(cards(body, "Who has access now"))
    assert sorted(open_cards) == ["Abe Appointments", "Cora Caregiver", "Ed Expired"]
    today = rules.clinic_today(cast.clinic)
    assert open_cards["Abe Appointments"] == {
        "E-mail": "abe@example.org",
        "Relationship": "Caregiver",
        "Kind of access": "Caregiver, invited by the patient",
        "What they may see and do": "Appointments",
        "Status": "Active",
        "Since": day(today - datetime.timedelta(days=30)),
        "Until": "No end date",
        "Given by": "The patient",
    }
    assert open_cards["Ed Expired"]["Until"] == day(today - datetime.timedelta(days=1))
    rita = cast.proxies.grants["revoked_caregiver"]
    ended_on = timezone.localtime(rita.ended_at, zoneinfo.ZoneInfo(cast.clinic.time_zone))
    assert cards(body, "Access that has ended") == [
        (
            "Rita Revoked",
            {
                "E-mail": "rita@example.org",
                "Relationship": "Caregiver",
                "Kind of access": "Caregiver, invited by the patient",
                "What they may see and do": ALL_IN_WORDS,
                "Status": "Revoked",
                "Since": day(today - datetime.timedelta(days=30)),
                "Ended on": day(ended_on.date()),
                "Given by": "The patient",
                "Why it ended": "Ended by the patient",
                "Ended by": "The patient",
            },
        )
    ]
    # Staff may end a caregiver's access, but what it covers is the patient's choice.
    cora = cast.proxies.grants["full_caregiver"]
    assert f"/access/{cora.pk}/end/" in body
    assert f"/access/{cora.pk}/" + '"' not in body


def test_an_invitation_shows_the_address_and_the_note(cast):
    client = client_for(cast.front_desk)
    client.post(
        f"{access_url(cast.proxies.child)}parent/",
        {
            "email": "new.parent@example.org",
            "relationship": "legal_guardian",
            "scopes": ["appointments", "billing"],
            "note": "Court order & photo ID seen",
            "confirmed": "on",
        },
    )
    body = client.get(access_url(cast.proxies.child)).content.decode()
    invited = dict(cards(body, "Who has access now"))["new.parent@example.org"]
    assert invited == {
        "Relationship": "Legal guardian",
        "Kind of access": "Parent or guardian, given by the clinic",
        "What they may see and do": "Appointments, Bills and payments",
        "Status": "Invited, not accepted yet",
        "Since": day(rules.clinic_today(cast.clinic)),
        "Until": "No end date",
        "Given by": "Fran Frontdesk",
        "How identity and relationship were checked": "Court order &amp; photo ID seen",
    }
    assert "Cancel the invitation" in body


@pytest.mark.parametrize(
    "persona", ["clinician", "nurse", "billing", "other_clinic_admin", "patient", "visitor"]
)
def test_everyone_else_gets_a_404_and_nothing_is_audited(cast, persona):
    user = cast.patient_user if persona == "patient" else getattr(cast, persona)
    before = AuditEvent.objects.count()
    response = client_for(user).get(access_url(cast.proxies.child))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_patient_of_another_clinic_is_a_404_even_for_its_own_admin(cast):
    theirs = factories.make_patient(cast.other_clinic, birth_date=datetime.date(2019, 1, 1))
    assert client_for(cast.front_desk).get(access_url(theirs)).status_code == 404
    assert client_for(cast.other_clinic_admin).get(access_url(theirs)).status_code == 200
    assert client_for(cast.other_clinic_admin).get(access_url(cast.patient)).status_code == 404


def test_viewing_is_audited_as_staff_for_the_patient(cast):
    client_for(cast.front_desk).get(access_url(cast.proxies.child))
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.actor, event.action, event.object_type, event.acting_as, event.patient) == (
        cast.front_desk,
        AuditAction.VIEW,
        "proxy_grants",
        "staff",
        cast.proxies.child,
    )


@pytest.mark.parametrize(
    ("persona", "has_link"),
    [("front_desk", True), ("clinic_admin", True), ("clinician", False), ("billing", False)],
)
def test_the_patient_list_links_to_the_page_for_granters(cast, persona, has_link):
    body = client_for(getattr(cast, persona)).get("/staff/patients/").content.decode()
    links = re.findall(r'href="(/staff/patients/[^"]+/access/)"', body)
    expected = {f"/staff/patients/{patient.pk}/access/" for patient in _our_patients(cast)}
    assert set(links) == (expected if has_link else set())
    assert ("Parents and caregivers" in body) is has_link


def _our_patients(cast):
    proxies = cast.proxies
    return [
        cast.patient,
        cast.second_patient,
        cast.unenrolled_patient,
        proxies.child,
        proxies.teen,
        proxies.new_adult,
    ]


def _add_grants(cast, count):
    for n in range(count):
        proxy = factories.make_user(email=f"relative{n}@example.org", first_name=f"R{n}")
        make_grant(
            cast.proxies.child,
            proxy,
            granted_by=cast.clinic_admin,
            scopes=ALL_SCOPES,
            is_parental=True,
        )


# Steady state, after the first request: session and user (2; the acting context and the
# two-step check are kept, the session's activity written once a minute), permissions (2),
# the patient and their grants (2, whatever the number of grants), and the audit's one INSERT.
QUERY_BUDGET = 7


def _measure(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERY_BUDGET) as captured:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return len(captured.captured_queries), len(cards(body, "Who has access now"))


def test_query_budget_is_the_same_for_1_and_20_grants(cast, django_assert_max_num_queries):
    client = client_for(cast.front_desk)
    url = access_url(cast.proxies.child)
    client.get(url)
    with_1 = _measure(client, url, django_assert_max_num_queries)
    _add_grants(cast, 19)
    with_20 = _measure(client, url, django_assert_max_num_queries)
    assert with_1 == (QUERY_BUDGET, 1)
    assert with_20 == (QUERY_BUDGET, 20)
