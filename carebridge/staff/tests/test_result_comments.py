"""Releasing one held result with a comment for the patient: the clinician's page (own clinic
only), the release and the comment in one transaction, audit, the e-mail (never the words), and
the comment where the patient, a caregiver and the home page show it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource, QuickComment, Release, ResultComment
from carebridge.staff.comment_forms import ReleaseCommentForm
from carebridge.staff.tests.test_release_views import glucose, hold_labs
from carebridge.testing import factories, records
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast
from carebridge.testing.records import LOINC, coded, next_id, store, subject

pytestmark = pytest.mark.django_db

HELD = reverse("staff:held-results")
TODAY = datetime.date.today()
NORMAL = "Normal, no action needed."
LABEL = {
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSY"}]
}


def result_url(row: ClinicalResource) -> str:
    return reverse("records:result-detail", args=[row.pk])


def page(row: ClinicalResource) -> str:
    return reverse("staff:held-result", args=[row.pk])


def text_of(html: str, start: str, end: str) -> str:
    part = html.split(start, 1)[1].split(end, 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).replace("&#x27;", "'").split())


@pytest.fixture
def held(cast: Cast) -> ClinicalResource:
    """Pat's high glucose from yesterday, held for review; the clinic has two quick comments."""
    hold_labs(cast.clinic)
    QuickComment.objects.create(clinic=cast.clinic, text=NORMAL, position=0)
    QuickComment.objects.create(clinic=cast.clinic, text="Please book a visit.", position=1)
    (row,) = store(cast.patient, glucose(cast.patient))
    return row


@pytest.fixture
def clinician(cast: Cast) -> Client:
    return client_for(cast.clinician)


def quick_value(cast: Cast, text: str = NORMAL) -> str:
    return f"quick-{QuickComment.objects.get(clinic=cast.clinic, text=text).pk}"


def test_the_page_shows_what_is_released_and_the_choices(cast, held, clinician):
    html = clinician.get(page(held)).content.decode()
    yesterday = date_format(TODAY - datetime.timedelta(days=1), "DATE_FORMAT")
    assert text_of(html, '<dl class="facts">', "</dl>") == (
        "Patient Pat Patient Medical record number RFC-1001 Test Glucose Result 130 mg/dL "
        f"Normal range 70 to 99 mg/dL Flag ▲ High Date {yesterday}"
    )
    choices = re.findall(r'<input type="radio" name="choice" value="([^"]+)"', html)
    assert choices == ["none", quick_value(cast), quick_value(cast, "Please book a visit."), "own"]
    assert text_of(html, '<fieldset class="comment-choices">', "</fieldset>") == (
        "Comment for the patient The patient sees the comment first on the result's page and "
        "on their home page. It is never put in an e-mail. No comment Normal, no action needed. "
        "Please book a visit. Write my own comment"
    )


def test_opening_the_page_is_audited_for_the_patient(cast, held, clinician):
    clinician.get(page(held))
    event = AuditEvent.objects.get(object_type="result")
    assert (event.action, event.actor, event.patient, event.object_id, event.acting_as) == (
        "view",
        cast.clinician,
        cast.patient,
        str(held.pk),
        "staff",
    )


def test_the_held_list_links_each_row_to_its_page(cast, held, clinician):
    assert f'href="{page(held)}"' in clinician.get(HELD).content.decode()


def test_release_with_a_quick_comment(cast, held, clinician, django_capture_on_commit_callbacks):
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician.post(page(held), {"choice": quick_value(cast), "words": ""})
    assert response.status_code == 302
    assert response["Location"] == HELD
    assert flashed(response) == [
        "Released with your comment. The patient has been told by e-mail that something new "
        "is in their record."
    ]
    held.refresh_from_db()
    assert (held.release, held.released_by) == (Release.RELEASED, cast.clinician)
    comment = ResultComment.objects.get()
    assert (comment.resource, comment.patient, comment.text, comment.written_by) == (
        held,
        cast.patient,
        NORMAL,
        cast.clinician,
    )
    events = AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")
    assert [
        (e.action, e.object_type, e.object_id, e.patient, e.actor, e.acting_as) for e in events
    ] == [
        ("release", "result", str(held.pk), cast.patient, cast.clinician, "staff"),
        ("create", "result_comment", str(comment.pk), cast.patient, cast.clinician, "staff"),
    ]
    (email,) = mail.outbox
    assert (email.to, email.subject) == (
        ["pat@example.org"],
        "[Carebridge] Something new in your health record",
    )
    assert email.body == (
        "Hello,\n\nThere is something new in your health record at your clinic's patient "
        f"portal.\n\nSign in to see it: {django_settings.CAREBRIDGE_BASE_URL}/record/results/"
        "\n\nFor your privacy, this e-mail does not say what it is.\n\n"
    )
    assert "Normal" not in email.body and "Glucose" not in email.body


def test_release_with_own_words_stripped(cast, held, clinician):
    clinician.post(page(held), {"choice": "own", "words": "  Slightly high. Eat less sugar.\n "})
    assert ResultComment.objects.get().text == "Slightly high. Eat less sugar."


def test_release_without_a_comment(cast, held, clinician):
    response = clinician.post(page(held), {"choice": "none", "words": ""})
    assert flashed(response) == [
        "Released. The patient has been told by e-mail that something new is in their record."
    ]
    held.refresh_from_db()
    assert held.release == Release.RELEASED
    assert not ResultComment.objects.exists()
    assert not AuditEvent.objects.filter(object_type="result_comment").exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"choice": "own", "words": "   "}, "Your own comment: Write the comment."),
        (
            {"choice": "own", "words": "x" * 1001},
            "Your own comment: Keep the comment to 1000 characters or fewer.",
        ),
        (
            {"choice": "none", "words": "Fine"},
            "Your own comment: You wrote a comment but did not choose &quot;Write my own "
            "comment&quot;. Choose it to send your words, or empty the box.",
        ),
        ({"choice": "quick-999999"}, "Comment for the patient: Select a valid choice."),
        ({}, "Comment for the patient: This field is required."),
    ],
)
def test_bad_input_says_why_and_releases_nothing(cast, held, clinician, data, error):
    response = clinician.post(page(held), data)
    assert response.status_code == 200
    summary = response.content.decode().split('<div class="error-summary"', 1)[1]
    assert error in re.sub(r"<[^>]+>", "", summary.split("</div>", 1)[0])
    held.refresh_from_db()
    assert held.release == Release.HELD
    assert not ResultComment.objects.exists()


def test_a_second_post_adds_no_second_comment(cast, held, clinician):
    clinician.post(page(held), {"choice": "own", "words": "First"}, follow=True)
    response = clinician.post(page(held), {"choice": "own", "words": "Second"})
    assert response["Location"] == HELD
    assert flashed(response) == ["This result has already been released."]
    assert list(ResultComment.objects.values_list("text", flat=True)) == ["First"]


def test_another_clinics_result_is_404_and_untouched(cast):
    hold_labs(cast.other_clinic)
    elsewhere = factories.make_patient(cast.other_clinic)
    (row,) = store(elsewhere, glucose(elsewhere))
    client = client_for(cast.clinician)
    assert client.get(page(row)).status_code == 404
    assert client.post(page(row), {"choice": "own", "words": "Hi"}).status_code == 404
    row.refresh_from_db()
    assert row.release == Release.HELD
    assert not ResultComment.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["release", "create"]).exists()


@pytest.mark.parametrize("persona", ["nurse", "front_desk", "clinic_admin", "patient_user"])
def test_people_without_release_rights_get_404_and_change_nothing(cast, held, persona):
    client = client_for(getattr(cast, persona))
    assert client.post(page(held), {"choice": "own", "words": "Hi"}).status_code == 404
    held.refresh_from_db()
    assert held.release == Release.HELD
    assert not ResultComment.objects.exists()


def held_report(cast: Cast) -> tuple[ClinicalResource, ClinicalResource]:
    hold_labs(cast.clinic)
    result = glucose(cast.patient)
    report = {
        "resourceType": "DiagnosticReport",
        "id": next_id("report"),
        "status": "final",
        "category": [{"coding": [{"code": "LAB"}]}],
        "code": coded(LOINC, "24323-8", "Comprehensive metabolic panel"),
        "subject": subject(cast.patient),
        "effectiveDateTime": result["effectiveDateTime"],
        "result": [{"reference": f"Observation/{result['id']}"}],
    }
    result_row, report_row = store(cast.patient, result, report)
    return result_row, report_row


def test_a_report_is_shown_with_its_results_and_released_with_them(cast, clinician):
    result_row, report_row = held_report(cast)
    html = clinician.get(page(report_row)).content.decode()
    assert text_of(html, "<tbody>", "</tbody>") == "Glucose 130 mg/dL 70 to 99 mg/dL ▲ High"
    clinician.post(page(report_row), {"choice": "own", "words": "All fine but the sugar."})
    released = ClinicalResource.objects.filter(patient=cast.patient, release=Release.RELEASED)
    assert set(released.values_list("pk", flat=True)) == {result_row.pk, report_row.pk}
    assert ResultComment.objects.get().resource == report_row


def released_with_comment(cast: Cast, row: ClinicalResource, words: str = NORMAL) -> None:
    client_for(cast.clinician).post(page(row), {"choice": "own", "words": words})


def comment_box(html: str) -> str:
    return text_of(html, 'aria-labelledby="clinician-comment">', "</section>")


def test_the_patient_sees_the_comment_first_on_the_result(cast, held):
    released_with_comment(cast, held, "Normal, no action needed.\nSee you in May.")
    html = client_for(cast.patient_user).get(result_url(held)).content.decode()
    today = date_format(TODAY, "DATE_FORMAT")
    assert comment_box(html) == (
        f"Casey Clinician's comment Normal, no action needed. See you in May. Written on {today}"
    )
    assert html.index("clinician-comment") < html.index('<dl class="facts result-facts">')
    assert "Normal, no action needed.<br>See you in May." in html


def test_the_patient_sees_the_comment_on_the_report(cast):
    _result, report = held_report(cast)
    released_with_comment(cast, report)
    html = (
        client_for(cast.patient_user)
        .get(reverse("records:report-detail", args=[report.pk]))
        .content.decode()
    )
    assert comment_box(html) == (
        f"Casey Clinician's comment {NORMAL} Written on {date_format(TODAY, 'DATE_FORMAT')}"
    )


def test_a_caregiver_who_may_see_results_sees_it_too(cast, held):
    released_with_comment(cast, held)
    client = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    html = client.get(result_url(held)).content.decode()
    assert comment_box(html).startswith(f"Casey Clinician's comment {NORMAL}")


def test_a_result_without_a_comment_shows_no_box(cast, held):
    client_for(cast.clinician).post(page(held), {"choice": "none"})
    html = client_for(cast.patient_user).get(result_url(held)).content.decode()
    assert "clinician-comment" not in html


def home_panel(client: Client) -> str:
    """The comments panel's text ("" when there is none), whoever it is addressed to."""
    html = client.get("/").content.decode()
    for title in ("New comments on your results", "New comments on test results"):
        if f">{title}</h2>" in html:
            return text_of(html, f">{title}</h2>", "</section>")
    return ""


def test_the_home_page_lists_new_comments_with_links(cast, held):
    released_with_comment(cast, held)
    html = client_for(cast.patient_user).get("/").content.decode()
    assert f'href="{result_url(held)}"' in html
    assert home_panel(client_for(cast.patient_user)) == (
        f"Glucose : Casey Clinician's comment ({date_format(TODAY, 'DATE_FORMAT')}): {NORMAL} "
        "See all test results"
    )


def test_a_comment_leaves_the_home_page_once_the_patient_opened_the_result(cast, held):
    released_with_comment(cast, held)
    client = client_for(cast.patient_user)
    client.get(result_url(held))
    assert home_panel(client) == ""


def test_no_panel_without_comments(cast, held):
    assert home_panel(client_for(cast.patient_user)) == ""


def test_a_caregiver_sees_the_panel_about_the_patients_results(cast, held):
    released_with_comment(cast, held)
    caregiver = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    html = caregiver.get("/").content.decode()
    assert "New comments on your results" not in html
    assert text_of(html, ">New comments on test results</h2>", "</section>") == (
        f"Glucose : Casey Clinician's comment ({date_format(TODAY, 'DATE_FORMAT')}): {NORMAL} "
        "See all test results"
    )


def test_a_sensitive_results_comment_is_kept_from_the_caregiver(cast):
    hold_labs(cast.clinic)
    (plain,) = store(cast.patient, records.glucose(cast.patient, TODAY, 90))
    (row,) = store(cast.patient, records.glucose(cast.patient, TODAY, 130, meta=LABEL))
    released_with_comment(cast, plain, "Plain words.")
    released_with_comment(cast, row, "Private words.")
    own = home_panel(client_for(cast.patient_user))
    assert "Private words." in own and "Plain words." in own
    caregiver = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    assert "Plain words." in home_panel(caregiver)
    assert "Private words." not in home_panel(caregiver)
    assert (
        client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
        .get(result_url(row))
        .status_code
        == 404
    )


def test_a_parent_who_may_not_see_results_gets_no_panel(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    teen = grant.patient
    hold_labs(cast.clinic)
    (row,) = store(teen, glucose(teen))
    released_with_comment(cast, row, "For the teenager.")
    assert home_panel(client_for(cast.proxies.parent_of_teen, acting_for=teen)) == ""


def test_the_home_page_costs_the_same_queries_for_one_or_many_comments(cast):
    hold_labs(cast.clinic)
    (first,) = store(cast.patient, glucose(cast.patient))
    released_with_comment(cast, first)
    client = client_for(cast.patient_user)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for row in store(cast.patient, *(glucose(cast.patient, 100 + n) for n in range(8))):
        released_with_comment(cast, row, f"Comment {row.pk}")
    client.get("/")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()
    assert len(many) == len(one)
    assert html.count("Casey Clinician's comment") == 5


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.sampled_from(["none", "own", "quick-1", "other"]), words=st.text(max_size=1200))
def test_the_form_accepts_only_a_clean_comment(choice: str, words: str) -> None:
    quick = QuickComment(pk=1, text=NORMAL)
    form = ReleaseCommentForm({"choice": choice, "words": words}, quick_comments=[quick])
    valid = form.is_valid()
    stripped = words.strip()
    if choice == "other" or "\x00" in words:
        assert not valid
    elif choice == "own":
        assert valid == (0 < len(stripped) <= 1000)
        if valid:
            assert form.cleaned_data["comment"] == stripped
    else:
        assert valid == (not stripped)
        if valid:
            assert form.cleaned_data["comment"] == ("" if choice == "none" else NORMAL)


def test_the_panel_costs_one_query(cast, held, settings):
    released_with_comment(cast, held)
    client = client_for(cast.patient_user)
    panels = list(settings.CAREBRIDGE_HOME_PANELS)
    settings.CAREBRIDGE_HOME_PANELS = [p for p in panels if not p.endswith("comments_panel")]
    client.get("/")
    with CaptureQueriesContext(connection) as without:
        client.get("/")
    settings.CAREBRIDGE_HOME_PANELS = panels
    client.get("/")
    with CaptureQueriesContext(connection) as with_panel:
        client.get("/")
    assert len(with_panel) == len(without) + 1
