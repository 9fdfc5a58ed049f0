"""Sensitive resources (labelled by their source in `meta.security`): left out entirely for a
viewer whose context hides them (lists, counts, charts, visits, downloads, shares), and shown
to Pat herself."""

from __future__ import annotations

import datetime
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.proxies import middleware
from carebridge.proxies.acting import ActingContext, Relationship
from carebridge.records.tests.test_scope_parts import Limit, limit_pat  # noqa: F401
from carebridge.testing.records import (
    LOINC,
    SNOMED,
    coded,
    document,
    glucose,
    hba1c,
    in_visit,
    next_id,
    store,
    subject,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LABEL = {
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSY"}]
}


def depression(patient: Any, encounter_id: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": next_id("cond"),
        "meta": LABEL,
        "clinicalStatus": coded(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "active"
        ),
        "code": coded(SNOMED, "35489007", "Depressive disorder"),
        "subject": subject(patient),
        "onsetDateTime": "2024-03-01",
    } | in_visit(encounter_id)


@pytest.fixture
def sensitive(cast_with_records) -> SimpleNamespace:
    """A labelled problem, result (HbA1c 9.9 %, new) and note at Pat's check-up, and a labelled
    glucose held for review."""
    pat = cast_with_records.patient
    visit = in_visit(cast_with_records.record.encounter.fhir_id)
    note = document(pat, "text/plain", b"Private counselling note.", meta=LABEL, **visit)
    note["type"] = coded(LOINC, "11488-4", "Counselling note")
    problem, result, note_row = store(
        pat,
        depression(pat, cast_with_records.record.encounter.fhir_id),
        hba1c(pat, TODAY - datetime.timedelta(days=10), 9.9, meta=LABEL, **visit),
        note,
    )
    cast_with_records.clinic.held_result_categories = ["laboratory"]
    cast_with_records.clinic.save()
    store(pat, glucose(pat, TODAY, 180, meta=LABEL))
    cast_with_records.clinic.held_result_categories = []
    cast_with_records.clinic.save()
    return SimpleNamespace(problem=problem, result=result, note=note_row)


@pytest.fixture
def hidden(limit_pat: Limit) -> None:  # noqa: F811
    limit_pat(hides_sensitive=True)


def html_of(client: Client, url: str, **params: Any) -> str:
    return client.get(url, params).content.decode()


def panel_text(html: str) -> str:
    part = html.split(">Test results</h2>", 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).replace("&#x27;", "'").split())


def test_pat_herself_sees_her_sensitive_items_and_counts(sensitive, patient_client):
    assert "Depressive disorder" in html_of(patient_client, reverse("records:problems"))
    assert "Counselling note" in html_of(patient_client, reverse("records:documents"))
    results = html_of(patient_client, reverse("records:results"))
    assert f"/record/results/{sensitive.result.pk}/" in results
    assert "1 result is waiting for your clinician to review it." in results
    assert panel_text(html_of(patient_client, reverse("home:home"))) == (
        # The report's two new results count once, the labelled result once.
        "You have 2 new test results. 1 result is waiting for your clinician's review. "
        "See all test results"
    )


def test_lists_leave_sensitive_items_out(sensitive, patient_client, hidden):
    assert "Depressive disorder" not in html_of(patient_client, reverse("records:problems"))
    assert "Depressive disorder" not in html_of(patient_client, reverse("records:summary"))
    assert "Counselling note" not in html_of(patient_client, reverse("records:documents"))
    results = html_of(patient_client, reverse("records:results"))
    assert f"/record/results/{sensitive.result.pk}/" not in results
    assert 'class="notice"' not in results


def test_counts_leave_sensitive_results_out(sensitive, patient_client, hidden):
    # The report's two new results count once; the labelled result not at all.
    assert panel_text(html_of(patient_client, reverse("home:home"))) == (
        "You have 1 new test result. See all test results"
    )
    assert 'class="notice"' not in html_of(patient_client, reverse("records:summary"))
    context = patient_client.get(reverse("records:results")).context
    counts = context["counts"]
    assert (counts.new, counts.held, context["page"].paginator.count) == (2, 0, 2)


def test_a_sensitive_resource_is_404_and_audited_as_denied(sensitive, patient_client, hidden):
    for name, row in (("result-detail", sensitive.result), ("document-detail", sensitive.note)):
        assert patient_client.get(reverse(f"records:{name}", args=[row.pk])).status_code == 404
    events = AuditEvent.objects.filter(outcome="denied").order_by("sequence")
    assert [(event.object_type, event.object_id) for event in events] == [
        ("result", str(sensitive.result.pk)),
        ("document", str(sensitive.note.pk)),
    ]


@pytest.mark.parametrize(("hides", "readings"), [(False, 3), (True, 2)])
def test_charts_leave_sensitive_readings_out(
    sensitive,
    cast,
    patient_client,
    limit_pat,  # noqa: F811
    hides,
    readings,
):
    limit_pat(hides_sensitive=hides)
    detail = patient_client.get(reverse("records:result-detail", args=[cast.record.hba1c.pk]))
    assert detail.context["reading_count"] == readings
    trend = patient_client.get(reverse("records:test-trend", args=[cast.record.hba1c.pk]))
    assert len(trend.context["page"].object_list) == readings
    assert ("9.9" in trend.content.decode()) is not hides


@pytest.mark.parametrize("hides", [False, True])
def test_a_visit_leaves_sensitive_items_out(sensitive, cast, patient_client, limit_pat, hides):  # noqa: F811
    limit_pat(hides_sensitive=hides)
    url = reverse("records:visit-detail", args=[cast.record.encounter.pk])
    visit = patient_client.get(url).context["visit"]
    shown = (
        [row.name for row in visit.diagnoses],
        [row.pk for row in visit.results],
        [row.title for row in visit.notes],
    )
    if hides:
        assert shown == ([], [], ["Progress note"])
    else:
        assert shown == (
            ["Depressive disorder"],
            [sensitive.result.pk],
            ["Progress note", "Counselling note"],
        )


@pytest.mark.parametrize("hides", [False, True])
def test_downloads_leave_sensitive_items_out(sensitive, patient_client, limit_pat, hides):  # noqa: F811
    limit_pat(hides_sensitive=hides)
    url = reverse("records:download")
    fhir = patient_client.get(url, {"format": "fhir", "include": "all"})
    ids = {
        entry["resource"]["id"] for entry in json.loads(b"".join(fhir.streaming_content))["entry"]
    }
    # The download holds each resource under its id in the FHIR API.
    labelled = {str(row.api_id) for row in (sensitive.problem, sensitive.result, sensitive.note)}
    assert ids & labelled == (set() if hides else labelled)
    ccd = patient_client.get(url, {"format": "ccda", "include": "all"}).content.decode()
    printed = html_of(patient_client, reverse("records:print"))
    assert [("Depressive disorder" in text) for text in (ccd, printed)] == [not hides] * 2
    assert ("9.9 %" in printed) is not hides


def test_a_share_sent_for_pat_leaves_sensitive_items_out(
    sensitive, cast, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.CAREBRIDGE_BASE_URL = "http://testserver"
    acting = ActingContext(
        user=cast.visitor,
        patient=cast.patient,
        relationship=Relationship.NONE,
        hides_sensitive=True,
    )
    real = middleware.acting_context
    monkeypatch.setattr(
        middleware,
        "acting_context",
        lambda user: acting if user == cast.visitor else real(user),
    )
    for user in (cast.visitor, cast.patient_user):
        client = Client()
        client.force_login(user)
        form = {"recipient_email": "dr.new@example.org", "include": "all"}
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(reverse("records:share"), form).content.decode()
        passcode = re.search(r'<p class="code">(\d{4} \d{4})</p>', sent).group(1)
        token = re.search(r"/shared/([A-Za-z0-9_\-]+)/", mail.outbox[-1].body).group(1)
        opened = Client().post(reverse("shared:shared-open", args=[token]), {"passcode": passcode})
        html = opened.content.decode()
        assert ("Depressive disorder" in html, "Hypertension" in html) == (
            user == cast.patient_user,
            True,
        )
