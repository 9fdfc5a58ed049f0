"""The patient's caregiver pages: the list, inviting, changing and ending access."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY
from carebridge.proxies.services.invitations import invite_caregiver
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.proxy_personas import make_grant
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

LIST_URL = reverse("proxies:caregivers")
INVITE_URL = reverse("proxies:caregiver-invite")
# Session, user, the user-session record (5, with its savepoint), acting context (staff, own
# record, grants in force), the audited view (5, with its savepoint), one query for grants, and
# the navigation's count of unread messages.
QUERY_BUDGET = 17


def rows(response, section):
    return [(row.person, row.status) for row in getattr(response.context["grants"], section)]


def change_url(grant):
    return reverse("proxies:caregiver-change", args=[grant.pk])


def revoke_url(grant):
    return reverse("proxies:caregiver-revoke", args=[grant.pk])


# The list.


def test_patient_sees_her_caregivers_and_the_history(cast, patient_client):
    response = patient_client.get(LIST_URL)
    assert response.status_code == 200
    # Newest first. Ed's last day was yesterday: the daily task has not yet ended his grant.
    assert rows(response, "caregivers") == [
        ("Ed Expired", "Ended: the last day has passed"),
        ("Abe Appointments", "Active"),
        ("Cora Caregiver", "Active"),
    ]
    assert rows(response, "ended") == [("Rita Revoked", "Ended")]
    assert response.context["grants"].parents == []
    [abe] = [row for row in response.context["grants"].caregivers if row.person.startswith("Abe")]
    assert (abe.relationship, abe.scopes, abe.can_manage) == ("Caregiver", ["Appointments"], True)
    [rita] = response.context["grants"].ended
    assert (rita.ended_reason, rita.can_manage) == ("Ended by the patient", False)
    html = response.content.decode()
    assert html.count('href="/account/caregivers/invite/"') == 1
    assert change_url(cast.proxies.grants["full_caregiver"]) in html
    assert change_url(cast.proxies.grants["revoked_caregiver"]) not in html


def test_viewing_the_list_is_audited(cast, patient_client):
    patient_client.get(LIST_URL)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.actor, event.patient, event.action, event.object_type, event.acting_as) == (
        cast.patient_user,
        cast.patient,
        AuditAction.VIEW,
        "proxy_grants",
        "self",
    )


def test_a_patient_acting_for_someone_manages_only_her_own_caregivers(cast):
    # Sam helps Pat; while acting for Pat, his caregiver page is still about his own record.
    make_grant(
        cast.patient, cast.second_patient_user, granted_by=cast.patient_user, scopes=["record"]
    )
    client = client_for(cast.second_patient_user, acting_for=cast.patient)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.wsgi_request.acting.is_proxy is True
    assert rows(response, "caregivers") == []
    assert rows(response, "ended") == []
    cora_grant = cast.proxies.grants["full_caregiver"]
    assert client.get(change_url(cora_grant)).status_code == 404
    assert client.post(revoke_url(cora_grant)).status_code == 404
    cora_grant.refresh_from_db()
    assert cora_grant.status == GrantStatus.ACTIVE


def test_a_teenager_sees_her_parent_read_only_with_a_link_to_sharing(cast):
    client = client_for(cast.proxies.teen_user)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert rows(response, "parents") == [("Terry Parent", "Active")]
    assert response.context["grants"].parents[0].can_manage is False
    html = response.content.decode()
    assert 'href="/account/sharing/"' in html
    assert 'href="/account/caregivers/invite/"' not in html
    assert change_url(cast.proxies.grants["parent_of_teen"]) not in html
    assert "Only adults can invite a caregiver." in html


@pytest.mark.parametrize("persona", ["full_caregiver", "parent_of_teen"])
def test_someone_without_a_record_of_their_own_gets_404(cast, persona):
    user = getattr(cast.proxies, persona)
    client = client_for(user, acting_for=cast.proxies.acting_for(persona))
    assert client.get(LIST_URL).status_code == 404
    assert client.get(INVITE_URL).status_code == 404


def test_the_list_costs_the_same_for_few_and_many_grants(
    cast, patient_client, django_assert_max_num_queries
):
    patient_client.get(LIST_URL)
    with django_assert_max_num_queries(QUERY_BUDGET) as few:
        assert patient_client.get(LIST_URL).status_code == 200
    for n in range(25):
        helper = factories.make_user(email=f"helper{n}@example.org")
        make_grant(cast.patient, helper, granted_by=cast.patient_user, scopes=["billing"])
    with django_assert_max_num_queries(QUERY_BUDGET) as many:
        response = patient_client.get(LIST_URL)
    assert len(response.context["grants"].caregivers) == 28
    assert len(many) == len(few)


# Inviting.


def test_the_invitation_form_explains_each_choice(patient_client):
    html = patient_client.get(INVITE_URL).content.decode()
    assert '<legend class="label">What they may see and do</legend>' in html
    assert 'id="id_scopes_1" aria-describedby="id_scopes_1_hint"' in html
    assert "See your test results and measurements such as blood pressure." in html
    assert 'value="parent"' not in html
    assert 'value="legal_guardian"' not in html
    assert 'value="adult_child"' in html


def test_inviting_sends_an_e_mail_naming_only_the_patient_and_says_so(
    cast, patient_client, django_capture_on_commit_callbacks
):
    data = {
        "email": "Chris@Example.org",
        "relationship": "adult_child",
        "scopes": ["appointments", "results"],
        "ends_on": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(INVITE_URL, data)
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == [
        "We have sent an invitation to chris@example.org. The link in it works for 7 days."
    ]
    grant = ProxyGrant.objects.get(invite_email="chris@example.org")
    assert (grant.status, grant.scopes, grant.relationship, grant.ends_on) == (
        GrantStatus.INVITED,
        ["appointments", "results"],
        "adult_child",
        None,
    )
    [message] = mail.outbox
    assert message.to == ["chris@example.org"]
    link = re.search(r"http://127\.0\.0\.1:8000/account/caregivers/accept/[\w-]+/", message.body)
    assert link is not None
    assert message.subject == "[Carebridge] Pat Patient has invited you to help with their care"
    for private in (
        "Riverside",
        "result",
        "results",
        "appointment",
        "appointments",
    ):
        assert not mentions(message.body, private)
    page = " ".join(patient_client.get(INVITE_URL).content.decode().split())
    assert (
        "The e-mail says your name, so they know who is inviting them, and nothing about your "
        "health."
    ) in page


def test_a_refusal_from_the_service_is_shown_on_the_form(
    cast, patient_client, django_capture_on_commit_callbacks
):
    data = {"email": "pat@example.org", "relationship": "caregiver", "scopes": ["billing"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(INVITE_URL, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["You cannot invite yourself."]
    assert "You cannot invite yourself." in response.content.decode()
    assert ProxyGrant.objects.filter(status=GrantStatus.INVITED).count() == 0
    assert mail.outbox == []


def test_missing_choices_are_field_errors(patient_client):
    response = patient_client.post(INVITE_URL, {"email": "chris@example.org"})
    errors = response.context["form"].errors
    assert errors["relationship"] == ["Choose how this person is related to you."]
    assert errors["scopes"] == ["Choose at least one thing they may see or do."]
    assert 'href="#id_scopes"' in response.content.decode()


def test_a_parent_relationship_cannot_be_chosen(patient_client):
    data = {"email": "chris@example.org", "relationship": "parent", "scopes": ["billing"]}
    response = patient_client.post(INVITE_URL, data)
    assert list(response.context["form"].errors) == ["relationship"]
    assert ProxyGrant.objects.filter(invite_email="chris@example.org").count() == 0


def test_a_teenager_is_told_only_adults_can_invite(cast, django_capture_on_commit_callbacks):
    client = client_for(cast.proxies.teen_user)
    before = ProxyGrant.objects.count()
    data = {"email": "a@example.org", "relationship": "other", "scopes": ["billing"]}
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.get(INVITE_URL), client.post(INVITE_URL, data)]
    for response in responses:
        assert response.status_code == 403
        assert "<h1>Only adults can invite a caregiver</h1>" in response.content.decode()
    assert ProxyGrant.objects.count() == before
    assert mail.outbox == []


# Changing what a caregiver may do.


def test_narrowing_takes_effect_on_the_caregivers_next_request(cast, patient_client):
    grant = cast.proxies.grants["full_caregiver"]
    page = patient_client.get(change_url(grant))
    assert page.status_code == 200
    assert 'value="record" id="id_scopes_0" aria-describedby="id_scopes_0_hint" checked' in (
        page.content.decode()
    )
    response = patient_client.post(change_url(grant), {"scopes": ["appointments"]})
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["Saved. The change applies from Cora Caregiver's next visit."]
    grant.refresh_from_db()
    assert grant.scopes == ["appointments"]
    cora = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    summary = cora.get(reverse("records:summary"))
    assert summary.status_code == 404
    assert summary.wsgi_request.acting.scopes == frozenset({"appointments"})


def test_widening_adds_scopes(cast, patient_client):
    grant = cast.proxies.grants["appointments_caregiver"]
    patient_client.post(change_url(grant), {"scopes": ["appointments", "record"]})
    grant.refresh_from_db()
    assert grant.scopes == ["appointments", "record"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.object_type, event.acting_as, event.object_id) == (
        AuditAction.UPDATE,
        "proxy_grant",
        "self",
        str(grant.pk),
    )


def test_choosing_nothing_is_refused(cast, patient_client):
    grant = cast.proxies.grants["full_caregiver"]
    response = patient_client.post(change_url(grant), {})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "scopes": ["Choose at least one thing they may see or do."]
    }
    grant.refresh_from_db()
    assert len(grant.scopes) == 6


def test_an_ended_grant_cannot_change(cast, patient_client):
    grant = cast.proxies.grants["revoked_caregiver"]
    response = patient_client.post(change_url(grant), {"scopes": ["billing"]})
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["This access has already ended."]
    grant.refresh_from_db()
    assert len(grant.scopes) == 6


@pytest.mark.parametrize("view", ["proxies:caregiver-change", "proxies:caregiver-revoke"])
def test_others_and_parents_grants_are_404(cast, view, django_capture_on_commit_callbacks):
    sam = client_for(cast.second_patient_user)
    tess = client_for(cast.proxies.teen_user)
    pat = client_for(cast.patient_user)
    cora_grant = cast.proxies.grants["full_caregiver"]
    terry_grant = cast.proxies.grants["parent_of_teen"]
    for client, grant_id in (
        (sam, cora_grant.pk),
        (tess, terry_grant.pk),
        (pat, terry_grant.pk),
        (pat, uuid.uuid4()),
    ):
        url = reverse(view, args=[grant_id])
        assert client.get(url).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"scopes": ["billing"]}).status_code == 404
    for grant in (cora_grant, terry_grant):
        grant.refresh_from_db()
        assert (grant.status, len(grant.scopes)) == (GrantStatus.ACTIVE, 6)
    assert mail.outbox == []


# Ending access.


def test_revoking_tells_both_and_the_caregiver_loses_access_at_once(
    cast, patient_client, django_capture_on_commit_callbacks
):
    grant = cast.proxies.grants["full_caregiver"]
    cora = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    assert cora.get(reverse("records:summary")).status_code == 200
    confirm = patient_client.get(revoke_url(grant))
    assert "<h1>End access for Cora Caregiver?</h1>" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(revoke_url(grant))
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == [
        "Cora Caregiver can no longer help you. We have told them by e-mail."
    ]
    grant.refresh_from_db()
    assert (grant.status, grant.end_reason, grant.ended_by) == (
        GrantStatus.REVOKED,
        EndReason.REVOKED_BY_PATIENT,
        cast.patient_user,
    )
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("cora@example.org", "[Carebridge] Your access to help someone has ended"),
        ("pat@example.org", "[Carebridge] Someone's access to help you has ended"),
    ]
    summary = cora.get(reverse("records:summary"))
    assert summary.status_code == 404
    assert summary.wsgi_request.acting.is_proxy is False
    assert ACTING_FOR_SESSION_KEY not in cora.session


def test_cancelling_an_invitation_sends_nothing(
    cast, patient_client, django_capture_on_commit_callbacks
):
    grant, _token = invite_caregiver(
        actor=cast.patient_user,
        patient=cast.patient,
        email="chris@example.org",
        relationship="caregiver",
        scopes=["billing"],
    )
    confirm = patient_client.get(revoke_url(grant))
    assert "<h1>Cancel the invitation to chris@example.org?</h1>" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(revoke_url(grant))
    assert flashed(response) == [
        "The invitation to chris@example.org is cancelled. Its link no longer works."
    ]
    grant.refresh_from_db()
    assert (grant.status, grant.invite_token_digest) == (GrantStatus.REVOKED, "")
    assert mail.outbox == []


def test_an_invitation_shows_in_the_list_until_it_expires(cast, patient_client):
    invite_caregiver(
        actor=cast.patient_user,
        patient=cast.patient,
        email="chris@example.org",
        relationship="caregiver",
        scopes=["billing"],
        ends_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    response = patient_client.get(LIST_URL)
    assert rows(response, "caregivers")[0] == (
        "chris@example.org",
        "Invited: waiting for them to accept",
    )
    assert "Cancel the invitation" in response.content.decode()
