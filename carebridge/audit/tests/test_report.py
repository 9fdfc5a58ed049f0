import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditAction, AuditEvent, AuditOutcome
from carebridge.audit.services import record_event
from carebridge.staff.reports import CSV_HEADER, neutralise_formula
from carebridge.testing import factories

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
URL = reverse("staff:audit-report")
CSV_URL = reverse("staff:audit-report-csv")
HEADER = (
    "occurred_at,sequence,actor,acting_as,patient_mrn,action,object_type,object_id,outcome,ip,"
    "user_agent,request_id,changes"
)
# The fixed cost: session, user, browser session, acting context, MFA and permission checks,
# recording the reading (with its savepoint), the count and one page of events.
QUERY_BUDGET = 20


def _report(client, filters, **extra):
    """Post the filters (they are kept in the session, out of the address), then read the
    report they lead to."""
    posted = client.post(URL, filters, **extra)
    if posted.status_code != 302:
        return posted
    assert posted["Location"] == URL
    return client.get(URL, **extra)


def _download(client, filters, **extra):
    """Keep the filters for the report, then download its CSV."""
    assert client.post(URL, filters)["Location"] == URL
    return client.get(CSV_URL, **extra)


def _at(moment, **fields):
    with time_machine.travel(moment, tick=False):
        return record_event(**fields)


@pytest.fixture
def trail(cast):
    """Events of both clinics, each at a known time; keys say whose they are."""
    other_patient = factories.make_patient(cast.other_clinic, mrn="HH-1001")
    day = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=NEW_YORK)
    return {
        "clinician_viewed_pat": _at(
            day,
            actor=cast.clinician,
            action=AuditAction.VIEW,
            object_type="account",
            object_id="7",
            patient=cast.patient,
            acting_as="staff",
        ),
        "other_admin_viewed_theirs": _at(
            day,
            actor=cast.other_clinic_admin,
            action=AuditAction.VIEW,
            object_type="account",
            patient=other_patient,
            acting_as="staff",
        ),
        "front_desk_signed_in": _at(
            day + datetime.timedelta(days=1),
            actor=cast.front_desk,
            action=AuditAction.SIGN_IN,
            object_type="session",
        ),
        "pat_signed_in": _at(
            day + datetime.timedelta(days=2),
            actor=cast.patient_user,
            action=AuditAction.SIGN_IN,
            object_type="session",
            patient=cast.patient,
            acting_as="self",
        ),
        "visitor_signed_in": _at(
            day + datetime.timedelta(days=2),
            actor=cast.visitor,
            action=AuditAction.SIGN_IN,
            object_type="session",
        ),
    }


def _sequences(response):
    return [row.sequence for row in response.context["rows"]]


def _newest():
    return AuditEvent.objects.order_by("-sequence").first()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_admin_sees_her_clinics_events_only(trail, admin_client_mfa):
    response = admin_client_mfa.get(URL)
    assert response.status_code == 200
    own_view = _newest()
    assert _sequences(response) == [
        own_view.sequence,
        trail["pat_signed_in"].sequence,
        trail["front_desk_signed_in"].sequence,
        trail["clinician_viewed_pat"].sequence,
    ]
    row = response.context["rows"][-1]
    assert (row.who, row.email, row.acting_as, row.patient_mrn, row.what, row.object_type) == (
        "Casey Clinician (clinic staff)",
        "casey@example.org",
        "Clinic staff",
        "RFC-1001",
        "Viewed",
        "Portal account",
    )
    html = response.content.decode()
    assert "HH-1001" not in html
    assert "Olive" not in html
    assert "<caption>" in html


def test_other_clinics_admin_sees_none_of_ours(cast, trail):
    response = _client(cast.other_clinic_admin).get(URL)
    assert _sequences(response) == [
        _newest().sequence,
        trail["other_admin_viewed_theirs"].sequence,
    ]


def test_reading_the_report_is_recorded(cast, admin_client_mfa):
    _report(admin_client_mfa, {"patient_mrn": "RFC-1001"})
    event = _newest()
    assert (event.action, event.object_type, event.acting_as) == ("view", "audit_report", "staff")
    assert event.actor == cast.clinic_admin
    # A report about one patient shows in that patient's own account activity.
    assert event.patient == cast.patient


def test_filter_by_patient_mrn_ignores_case(trail, admin_client_mfa):
    response = _report(admin_client_mfa, {"patient_mrn": "rfc-1001"})
    assert _sequences(response) == [
        _newest().sequence,
        trail["pat_signed_in"].sequence,
        trail["clinician_viewed_pat"].sequence,
    ]


def test_filter_by_another_clinics_mrn_finds_nothing(trail, admin_client_mfa):
    response = _report(admin_client_mfa, {"patient_mrn": "HH-1001"})
    assert _sequences(response) == []
    assert _newest().patient is None


def test_filter_by_user_email(trail, admin_client_mfa):
    response = _report(admin_client_mfa, {"user_email": "CASEY@example.org"})
    assert _sequences(response) == [trail["clinician_viewed_pat"].sequence]


def test_filter_by_dates_in_the_clinics_time_zone(trail, admin_client_mfa):
    response = _report(admin_client_mfa, {"date_from": "2025-03-11", "date_to": "2025-03-11"})
    assert _sequences(response) == [trail["front_desk_signed_in"].sequence]


def test_invalid_filters_give_field_errors(admin_client_mfa):
    response = _report(admin_client_mfa, {"user_email": "not-an-address", "date_to": "2025-13-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "user_email": ["Enter a valid email address."],
        "date_to": ["Enter a valid date."],
    }
    assert "rows" not in response.context


def test_the_filters_stay_out_of_every_address(trail, admin_client_mfa):
    response = _report(admin_client_mfa, {"patient_mrn": "RFC-1001"})
    page = response.content.decode()
    assert f'href="{CSV_URL}"' in page
    assert "RFC-1001" not in response.wsgi_request.get_full_path()
    assert "patient_mrn=" not in page
    # The filters are kept: paging and the download use them, and a GET cannot set them.
    mrns = [row[4] for row in _csv(admin_client_mfa.get(CSV_URL))[1][1:]]
    assert set(mrns) == {"RFC-1001"}
    assert len(mrns) == AuditEvent.objects.filter(patient__mrn="RFC-1001").count()
    ignored = admin_client_mfa.get(URL, {"patient_mrn": "RFC-1002"})
    assert ignored.context["form"].cleaned_data["patient_mrn"] == "RFC-1001"


def test_clearing_the_filters_forgets_them(trail, admin_client_mfa):
    _report(admin_client_mfa, {"patient_mrn": "RFC-1001"})
    cleared = admin_client_mfa.post(URL, {"patient_mrn": "RFC-1001", "clear": "1"})
    assert cleared["Location"] == URL
    assert admin_client_mfa.get(URL).context["form"].cleaned_data["patient_mrn"] == ""


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    text = b"".join(response.streaming_content).decode()
    return text, list(csv.reader(io.StringIO(text)))


def test_csv_has_the_header_and_one_row_per_event(cast, trail, admin_client_mfa):
    response = _download(admin_client_mfa, {"user_email": "casey@example.org"})
    text, rows = _csv(response)
    assert text.splitlines()[0] == HEADER
    assert rows[0] == CSV_HEADER
    event = trail["clinician_viewed_pat"]
    assert rows[1:] == [
        [
            "2025-03-10T09:00:00-04:00",
            str(event.sequence),
            "casey@example.org",
            "staff",
            "RFC-1001",
            "view",
            "account",
            "7",
            "success",
            "",
            "",
            "",
            "",
        ]
    ]
    assert response["Content-Disposition"].startswith('attachment; filename="audit-riverside-')


def test_csv_has_every_matching_event_not_one_page(cast, admin_client_mfa):
    for _ in range(60):
        record_event(
            actor=cast.nurse,
            action=AuditAction.VIEW,
            object_type="account",
            patient=cast.patient,
            acting_as="staff",
        )
    _, rows = _csv(_download(admin_client_mfa, {"user_email": "nora@example.org"}))
    assert len(rows) == 61


def test_download_is_recorded_and_formulas_are_neutralised(cast, admin_client_mfa):
    agent = '=HYPERLINK("http://evil.example")'
    response = _download(admin_client_mfa, {"user_email": "ada@example.org"}, HTTP_USER_AGENT=agent)
    _, rows = _csv(response)
    export = _newest()
    assert (export.action, export.object_type, export.actor) == (
        AuditAction.EXPORT,
        "audit_report",
        cast.clinic_admin,
    )
    assert export.user_agent == agent
    assert [row[1] for row in rows[1:]] == [str(export.sequence)]
    assert rows[1][10] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_invalid_filters_are_not_kept_for_the_download(trail, admin_client_mfa):
    _report(admin_client_mfa, {"user_email": "casey@example.org"})
    refused = admin_client_mfa.post(URL, {"date_from": "nonsense"})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"date_from": ["Enter a valid date."]}
    # The download still has the last filters that were right.
    _, rows = _csv(admin_client_mfa.get(CSV_URL))
    assert {row[2] for row in rows[1:]} == {"casey@example.org"}


@pytest.mark.parametrize(
    "persona", ["clinician", "nurse", "front_desk", "billing", "patient", "visitor"]
)
@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_everyone_but_clinic_admins_gets_not_found(cast, persona, url):
    user = cast.patient_user if persona == "patient" else getattr(cast, persona)
    before = AuditEvent.objects.count()
    response = _client(user).get(url)
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("event_count", [3, 120])
def test_report_query_count_does_not_grow_with_the_trail(
    cast, admin_client_mfa, event_count, django_assert_max_num_queries
):
    for _ in range(event_count):
        record_event(
            actor=cast.nurse,
            action=AuditAction.VIEW,
            object_type="account",
            patient=cast.patient,
            acting_as="staff",
            outcome=AuditOutcome.DENIED,
        )
    admin_client_mfa.get(URL)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = admin_client_mfa.get(URL)
    assert len(response.context["rows"]) == min(event_count + 2, 50)
    assert '<span class="badge denied">Denied</span>' in response.content.decode()
