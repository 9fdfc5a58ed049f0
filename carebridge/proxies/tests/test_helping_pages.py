"""The proxy's side: the people they help, stopping helping, and the account overview's links."""

import datetime
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies.models import EndReason, GrantStatus
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.proxy_personas import make_grant

pytestmark = pytest.mark.django_db

HELPING_URL = reverse("proxies:helping")
OVERVIEW_URL = reverse("accounts:overview")
# Session, user, the user-session record (5, with its savepoint), the acting context (staff,
# own record, grants in force) and one query for the grants.
QUERY_BUDGET = 11


def stop_url(grant):
    return reverse("proxies:helping-stop", args=[grant.pk])


def summary(response):
    return [
        (row.patient_name, row.scopes_today, row.is_teen_limited, row.status)
        for row in response.context["rows"]
    ]


def test_a_caregiver_sees_whom_she_helps_and_what_she_may_do(cast):
    response = client_for(cast.proxies.full_caregiver).get(HELPING_URL)
    assert response.status_code == 200
    assert summary(response) == [
        (
            "Pat Patient",
            [
                "Health record",
                "Test results",
                "Messages with the clinic",
                "Appointments",
                "Bills and payments",
                "Account settings",
            ],
            False,
            "Active",
        )
    ]
    assert stop_url(cast.proxies.grants["full_caregiver"]) in response.content.decode()


def test_a_teenagers_parent_sees_what_the_age_rules_leave(cast):
    response = client_for(cast.proxies.parent_of_teen).get(HELPING_URL)
    assert summary(response) == [
        (
            "Tess Teen",
            ["Health record", "Messages with the clinic", "Appointments", "Bills and payments"],
            True,
            "Active",
        )
    ]
    assert "only allergies and immunizations (vaccines)" in response.content.decode()


def test_a_grown_up_childs_parent_may_do_nothing_today(cast):
    response = client_for(cast.proxies.parent_of_adult).get(HELPING_URL)
    assert summary(response) == [("Jo Justadult", [], False, "Ended: the patient is now an adult")]


def test_recently_ended_access_is_shown_with_why_and_old_access_is_not(cast):
    rita = cast.proxies.revoked_caregiver
    long_ago = timezone.now() - datetime.timedelta(days=91)
    make_grant(
        cast.second_patient,
        rita,
        granted_by=cast.second_patient_user,
        scopes=["billing"],
        status=GrantStatus.REVOKED,
        end_reason=EndReason.REVOKED_BY_PATIENT,
        ended_at=long_ago,
    )
    response = client_for(rita).get(HELPING_URL)
    assert summary(response) == [("Pat Patient", [], False, "Ended")]
    [row] = response.context["rows"]
    assert row.ended_reason == "Ended by the patient"
    assert stop_url(row.grant) not in response.content.decode()


def test_someone_who_helps_nobody_is_told_so(cast, patient_client):
    response = patient_client.get(HELPING_URL)
    assert response.context["rows"] == []
    assert "You do not help anyone with their account at the moment." in response.content.decode()


def test_the_page_costs_the_same_for_few_and_many_people(cast, django_assert_max_num_queries):
    cora = cast.proxies.full_caregiver
    client = client_for(cora)
    client.get(HELPING_URL)
    with django_assert_max_num_queries(QUERY_BUDGET) as few:
        assert client.get(HELPING_URL).status_code == 200
    for n in range(20):
        helped = factories.make_patient(cast.clinic, birth_date=datetime.date(1950, 1, n + 1))
        make_grant(helped, cora, granted_by=cast.front_desk, scopes=["billing"])
    # The new grants renewed Cora's kept key: the first request decides again (3 queries),
    # the next uses that decision, as the first measurement did.
    client.get(HELPING_URL)
    with django_assert_max_num_queries(QUERY_BUDGET) as many:
        response = client.get(HELPING_URL)
    assert len(response.context["rows"]) == 21
    assert len(many) == len(few)


# Stopping.


def test_stopping_ends_access_tells_both_and_leaves_the_patients_account(
    cast, django_capture_on_commit_callbacks
):
    grant = cast.proxies.grants["full_caregiver"]
    cora = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    confirm = cora.get(stop_url(grant))
    assert "<h1>Stop helping Pat Patient?</h1>" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(stop_url(grant))
    assert (response.status_code, response["Location"]) == (302, HELPING_URL)
    assert flashed(response) == ["You no longer help Pat Patient. We have told them by e-mail."]
    assert ACTING_FOR_SESSION_KEY not in cora.session
    grant.refresh_from_db()
    assert (grant.status, grant.end_reason, grant.ended_by) == (
        GrantStatus.REVOKED,
        EndReason.WITHDRAWN_BY_PROXY,
        cast.proxies.full_caregiver,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["cora@example.org", "pat@example.org"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.acting_as, event.patient) == (
        AuditAction.REVOKE,
        "proxy",
        cast.patient,
    )
    after = cora.get(reverse("records:summary"))
    assert after.status_code == 404
    assert after.wsgi_request.acting.is_proxy is False


def test_stopping_for_someone_else_keeps_the_current_choice(cast):
    # Cora also helps Sam; stopping that keeps her acting for Pat.
    sam_grant = make_grant(
        cast.second_patient,
        cast.proxies.full_caregiver,
        granted_by=cast.second_patient_user,
        scopes=["billing"],
    )
    cora = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    cora.post(stop_url(sam_grant))
    assert cora.session[ACTING_FOR_SESSION_KEY] == str(cast.patient.pk)
    sam_grant.refresh_from_db()
    assert sam_grant.status == GrantStatus.REVOKED


def test_another_persons_grant_is_404(cast, django_capture_on_commit_callbacks):
    grant = cast.proxies.grants["full_caregiver"]
    for user in (cast.proxies.appointments_caregiver, cast.patient_user, cast.front_desk):
        client = client_for(user)
        assert client.get(stop_url(grant)).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(stop_url(grant)).status_code == 404
    unknown = reverse("proxies:helping-stop", args=[uuid.uuid4()])
    assert client_for(cast.proxies.full_caregiver).post(unknown).status_code == 404
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
    assert mail.outbox == []


def test_stopping_ended_access_says_so(cast):
    grant = cast.proxies.grants["revoked_caregiver"]
    response = client_for(cast.proxies.revoked_caregiver).post(stop_url(grant))
    assert (response.status_code, response["Location"]) == (302, HELPING_URL)
    assert flashed(response) == ["This access has already ended."]


# The account overview's links.

CAREGIVERS_LINK = '<a href="/account/caregivers/">Caregivers: people who can help you</a>'
HELPING_LINK = '<a href="/account/helping/">People you help</a>'
SHARING_LINK = '<a href="/account/sharing/">What you share with your parent or guardian</a>'


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("patient", [CAREGIVERS_LINK]),
        ("full_caregiver", [HELPING_LINK]),
        ("revoked_caregiver", [HELPING_LINK]),
        ("teen", [SHARING_LINK]),
        ("visitor", []),
    ],
)
def test_the_overview_links_to_the_pages_that_apply(cast, who, links):
    users = {
        "patient": cast.patient_user,
        "full_caregiver": cast.proxies.full_caregiver,
        "revoked_caregiver": cast.proxies.revoked_caregiver,
        "teen": cast.proxies.teen_user,
        "visitor": cast.visitor,
    }
    html = client_for(users[who]).get(OVERVIEW_URL).content.decode()
    present = [link for link in (CAREGIVERS_LINK, HELPING_LINK, SHARING_LINK) if link in html]
    assert present == links
    assert "Account activity: who has seen or changed your record" in html
