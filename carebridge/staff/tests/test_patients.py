import datetime
import re

import pytest
from django.test import Client

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.testing import factories
from carebridge.testing.personas import PERSONAS, user_for
from carebridge.testing.proxy_personas import PROXY_PERSONAS

pytestmark = pytest.mark.django_db

LIST_URL = "/staff/patients/"

EXPECTED_STATUS = {
    "anonymous": 302,
    "patient": 404,
    "second_patient": 404,
    "visitor": 404,
    # Caregivers and parents are not staff, whoever they act for.
    **dict.fromkeys(PROXY_PERSONAS, 404),
    "clinician": 200,
    "nurse": 200,
    "front_desk": 200,
    "billing": 200,
    "clinic_admin": 200,
    "other_clinic_admin": 200,
    "staff_without_mfa": 302,
}

_CELL = r"<td[^>]*>(.*?)</td>"
_ROW = re.compile(r"<tr>\s*" + r"\s*".join([_CELL] * 4), re.S)


def _client(cast, persona):
    client = Client()
    user = user_for(cast, persona)
    if user is not None:
        client.force_login(user)
    return client


def _search(client, text, page=None):
    """Post the search (as the page's form does), then show the list it redirects to."""
    posted = client.post(LIST_URL, {"q": text})
    if posted.status_code != 302:
        return posted
    assert posted["Location"] == LIST_URL
    return client.get(LIST_URL, {"page": page} if page else {})


def _rows(response):
    """(name, MRN, portal account) for each row of the table (the name is a link)."""
    return [
        (re.sub(r"<[^>]+>", "", name), mrn, account)
        for name, _dob, mrn, account in _ROW.findall(response.content.decode())
    ]


def test_every_persona_is_covered():
    assert sorted(EXPECTED_STATUS) == sorted(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_patient_list_access_by_persona(cast, persona):
    response = _client(cast, persona).get(LIST_URL)
    assert response.status_code == EXPECTED_STATUS[persona]
    if persona == "anonymous":
        assert response["Location"] == "/account/login/?next=/staff/patients/"
    if persona == "staff_without_mfa":
        assert response["Location"] == "/account/2fa/"


def test_lists_only_our_clinic_with_enrolment_status(cast):
    factories.make_patient(cast.other_clinic, given_name="Hana", family_name="Hilltop", mrn="HH-1")
    response = _client(cast, "clinician").get(LIST_URL)
    assert _rows(response) == [
        ("Justadult, Jo", "RFC-2003", "Not enrolled"),
        ("Kid, Kit", "RFC-2001", "Not enrolled"),
        ("Patient, Pat", "RFC-1001", "Enrolled"),
        ("Second, Sam", "RFC-1002", "Enrolled"),
        ("Teen, Tess", "RFC-2002", "Enrolled"),
        ("Unenrolled, Una", "RFC-1003", "Not enrolled"),
    ]
    body = response.content.decode()
    assert '<td data-label="Date of birth">March 14, 1956</td>' in body
    assert "<caption>6 patients</caption>" in body


def test_other_clinic_admin_sees_none_of_our_patients(cast):
    factories.make_patient(cast.other_clinic, given_name="Hana", family_name="Hilltop", mrn="HH-1")
    response = _client(cast, "other_clinic_admin").get(LIST_URL)
    assert _rows(response) == [("Hilltop, Hana", "HH-1", "Not enrolled")]
    assert "RFC-100" not in response.content.decode()
    assert _rows(_search(_client(cast, "other_clinic_admin"), "RFC-1003")) == []


@pytest.mark.parametrize(
    ("text", "expected_mrns"),
    [
        ("rfc-1002", ["RFC-1002"]),
        ("unen", ["RFC-1003"]),
        ("pat", ["RFC-1001"]),
        ("RFC-10", []),
        ("", ["RFC-2003", "RFC-2001", "RFC-1001", "RFC-1002", "RFC-2002", "RFC-1003"]),
    ],
)
def test_search_by_mrn_family_or_given_name(cast, text, expected_mrns):
    response = _search(_client(cast, "nurse"), text)
    assert [mrn for _name, mrn, _account in _rows(response)] == expected_mrns


def test_no_match_says_so(cast):
    body = _search(_client(cast, "nurse"), "Zebedee").content.decode()
    assert "No patients match “Zebedee”." in body
    assert "<table>" not in body


@pytest.mark.parametrize(
    ("persona", "can_invite"),
    [("front_desk", True), ("clinic_admin", True), ("clinician", False), ("billing", False)],
)
def test_invite_link_only_for_unenrolled_patients_and_inviting_roles(cast, persona, can_invite):
    body = _client(cast, persona).get(LIST_URL).content.decode()
    links = re.findall(r'href="(/staff/patients/[^"]+/invite/)"', body)
    unenrolled = [cast.proxies.new_adult, cast.proxies.child, cast.unenrolled_patient]
    assert links == (
        [f"/staff/patients/{patient.pk}/invite/" for patient in unenrolled] if can_invite else []
    )
    assert ("Issue activation code" in body) is can_invite


def test_table_and_search_are_accessible(cast):
    body = _client(cast, "clinician").get(LIST_URL).content.decode()
    assert '<label for="id_q">Find a patient</label>' in body
    assert 'aria-describedby="id_q_helptext"' in body
    # Name, date of birth, MRN, portal account, and actions (the clinician opens charts).
    assert body.count('<th scope="col">') == 5
    assert "<caption>" in body


def test_viewing_the_list_is_audited_once_for_each_patient_shown(cast):
    before = AuditEvent.objects.count()
    _search(_client(cast, "front_desk"), "Una")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        cast.front_desk,
        AuditAction.VIEW,
        "patient_list",
        str(cast.unenrolled_patient.pk),
    )
    assert (event.patient, event.acting_as) == (cast.unenrolled_patient, "staff")


def test_the_search_words_stay_out_of_the_address_and_the_page_links(cast):
    client = _client(cast, "nurse")
    posted = client.post(LIST_URL, {"q": "Una"})
    body = client.get(LIST_URL).content.decode()
    assert (posted.status_code, posted["Location"]) == (302, LIST_URL)
    assert "?q=" not in body
    assert 'value="Una"' in body
    assert 'method="post"' in body


def test_a_search_in_the_address_is_ignored(cast):
    response = _client(cast, "nurse").get(LIST_URL, {"q": "Una"})
    assert len(_rows(response)) == 6


def test_denied_list_records_no_view(cast):
    before = AuditEvent.objects.count()
    assert _client(cast, "patient").get(LIST_URL).status_code == 404
    assert AuditEvent.objects.filter(object_type="patient_list").count() == 0
    assert AuditEvent.objects.count() == before


def _add_patients(cast, count):
    for n in range(count):
        factories.make_patient(
            cast.clinic,
            given_name="Bulk",
            family_name=f"Load{n:03d}",
            birth_date=datetime.date(1970, 1, 1) + datetime.timedelta(days=n),
        )


def test_pages_hold_25_patients(cast):
    # The cast's clinic has six patients (Pat, Sam, Una, and the three the parents help).
    _add_patients(cast, 54)
    client = _client(cast, "clinician")
    first = client.get(LIST_URL)
    last = client.get(LIST_URL, {"page": "3"})
    assert len(_rows(first)) == 25
    assert len(_rows(last)) == 10
    assert "60 patients (page 1 of 3)" in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert 'href="?page=2" rel="prev"' in last.content.decode()


def test_search_is_kept_when_paging(cast):
    _add_patients(cast, 30)
    client = _client(cast, "clinician")
    first = _search(client, "Bulk").content.decode()
    second = client.get(LIST_URL, {"page": "2"})
    assert 'href="?page=2" rel="next"' in first
    assert len(_rows(second)) == 5
    assert {name.split(",")[1].strip() for name, _mrn, _account in _rows(second)} == {"Bulk"}


# Steady state, after the first request: session and user (2; the acting context and the
# two-step check are kept, the session's activity written once a minute), permissions (2),
# the page count and rows (2), and the audit's one INSERT.
QUERY_BUDGET = 7


def _measure(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERY_BUDGET) as captured:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(captured.captured_queries), len(_rows(response))


def test_query_budget_is_the_same_for_6_and_60_patients(cast, django_assert_max_num_queries):
    client = _client(cast, "front_desk")
    client.get(LIST_URL)
    with_6 = _measure(client, django_assert_max_num_queries)
    _add_patients(cast, 54)
    with_60 = _measure(client, django_assert_max_num_queries)
    assert with_6 == (QUERY_BUDGET, 6)
    assert with_60 == (QUERY_BUDGET, 25)
