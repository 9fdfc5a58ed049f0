"""Clinic administrators choose which kinds of results wait for a clinician."""

from __future__ import annotations

import pytest
from django.test import Client

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource, Release
from carebridge.testing.sample_record import build_sample_record

pytestmark = pytest.mark.django_db
URL = "/staff/results/settings/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_shows_the_clinics_current_choice(cast):
    cast.clinic.held_result_categories = ["imaging"]
    cast.clinic.save()
    page = _client(cast.clinic_admin).get(URL).content.decode()
    assert 'value="imaging" id="id_categories_1" checked' in page
    assert 'value="laboratory" id="id_categories_0" checked' not in page


def test_saving_holds_new_results_of_that_kind_and_is_audited(cast):
    response = _client(cast.clinic_admin).post(URL, {"categories": ["laboratory", "exam"]})
    assert (response.status_code, response["Location"]) == (302, URL)
    cast.clinic.refresh_from_db()
    assert cast.clinic.held_result_categories == ["laboratory", "exam"]
    event = AuditEvent.objects.get(object_type="clinic_settings")
    assert (event.action, event.actor, event.object_id) == (
        "update",
        cast.clinic_admin,
        str(cast.clinic.pk),
    )
    assert event.changes == {
        "held_result_categories": {"before": [], "after": ["laboratory", "exam"]}
    }
    record = build_sample_record(cast.patient)
    record.hba1c.refresh_from_db()
    record.blood_pressure.refresh_from_db()
    assert (record.hba1c.release, record.blood_pressure.release) == (
        Release.HELD,
        Release.RELEASED,
    )


def test_choosing_nothing_releases_every_new_result_at_once(cast):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    _client(cast.clinic_admin).post(URL, {})
    cast.clinic.refresh_from_db()
    assert cast.clinic.held_result_categories == []
    build_sample_record(cast.patient)
    assert ClinicalResource.objects.filter(release=Release.HELD).count() == 0


def test_an_unknown_category_is_refused_and_nothing_changes(cast):
    response = _client(cast.clinic_admin).post(URL, {"categories": ["everything"]})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    cast.clinic.refresh_from_db()
    assert cast.clinic.held_result_categories == []
    assert not AuditEvent.objects.filter(object_type="clinic_settings").exists()


def test_another_clinics_admin_changes_only_their_own_clinic(cast):
    _client(cast.other_clinic_admin).post(URL, {"categories": ["imaging"]})
    cast.clinic.refresh_from_db()
    cast.other_clinic.refresh_from_db()
    assert (cast.clinic.held_result_categories, cast.other_clinic.held_result_categories) == (
        [],
        ["imaging"],
    )
