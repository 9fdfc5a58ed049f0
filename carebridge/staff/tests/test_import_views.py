"""The staff import pages: upload, progress and summary, patient-match reviews, and who may."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource, ImportJob, ImportStatus, PatientMatchReview
from carebridge.records.tests.importing_files import bundle, entry, observation, patient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.CAREBRIDGE_IMPORT_DIR = tmp_path / "imports"
    return settings.CAREBRIDGE_IMPORT_DIR


def upload(name: str, document) -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def ada_export() -> dict:
    return bundle(entry(patient("p1")), entry(observation("o1", "urn:uuid:p1")))


def pat_lookalike() -> dict:
    """Same name and birth date as Pat Patient, no identifier in common: a review."""
    person = patient("ehr-9", given="Pat", family="Patient", birth_date="1956-03-14")
    return bundle(entry(person), entry(observation("o9", "urn:uuid:ehr-9")))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_upload_runs_the_import_and_shows_its_summary(
    cast, admin_client_mfa, django_capture_on_commit_callbacks, import_dir
):
    files = [upload("ada.json", ada_export()), upload("broken.json", b"{")]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_mfa.post(reverse("staff:import-upload"), {"exports": files})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:import-detail", args=[job.pk])
    assert (job.clinic, job.started_by, job.source, job.status) == (
        cast.clinic,
        cast.clinic_admin,
        "ada.json, broken.json",
        ImportStatus.FAILED,
    )
    assert ClinicalResource.objects.get(fhir_id="o1").patient.given_name == "Ada"
    assert list(import_dir.iterdir()) == []
    event = AuditEvent.objects.get(object_type="import_job")
    assert (event.action, event.actor, event.object_id, event.patient) == (
        "import",
        cast.clinic_admin,
        str(job.pk),
        None,
    )
    page = admin_client_mfa.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<progress id="import-progress-bar" max="100" value="100">100 %</progress>' in html
    assert "hx-trigger" not in html
    assert (
        '<tr><th scope="row">Observation</th><td data-label="Number" class="number">1</td></tr>'
    ) in html
    assert (
        '<td data-label="File" class="file-names">broken.json</td>'
        '<td data-label="Where">file</td><td data-label="Problem">Not valid JSON.</td>'
    ) in html


def test_the_summary_lists_references_to_nothing_as_warnings(
    admin_client_mfa, django_capture_on_commit_callbacks
):
    nowhere = observation("o1", "urn:uuid:p1", performer=[{"reference": "Practitioner/nope"}])
    document = bundle(entry(patient("p1")), entry(nowhere))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_mfa.post(
            reverse("staff:import-upload"), {"exports": [upload("ada.json", document)]}
        )
    html = admin_client_mfa.get(response["Location"]).content.decode()
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert "<caption>1 warning, with where it is in the files</caption>" in html
    assert (
        '<td data-label="File" class="file-names">ada.json</td><td data-label="Where">entry 2</td>'
        '<td data-label="Warning">Observation: a reference in '
        "&#x27;performer&#x27; points to Practitioner/nope, which is neither in this file nor "
        "stored; it is kept as it was sent.</td>"
    ) in html


def test_uploads_over_the_limit_or_of_other_kinds_get_a_form_error(
    cast, admin_client_mfa, settings
):
    settings.CAREBRIDGE_IMPORT_MAX_BYTES = 100
    big = admin_client_mfa.post(
        reverse("staff:import-upload"), {"exports": [upload("big.json", ada_export())]}
    )
    other = admin_client_mfa.post(
        reverse("staff:import-upload"), {"exports": [upload("notes.txt", b"hi")]}
    )
    none = admin_client_mfa.post(reverse("staff:import-upload"), {})
    assert big.context["form"].errors == {"exports": ["Each file must be at most 100\xa0bytes."]}
    assert other.context["form"].errors == {
        "exports": ["Each file must end in .json, .json.gz, .ndjson or .ndjson.gz."]
    }
    assert none.context["form"].errors == {"exports": ["This field is required."]}
    assert ImportJob.objects.count() == 0


def test_a_running_job_polls_its_status_fragment(cast, admin_client_mfa):
    job = ImportJob.objects.create(
        clinic=cast.clinic, status=ImportStatus.RUNNING, units_total=4, units_done=1
    )
    url = reverse("staff:import-detail", args=[job.pk])
    page = admin_client_mfa.get(url).content.decode()
    fragment = admin_client_mfa.get(url, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert html.strip().startswith('<div id="import-status"')
    assert "every 2s" in html and "1 of 4 files done" in html
    assert '<progress id="import-progress-bar" max="100" value="25">25 %</progress>' in html
    assert "<h1>" not in html
    job.status = ImportStatus.DONE
    job.save()
    finished = admin_client_mfa.get(url, headers={"HX-Request": "true"})
    # Finished: the whole page is reloaded (with the summary), which ends the polling.
    assert (finished.status_code, finished["HX-Refresh"]) == (200, "true")


def test_recent_jobs_are_listed_for_the_clinic_only(
    cast, admin_client_mfa, django_assert_num_queries
):
    ImportJob.objects.create(clinic=cast.other_clinic, source="theirs.json")
    url = reverse("staff:import-upload")
    admin_client_mfa.get(url)  # The first request after signing in sets up the session.
    for count in (1, 12):
        while ImportJob.objects.filter(clinic=cast.clinic).count() < count:
            ImportJob.objects.create(
                clinic=cast.clinic, started_by=cast.clinic_admin, source="a.json"
            )
        # The same whatever the number of jobs: the signed-in request's own (the session, the
        # user, MFA and roles; the acting context is kept between requests) and the jobs.
        with django_assert_num_queries(5):
            response = admin_client_mfa.get(url)
        assert [job.source for job in response.context["jobs"]] == ["a.json"] * min(count, 10)


def test_other_staff_and_other_clinics_get_404(cast, django_capture_on_commit_callbacks):
    job = ImportJob.objects.create(clinic=cast.clinic, source="a.json")
    review = PatientMatchReview.objects.create(
        clinic=cast.clinic, candidate=cast.patient, incoming={}
    )
    urls = [
        reverse("staff:import-detail", args=[job.pk]),
        reverse("staff:match-review", args=[review.pk]),
    ]
    for user in (cast.other_clinic_admin, cast.clinician, cast.patient_user):
        client = client_for(user)
        assert [client.get(url).status_code for url in urls] == [404, 404]
        assert client.post(urls[1], {"decision": "same"}).status_code == 404
    assert PatientMatchReview.objects.get().status == "pending"


def held_review(cast, admin_client_mfa, capture) -> PatientMatchReview:
    with capture(execute=True):
        admin_client_mfa.post(
            reverse("staff:import-upload"), {"exports": [upload("pat.json", pat_lookalike())]}
        )
    return PatientMatchReview.objects.get()


def test_the_job_page_points_to_its_reviews_and_the_list_shows_them(
    cast, admin_client_mfa, django_capture_on_commit_callbacks, django_assert_num_queries
):
    review = held_review(cast, admin_client_mfa, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    # The signed-in request's own, 1 for the job, 1 for its reviews.
    with django_assert_num_queries(6):
        detail = admin_client_mfa.get(
            reverse("staff:import-detail", args=[job.pk])
        ).content.decode()
    assert (
        "1 patient may be a patient already in the clinic, or shares an identifier with one"
        in detail
    )
    assert reverse("staff:match-review-list") in detail
    url = reverse("staff:match-review-list")
    admin_client_mfa.get(url)  # The first request after signing in sets up the session.
    # The signed-in request's own, 1 for the reviews, 1 to audit the view (the event; the
    # database's trigger puts it in the sealer's queue).
    with django_assert_num_queries(6):
        listing = admin_client_mfa.get(url)
    assert list(listing.context["reviews"]) == [review]
    html = listing.content.decode()
    assert '<td data-label="Imported patient">Patient, Pat</td>' in html
    assert "Patient, Pat (MRN RFC-1001)" in html
    assert reverse("staff:match-review", args=[review.pk]) in html


def test_deciding_same_person_imports_into_the_candidate(
    cast, admin_client_mfa, django_capture_on_commit_callbacks, django_assert_num_queries
):
    review = held_review(cast, admin_client_mfa, django_capture_on_commit_callbacks)
    url = reverse("staff:match-review", args=[review.pk])
    # The signed-in request's own, 2 for the review and its candidate's identifiers, 1 to
    # audit the view.
    with django_assert_num_queries(7):
        page = admin_client_mfa.get(url)
    assert page.status_code == 200
    assert page.context["held_types"] == [("Observation", 1), ("Patient", 1)]
    viewed = AuditEvent.objects.filter(object_type="match_review", action="view").get()
    assert (viewed.patient, viewed.object_id) == (cast.patient, str(review.pk))
    nothing = admin_client_mfa.post(url, {})
    assert (
        "Choose whether this is the same person or a different person." in nothing.content.decode()
    )
    response = admin_client_mfa.post(url, {"decision": "same"})
    assert (response.status_code, response["Location"]) == (302, reverse("staff:match-review-list"))
    assert ClinicalResource.objects.get(fhir_id="o9").patient == cast.patient
    decided = AuditEvent.objects.get(object_type="match_review", action="update")
    assert (decided.actor, decided.patient) == (cast.clinic_admin, cast.patient)
    # Deciding again (a second click) changes nothing.
    again = admin_client_mfa.post(url, {"decision": "different"})
    assert again.status_code == 200
    assert "Decided: Added to the existing patient, by Ada Admin" in again.content.decode()
    assert Patient.objects.filter(given_name="Pat").count() == 1


def test_deciding_different_person_creates_a_patient(
    cast, admin_client_mfa, django_capture_on_commit_callbacks
):
    review = held_review(cast, admin_client_mfa, django_capture_on_commit_callbacks)
    admin_client_mfa.post(
        reverse("staff:match-review", args=[review.pk]), {"decision": "different"}
    )
    new = Patient.objects.exclude(pk=cast.patient.pk).get(given_name="Pat", family_name="Patient")
    assert ClinicalResource.objects.get(fhir_id="o9").patient == new
    assert PatientMatchReview.objects.get().status == "separate"


def test_a_decision_whose_records_conflict_changes_nothing(
    cast_with_records, admin_client_mfa, django_capture_on_commit_callbacks
):
    cast = cast_with_records
    review = held_review(cast, admin_client_mfa, django_capture_on_commit_callbacks)
    # Meanwhile Sam's record got a result with the id the held observation has.
    taken = ClinicalResource.objects.filter(
        patient=cast.second_patient, resource_type="Observation"
    )
    review.resources[1]["id"] = taken.first().fhir_id
    review.save()
    response = admin_client_mfa.post(
        reverse("staff:match-review", args=[review.pk]), {"decision": "different"}
    )
    assert response.status_code == 200
    assert (
        "one of them has an id that already belongs to another patient" in response.content.decode()
    )
    assert PatientMatchReview.objects.get().status == "pending"
    assert Patient.objects.filter(given_name="Pat").count() == 1


def test_a_shared_identifier_review_says_so_and_the_summary_counts_it(
    cast, admin_client_mfa, django_capture_on_commit_callbacks
):
    # Pat's MRN in the clinic's own system, but another birth date: not Pat, not a new patient.
    person = patient(
        "x1",
        given="Pat",
        family="Patient",
        birth_date="1990-01-01",
        identifiers=[{"system": f"urn:carebridge:{cast.clinic.slug}:mrn", "value": "RFC-1001"}],
    )
    document = bundle(entry(person), entry(observation("o9", "urn:uuid:x1")))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_mfa.post(
            reverse("staff:import-upload"), {"exports": [upload("x.json", document)]}
        )
    job, review = ImportJob.objects.get(), PatientMatchReview.objects.get()
    assert job.summary["waiting_for_review"] == 1
    detail = admin_client_mfa.get(reverse("staff:import-detail", args=[job.pk])).content.decode()
    assert "<dt>Patients waiting for review</dt><dd>1</dd>" in detail
    page = admin_client_mfa.get(reverse("staff:match-review", args=[review.pk])).content.decode()
    assert "has an identifier that the clinic's patient has too" in page
    assert ClinicalResource.objects.filter(patient=cast.patient).count() == 0
