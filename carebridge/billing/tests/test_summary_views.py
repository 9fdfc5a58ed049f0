"""The billing summary page, the home page's bills panel and the "Bills" entry.

Cast: Pat owes $50.00, $35.00 of it due on statement 1234-5678-90 (see `bills.py`); Sam owes
nothing. Cora (every scope) sees Pat's bills; Abe (appointments only) does not, and his try is
audited as denied; Paula sees Kit's, Terry sees Tess's (the teen rules keep billing open to a
parent). Staff see no patient's bills here, and nobody signed in is sent to log in.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from carebridge.audit.models import AuditEvent
from carebridge.billing.tests.bills import make_pats_bills, many_charges, pay_online, recently
from carebridge.home.panels import load_panels
from carebridge.testing.clients import client_for
from carebridge.testing.matrix import snapshot
from carebridge.testing.personas import Cast

SUMMARY = "/billing/"


def _due_words(issued: datetime.datetime) -> str:
    due = issued.date() + datetime.timedelta(days=30)
    return f"$35.00 is due by {date_format(due, 'DATE_FORMAT')}."


@pytest.mark.django_db
def test_pat_sees_her_balance_what_is_due_and_each_statement(cast: Cast) -> None:
    issued = recently()
    bills = make_pats_bills(cast.patient, issued=issued)
    response = client_for(cast.patient_user).get(SUMMARY)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Your bills</h1>" in text
    assert "Balance: <strong>$50.00</strong>" in text
    assert _due_words(issued) in text
    assert "$15.00 is not on a bill yet. It will be on the next statement." in text
    assert "A bill is past its due date." not in text
    assert f'href="/billing/pay/?statement={bills.statement.pk}"' in text
    assert "Pay statement 1234-5678-90" in text
    assert "<dd><strong>$35.00</strong></dd>" in text
    assert "Follow-up visit" in text
    assert f'href="/billing/payments/{bills.payment.pk}/">$20.00,' in text
    assert 'href="/billing/pay/">Pay $50.00</a>' in text


@pytest.mark.django_db
def test_a_statement_past_its_due_date_is_said_plainly(cast: Cast) -> None:
    make_pats_bills(cast.patient, issued=recently() - datetime.timedelta(days=40))
    text = client_for(cast.patient_user).get(SUMMARY).content.decode()
    assert "A bill is past its due date." in text
    assert "(past due)" in text


@pytest.mark.django_db
def test_sam_owes_nothing_and_is_thanked(cast: Cast) -> None:
    before = snapshot()
    text = client_for(cast.second_patient_user).get(SUMMARY).content.decode()
    assert "You owe nothing. Thank you." in text
    assert "There are no statements yet." in text
    assert snapshot() == before


@pytest.mark.django_db
def test_a_credit_is_said_plainly(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    pay_online(cast.patient, 6000, key="k2", receipt="R000000002", statement=bills.statement)
    text = client_for(cast.patient_user).get(SUMMARY).content.decode()
    assert "You owe nothing. Thank you." in text
    assert "There is a credit of $10.00 on the account." in text


@pytest.mark.django_db
def test_cora_sees_pats_bills_in_pats_name(cast: Cast) -> None:
    make_pats_bills(cast.patient, issued=recently())
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    text = cora.get(SUMMARY).content.decode()
    assert "<h1>Pat Patient's bills</h1>" in text
    assert "Balance: <strong>$50.00</strong>" in text
    event = AuditEvent.objects.filter(actor=cast.proxies.full_caregiver).latest("pk")
    assert (event.object_type, event.patient_id, event.acting_as, event.outcome) == (
        "billing",
        cast.patient.pk,
        "proxy",
        "success",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["parent_of_child", "parent_of_teen"])
def test_a_parent_sees_their_childs_bills(cast: Cast, persona: str) -> None:
    child = cast.proxies.acting_for(persona)
    make_pats_bills(child, issued=recently(), number="5555666677")
    text = client_for(getattr(cast.proxies, persona), child).get(SUMMARY).content.decode()
    assert f"<h1>{child.display_name}'s bills</h1>" in text
    assert "Balance: <strong>$50.00</strong>" in text
    assert "Statement 5555-6666-77" in text


@pytest.mark.django_db
def test_abe_without_the_billing_scope_gets_404_audited_as_denied(cast: Cast) -> None:
    make_pats_bills(cast.patient, issued=recently())
    before = snapshot()
    response = client_for(cast.proxies.appointments_caregiver, cast.patient).get(SUMMARY)
    assert response.status_code == 404
    assert "$50.00" not in response.content.decode()
    assert snapshot() == before
    event = AuditEvent.objects.filter(actor=cast.proxies.appointments_caregiver).latest("pk")
    assert (event.object_type, event.patient_id, event.outcome) == (
        "billing",
        cast.patient.pk,
        "denied",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["billing", "front_desk", "clinic_admin", "clinician"])
def test_staff_see_no_patients_bills_here(cast: Cast, persona: str) -> None:
    make_pats_bills(cast.patient, issued=recently())
    before = snapshot()
    assert client_for(getattr(cast, persona)).get(SUMMARY).status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
def test_nobody_signed_in_is_sent_to_log_in(cast: Cast) -> None:
    response = client_for(None).get(SUMMARY)
    assert (response.status_code, response["Location"]) == (302, "/account/login/?next=/billing/")


@pytest.mark.django_db
def test_the_bills_entry_is_shown_only_with_the_billing_scope(cast: Cast) -> None:
    link = f'<a href="{reverse("billing:summary")}">Bills</a>'
    home = reverse("home:home")
    assert link in client_for(cast.patient_user).get(home).content.decode()
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    assert link in cora.get(home).content.decode()
    abe = client_for(cast.proxies.appointments_caregiver, cast.patient)
    assert link not in abe.get(home).content.decode()
    assert "Bills" not in client_for(cast.billing).get("/staff/").content.decode()


@pytest.mark.django_db
def test_the_home_panel_says_the_amount_and_by_when(cast: Cast) -> None:
    issued = recently()
    make_pats_bills(cast.patient, issued=issued)
    due = date_format(issued.date() + datetime.timedelta(days=30), "DATE_FORMAT")
    text = client_for(cast.patient_user).get("/").content.decode()
    assert "Balance: <strong>$50.00</strong>" in text
    assert f"Please pay by {due}." in text
    assert "See the bills and pay" in text


@pytest.mark.django_db
def test_the_home_panel_is_left_out_when_nothing_is_owed_or_for_abe(cast: Cast) -> None:
    make_pats_bills(cast.patient, issued=recently())
    assert (
        "See the bills and pay"
        not in client_for(cast.second_patient_user).get("/").content.decode()
    )
    denied_before = AuditEvent.objects.filter(outcome="denied").count()
    abe = client_for(cast.proxies.appointments_caregiver, cast.patient)
    assert "See the bills and pay" not in abe.get("/").content.decode()
    # Not his panel: nothing to deny, so no denied event on every visit to his home page.
    assert AuditEvent.objects.filter(outcome="denied").count() == denied_before


@pytest.mark.django_db
def test_the_home_panel_costs_two_queries_and_one_audit_event(cast: Cast, rf: object) -> None:
    from carebridge.billing.panels import billing_panel

    make_pats_bills(cast.patient, issued=recently())
    request = client_for(cast.patient_user).get("/").wsgi_request  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as captured:
        panel = billing_panel(request)
    reads = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert panel is not None and len(reads) == 2
    assert [item.balance_cents for item in panel.items] == [5000]
    assert load_panels(request)[-1].title == "Bills"


def _page_queries(cast: Cast, url: str) -> int:
    client = client_for(cast.patient_user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Queries of each page for Pat, whatever the number of her charges, on a request after the
# first: the signed-in request's own (session, user; the acting context and the counts are kept
# between requests, session activity is written once a minute, the audit event is one INSERT:
# issue 19) and the page's reads (home: the panel of new comments on results, issue 18's quick
# actions (the balance) and the first-visit checklist (its row, an invitation, two-step
# verification)).
PAGE_QUERIES = {"summary": 9, "history": 5, "statement": 8, "home": 13}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_the_pages_cost_the_same_for_3_charges_or_60(cast: Cast, count: int) -> None:
    many_charges(cast.patient, count)
    statement = cast.patient.statements.get()
    urls = {
        "summary": SUMMARY,
        "history": "/billing/history/",
        "statement": reverse("billing:statement", args=[statement.pk]),
        "home": "/",
    }
    assert {name: _page_queries(cast, url) for name, url in urls.items()} == PAGE_QUERIES
