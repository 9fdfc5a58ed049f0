"""A teenager chooses what more a parent may see, and the parent's next request sees it."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies import rules
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY, resolve_acting_context
from carebridge.proxies.rules import FULL_RECORD_PARTS, RESULT_PARTS, TEEN_RECORD_PARTS
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.proxy_personas import make_grant, years_before

pytestmark = pytest.mark.django_db
URL = reverse("proxies:teen-sharing")
# Session, user, the user-session record (5, with its savepoint), the acting context (staff,
# own record, grants in force), the parents' grants, the audited view (4), and the navigation's
# count of unread messages.
QUERY_BUDGET = 16


def terry_sees(cast):
    acting = resolve_acting_context(cast.proxies.parent_of_teen, str(cast.proxies.teen.pk))
    return acting.scopes, acting.record_parts


def prefix(grant):
    return grant.pk.hex


def test_the_teenager_sees_what_each_parent_sees_and_may_share_more(cast):
    response = client_for(cast.proxies.teen_user).get(URL)
    assert response.status_code == 200
    [(row, form)] = response.context["parents"]
    assert (row.parent_name, row.relationship) == ("Terry Parent", "Parent")
    assert row.already_sees == [
        "Messages they write to the clinic about you, and the clinic's replies",
        "Appointments",
        "Bills and payments",
        "Allergies and immunizations (vaccines) in your health record",
    ]
    assert (row.shareable, row.shared) == (["record", "results", "messaging", "account"], [])
    assert [option.data["value"] for option, _words in form.scope_options()] == [
        "record",
        "results",
        "messaging",
        "account",
    ]
    html = response.content.decode()
    assert '<legend class="label">What else they may see</legend>' in html
    assert "Your test results and measurements such as blood pressure." in html
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.actor, event.patient, event.action, event.object_type, event.acting_as) == (
        cast.proxies.teen_user,
        cast.proxies.teen,
        AuditAction.VIEW,
        "proxy_sharing",
        "self",
    )


def test_sharing_results_changes_what_the_parent_gets(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    scopes, parts = terry_sees(cast)
    assert scopes == {"record", "messaging", "appointments", "billing"}
    assert parts == TEEN_RECORD_PARTS
    response = client_for(cast.proxies.teen_user).post(
        URL, {"grant": str(grant.pk), f"{prefix(grant)}-scopes": ["results"]}
    )
    assert (response.status_code, response["Location"]) == (302, URL)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Saved. Terry Parent sees the change from their next visit."
    ]
    grant.refresh_from_db()
    assert grant.teen_shared_scopes == ["results"]
    scopes, parts = terry_sees(cast)
    assert scopes == {"record", "results", "messaging", "appointments", "billing"}
    assert parts == TEEN_RECORD_PARTS | RESULT_PARTS


def test_sharing_the_whole_record_then_taking_it_back(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    tess = client_for(cast.proxies.teen_user)
    tess.post(URL, {"grant": str(grant.pk), f"{prefix(grant)}-scopes": ["record"]})
    assert terry_sees(cast)[1] == FULL_RECORD_PARTS
    page = tess.get(URL).content.decode()
    assert f'value="record" id="id_{prefix(grant)}-scopes_0"' in page
    assert 'aria-describedby="id_' + prefix(grant) + '-scopes_0_hint" checked' in page
    tess.post(URL, {"grant": str(grant.pk)})
    grant.refresh_from_db()
    assert grant.teen_shared_scopes == []
    assert terry_sees(cast)[1] == TEEN_RECORD_PARTS
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.object_type) == (AuditAction.UPDATE, "proxy_sharing")


def test_the_parents_next_request_sees_the_change(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    terry = client_for(cast.proxies.parent_of_teen)
    session = terry.session
    session[ACTING_FOR_SESSION_KEY] = str(cast.proxies.teen.pk)
    session.save()
    assert terry.get(reverse("records:results")).status_code == 404
    client_for(cast.proxies.teen_user).post(
        URL, {"grant": str(grant.pk), f"{prefix(grant)}-scopes": ["results"]}
    )
    response = terry.get(reverse("records:results"))
    assert response.status_code == 200
    assert response.wsgi_request.acting.may("results") is True


def test_something_staff_did_not_grant_cannot_be_shared(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    grant.scopes = ["appointments", "record"]
    grant.save(update_fields=["scopes"])
    tess = client_for(cast.proxies.teen_user)
    response = tess.post(URL, {"grant": str(grant.pk), f"{prefix(grant)}-scopes": ["results"]})
    assert response.status_code == 200
    form = response.context["parents"][0][1]
    assert list(form.errors) == ["scopes"]
    grant.refresh_from_db()
    assert grant.teen_shared_scopes == []


def test_an_unknown_grant_is_404(cast):
    cora_grant = cast.proxies.grants["full_caregiver"]
    response = client_for(cast.proxies.teen_user).post(
        URL, {"grant": str(cora_grant.pk), f"{prefix(cora_grant)}-scopes": ["results"]}
    )
    assert response.status_code == 404
    cora_grant.refresh_from_db()
    assert cora_grant.teen_shared_scopes == []


def test_adults_children_and_teens_without_a_parent_get_404(cast):
    today = rules.clinic_today(cast.clinic)
    child_user = factories.make_user(email="kid@example.org")
    factories.make_patient(cast.clinic, user=child_user, birth_date=years_before(today, 10))
    make_grant(
        child_user.patient,
        cast.proxies.parent_of_child,
        granted_by=cast.front_desk,
        scopes=["record", "results"],
        is_parental=True,
        relationship="parent",
    )
    lone_teen = factories.make_user(email="lone@example.org")
    factories.make_patient(cast.clinic, user=lone_teen, birth_date=years_before(today, 14))
    for user in (cast.patient_user, child_user, lone_teen, cast.proxies.parent_of_teen):
        client = client_for(user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, {"grant": "x"}).status_code == 404


def test_on_the_eighteenth_birthday_the_page_is_gone(cast):
    born = cast.proxies.teen.birth_date
    eighteenth = born.replace(year=born.year + 18)
    # Noon in New York, the clinic's time zone.
    noon = datetime.datetime.combine(eighteenth, datetime.time(16, 0), tzinfo=datetime.UTC)
    with time_machine.travel(noon - datetime.timedelta(days=1), tick=False):
        assert client_for(cast.proxies.teen_user).get(URL).status_code == 200
    with time_machine.travel(noon, tick=False):
        assert client_for(cast.proxies.teen_user).get(URL).status_code == 404


def test_the_page_costs_the_same_for_one_parent_or_several(cast, django_assert_max_num_queries):
    tess = client_for(cast.proxies.teen_user)
    tess.get(URL)
    with django_assert_max_num_queries(QUERY_BUDGET) as one:
        assert tess.get(URL).status_code == 200
    for name in ("mum", "stepdad", "gran"):
        make_grant(
            cast.proxies.teen,
            factories.make_user(email=f"{name}@example.org"),
            granted_by=cast.front_desk,
            scopes=["record", "results"],
            is_parental=True,
            relationship="legal_guardian",
        )
    with django_assert_max_num_queries(QUERY_BUDGET) as several:
        response = tess.get(URL)
    assert len(response.context["parents"]) == 4
    assert len(several) == len(one)
