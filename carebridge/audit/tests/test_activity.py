import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditAction, AuditEvent, AuditOutcome
from carebridge.audit.services import record_event

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
URL = reverse("audit:activity")
# The fixed cost: session, user, acting context, recording the view (with its savepoint),
# the people and apps for the person filter (two), the count and one page of others' events,
# the count and one page of the patient's own, the staff roles on the page, and the
# navigation's count of unread messages.
QUERY_BUDGET = 22


def _at(moment, **fields):
    """Record an event as if at `moment` (a datetime in the clinic's time zone)."""
    with time_machine.travel(moment, tick=False):
        return record_event(**fields)


def _staff_view(cast, patient, moment, **extra):
    return _at(
        moment,
        actor=cast.clinician,
        action=AuditAction.VIEW,
        object_type="account",
        patient=patient,
        acting_as="staff",
        **extra,
    )


def _rows(response, key="looked_rows"):
    return [(row.who, row.acting_as, row.what, row.outcome) for row in response.context[key]]


OWN_VISIT = ("You", "The patient", "Viewed the account activity", "Allowed")


def test_patient_sees_events_about_her_record_only(cast, patient_client):
    _staff_view(cast, cast.patient, datetime.datetime(2025, 3, 1, 9, 0, tzinfo=NEW_YORK))
    _staff_view(cast, cast.second_patient, datetime.datetime(2025, 3, 2, 9, 0, tzinfo=NEW_YORK))
    _at(
        datetime.datetime(2025, 3, 3, 9, 0, tzinfo=NEW_YORK),
        actor=cast.clinician,
        action=AuditAction.UPDATE,
        object_type="account",
        patient=cast.patient,
        acting_as="staff",
        outcome=AuditOutcome.DENIED,
    )
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert _rows(response, "own_rows") == [OWN_VISIT]
    assert _rows(response) == [
        ("Casey Clinician (clinician)", "Clinic staff", "Changed: portal account", "Denied"),
        ("Casey Clinician (clinician)", "Clinic staff", "Viewed: portal account", "Allowed"),
    ]
    html = response.content.decode()
    assert '<span class="badge denied">Denied</span>' in html
    assert "March 3, 2025, 9:00 a.m." in html
    assert '<th scope="col">Who</th>' in html


def test_second_patient_sees_none_of_pats_events(cast):
    _staff_view(cast, cast.patient, datetime.datetime(2025, 3, 1, 9, 0, tzinfo=NEW_YORK))
    client = Client()
    client.force_login(cast.second_patient_user)
    response = client.get(URL)
    assert _rows(response, "own_rows") == [OWN_VISIT]
    assert _rows(response) == []


def test_viewing_the_page_is_recorded(cast, patient_client):
    patient_client.get(URL, HTTP_USER_AGENT="Test browser")
    event = AuditEvent.objects.get(object_type="account_activity")
    assert event.action == AuditAction.VIEW
    assert event.patient == cast.patient
    assert event.actor == cast.patient_user
    assert event.acting_as == "self"
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.user_agent == "Test browser"
    assert event.ip == "127.0.0.1"
    assert len(event.request_id) == 32


def test_date_range_uses_whole_days_in_the_clinics_time_zone(cast, patient_client):
    # 23:30 on 9 March in New York is already 10 March in UTC.
    late_on_ninth = _staff_view(
        cast, cast.patient, datetime.datetime(2025, 3, 9, 23, 30, tzinfo=NEW_YORK)
    )
    start_of_tenth = _staff_view(
        cast, cast.patient, datetime.datetime(2025, 3, 10, 0, 0, tzinfo=NEW_YORK)
    )
    end_of_eleventh = _staff_view(
        cast, cast.patient, datetime.datetime(2025, 3, 11, 23, 59, 59, tzinfo=NEW_YORK)
    )
    _staff_view(cast, cast.patient, datetime.datetime(2025, 3, 12, 0, 0, tzinfo=NEW_YORK))
    response = patient_client.get(URL, {"date_from": "2025-03-10", "date_to": "2025-03-11"})
    shown = [row.occurred_at for row in response.context["looked_rows"]]
    assert shown == [end_of_eleventh.occurred_at, start_of_tenth.occurred_at]
    response = patient_client.get(URL, {"date_to": "2025-03-09"})
    shown = [row.occurred_at for row in response.context["looked_rows"]]
    assert shown == [late_on_ninth.occurred_at]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2025-02-30"}, "date_from", "Enter a valid date."),
        ({"date_to": "yesterday"}, "date_to", "Enter a valid date."),
        ({"date_from": "1850-01-01"}, "date_from", "Enter a date in 2000 or later."),
        (
            {"date_from": "2025-03-10", "date_to": "2025-03-09"},
            "date_to",
            "The end date must be on or after the start date.",
        ),
    ],
)
def test_invalid_dates_give_field_errors(patient_client, params, field, message):
    response = patient_client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert "looked_rows" not in response.context and "own_rows" not in response.context
    html = response.content.decode()
    assert f'<a href="#id_{field}">' in html
    assert 'aria-invalid="true"' in html


def test_pages_hold_twenty_five_events_and_keep_the_filter(cast, patient_client):
    moment = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=NEW_YORK)
    for minutes in range(60):
        _staff_view(cast, cast.patient, moment + datetime.timedelta(minutes=minutes))
    response = patient_client.get(URL, {"date_from": "2025-03-01"})
    assert len(response.context["looked_rows"]) == 25
    assert response.context["looked_page"].paginator.count == 60
    assert response.context["own_page"].paginator.count == 1
    assert 'href="?date_from=2025-03-01&amp;page=2"' in response.content.decode()
    response = patient_client.get(URL, {"date_from": "2025-03-01", "page": "3"})
    assert len(response.context["looked_rows"]) == 10
    assert response.context["looked_rows"][-1].occurred_at == moment
    # The visits are the patient's own activity, paged apart.
    assert len(response.context["own_rows"]) == 2


@pytest.mark.parametrize("event_count", [3, 300])
def test_query_count_does_not_grow_with_the_trail(
    cast, patient_client, event_count, django_assert_max_num_queries
):
    moment = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=NEW_YORK)
    for seconds in range(event_count):
        _staff_view(cast, cast.patient, moment + datetime.timedelta(seconds=seconds))
    # The first request of a session also records the browser session; measure the second.
    patient_client.get(URL)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = patient_client.get(URL)
    assert len(response.context["looked_rows"]) == min(event_count, 25)
    assert len(response.context["own_rows"]) == 2


def test_user_without_a_patient_record_gets_an_honest_empty_page(cast):
    client = Client()
    client.force_login(cast.visitor)
    before = AuditEvent.objects.count()
    response = client.get(URL)
    assert response.status_code == 200
    assert "There is no patient record linked to your account" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"
