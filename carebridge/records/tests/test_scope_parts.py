"""Parts of the record: a viewer limited to some parts gets 404 (audited as denied) for the
others, sees only their links, summary blocks and visit blocks, and can download or send only
their sections. Pat herself, with every part, is unchanged (see the other record tests)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.proxies import middleware
from carebridge.proxies.acting import RECORD_PARTS, ActingContext
from carebridge.records.models import RecordShare

pytestmark = pytest.mark.django_db

Limit = Callable[..., None]


@pytest.fixture
def limit_pat(monkeypatch, cast) -> Limit:
    """Narrow what Pat's own sign-in may see of her record, as a proxy's context would."""

    def limit(*, parts: frozenset[str] | None = None, hides_sensitive: bool = False) -> None:
        real = middleware.acting_context

        def resolve(user: Any) -> ActingContext:
            context = real(user)
            if context.patient is None or context.patient.pk != cast.patient.pk:
                return context
            return dataclasses.replace(context, record_parts=parts, hides_sensitive=hides_sensitive)

        monkeypatch.setattr(middleware, "acting_context", resolve)

    return limit


def page_urls(cast: Any) -> dict[str, list[str]]:
    """Every record page, by the part of the record it shows."""
    record = cast.record
    return {
        "summary": [reverse("records:summary")],
        "results": [
            reverse("records:results"),
            reverse("records:result-detail", args=[record.hba1c.pk]),
            reverse("records:report-detail", args=[record.report.pk]),
            reverse("records:test-trend", args=[record.hba1c.pk]),
        ],
        "vitals": [reverse("records:vitals")],
        "medications": [reverse("records:medications")],
        "allergies": [reverse("records:allergies")],
        "immunizations": [reverse("records:immunizations")],
        "problems": [reverse("records:problems")],
        "procedures": [reverse("records:procedures")],
        "visits": [
            reverse("records:visits"),
            reverse("records:visit-detail", args=[record.encounter.pk]),
        ],
        "documents": [
            reverse("records:documents"),
            reverse("records:document-detail", args=[record.note.pk]),
        ],
        "care_team": [reverse("records:care-team")],
        "care_plans": [reverse("records:care-plans")],
        "download": [
            reverse("records:download"),
            reverse("records:print"),
            reverse("records:share"),
        ],
    }


@pytest.mark.parametrize("part", RECORD_PARTS)
def test_each_page_needs_its_part(cast_with_records, patient_client, limit_pat, part):
    urls = page_urls(cast_with_records)[part]
    limit_pat(parts=frozenset(RECORD_PARTS) - {part})
    assert [patient_client.get(url).status_code for url in urls] == [404] * len(urls)
    limit_pat(parts=frozenset({part}))
    assert [patient_client.get(url).status_code for url in urls] == [200] * len(urls)


def test_a_part_not_permitted_is_404_and_audited_as_denied(
    cast_with_records, patient_client, limit_pat
):
    pat, hba1c = cast_with_records.patient, cast_with_records.record.hba1c
    limit_pat(parts=frozenset({"summary", "allergies"}))
    assert patient_client.get(reverse("records:results")).status_code == 404
    detail = reverse("records:result-detail", args=[hba1c.pk])
    assert patient_client.get(detail).status_code == 404
    assert patient_client.get(reverse("records:allergies")).status_code == 200
    events = AuditEvent.objects.for_patient(pat.pk).filter(acting_as="self").order_by("sequence")
    assert [(e.object_type, e.object_id, e.outcome, e.acting_as) for e in events] == [
        ("results", "", "denied", "self"),
        ("result", str(hba1c.pk), "denied", "self"),
        ("allergies", "", "success", "self"),
    ]


def menu_links(html: str) -> list[tuple[str, str]]:
    nav = html.split('<nav class="record-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li><a href="([^"]+)"(?: aria-current="page")?>([^<]+)</a></li>', nav)


def test_the_menu_lists_exactly_the_permitted_parts(cast_with_records, patient_client, limit_pat):
    limit_pat(parts=frozenset({"summary", "allergies", "immunizations", "download"}))
    html = patient_client.get(reverse("records:allergies")).content.decode()
    assert menu_links(html) == [
        ("/record/", "Summary"),
        ("/record/allergies/", "Allergies"),
        ("/record/immunizations/", "Immunizations"),
        ("/record/download/", "Download or send"),
    ]


def test_the_summary_shows_only_the_permitted_blocks(cast_with_records, patient_client, limit_pat):
    cast_with_records.clinic.held_result_categories = ["laboratory"]
    cast_with_records.clinic.save()
    limit_pat(parts=frozenset({"summary", "allergies", "immunizations"}))
    html = patient_client.get(reverse("records:summary")).content.decode()
    assert re.findall(r'aria-labelledby="(summary-[a-z]+)"', html) == [
        "summary-allergies",
        "summary-immunizations",
    ]
    assert 'class="notice"' not in html
    assert "Lisinopril" not in html


def test_the_home_panel_counts_results_only_if_results_are_permitted(
    cast_with_records, patient_client, limit_pat
):
    home = reverse("home:home")
    limit_pat(parts=frozenset({"summary", "allergies"}))
    assert ">Test results</h2>" not in patient_client.get(home).content.decode()
    limit_pat(parts=frozenset({"results"}))
    # Pat's two new results are one report: it counts once.
    assert "You have 1 new test result." in patient_client.get(home).content.decode()


def test_a_visit_leaves_out_the_blocks_of_parts_not_permitted(
    cast_with_records, patient_client, limit_pat
):
    url = reverse("records:visit-detail", args=[cast_with_records.record.encounter.pk])
    everything = patient_client.get(url).context["visit"]
    assert (len(everything.vitals), len(everything.notes)) == (1, 1)
    limit_pat(parts=frozenset({"visits"}))
    visit = patient_client.get(url).context["visit"]
    assert (visit.vitals, visit.notes, visit.kind) == ([], [], "Check-up")


def checkbox_values(html: str) -> list[str]:
    return re.findall(r'type="checkbox" name="sections" value="([a-z]+)"', html)


def test_the_download_form_offers_only_permitted_sections(
    cast_with_records, patient_client, limit_pat
):
    limit_pat(parts=frozenset({"download", "allergies", "immunizations"}))
    html = patient_client.get(reverse("records:download")).content.decode()
    assert checkbox_values(html) == ["allergies", "immunizations"]
    refused = patient_client.get(
        reverse("records:download"), {"format": "fhir", "include": "chosen", "sections": "results"}
    )
    assert refused["Content-Type"].startswith("text/html")


def test_everything_means_every_permitted_section(cast_with_records, patient_client, limit_pat):
    limit_pat(parts=frozenset({"download", "allergies", "immunizations"}))
    response = patient_client.get(reverse("records:download"), {"format": "fhir", "include": "all"})
    bundle = json.loads(b"".join(response.streaming_content))
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert kinds == ["Patient", "AllergyIntolerance", "Immunization"]
    event = AuditEvent.objects.filter(object_type="record_download", action="export").get()
    assert event.object_id == "fhir alg,imm"
    printed = patient_client.get(reverse("records:print")).content.decode()
    assert "Penicillin" in printed
    assert "Hypertension" not in printed
    assert "Hemoglobin" not in printed


def test_the_share_form_offers_and_sends_only_permitted_sections(
    cast_with_records, patient_client, limit_pat
):
    limit_pat(parts=frozenset({"download", "allergies", "immunizations"}))
    html = patient_client.get(reverse("records:share")).content.decode()
    assert checkbox_values(html) == ["allergies", "immunizations"]
    form = {"recipient_email": "dr.new@example.org", "include": "all"}
    assert patient_client.post(reverse("records:share"), form).status_code == 200
    assert RecordShare.objects.get().sections == ["allergies", "immunizations"]
