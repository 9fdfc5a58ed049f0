"""The clinician's comments on results: written with the release in one transaction, only on a
result that was still held, clean words only; read back only within the viewer's scope."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource, QuickComment, Release, ResultComment
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.comments import get_comment, list_new_comments
from carebridge.records.services import (
    change_quick_comment,
    move_quick_comment,
    release_with_comment,
)
from carebridge.testing import factories
from carebridge.testing.personas import Cast
from carebridge.testing.records import glucose, store

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
ZONE = ZoneInfo("UTC")
LABEL = {
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIV"}]
}


def held(cast: Cast, **extra: object) -> ClinicalResource:
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    (row,) = store(cast.patient, glucose(cast.patient, TODAY, 130, **extra))
    return row


def release(cast: Cast, row: ClinicalResource, comment: str = "") -> list[ClinicalResource]:
    return release_with_comment(
        actor=cast.clinician,
        clinic=cast.clinic,
        resource=row,
        resource_ids=[row.pk],
        comment=comment,
    )


def test_the_comment_is_written_with_the_release(cast):
    row = held(cast)
    assert release(cast, row, " Normal. ") == [row]
    comment = ResultComment.objects.get()
    assert (comment.resource, comment.patient, comment.text, comment.written_by) == (
        row,
        cast.patient,
        "Normal.",
        cast.clinician,
    )


def test_no_words_no_comment(cast):
    row = held(cast)
    release(cast, row)
    assert not ResultComment.objects.exists()


def test_bad_words_release_nothing(cast):
    row = held(cast)
    with pytest.raises(ValidationError) as raised:
        release(cast, row, "y" * 1001)
    assert raised.value.messages == ["Keep the comment to 1000 characters or fewer."]
    row.refresh_from_db()
    assert row.release == Release.HELD
    assert not AuditEvent.objects.filter(action="release").exists()


def test_an_already_released_result_gets_no_comment(cast):
    row = held(cast)
    release(cast, row)
    assert release(cast, row, "Late words") == []
    assert not ResultComment.objects.exists()


def test_another_clinics_result_is_left_alone(cast):
    cast.other_clinic.held_result_categories = ["laboratory"]
    cast.other_clinic.save()
    elsewhere = factories.make_patient(cast.other_clinic)
    (row,) = store(elsewhere, glucose(elsewhere, TODAY, 130))
    assert release(cast, row, "Words") == []
    row.refresh_from_db()
    assert row.release == Release.HELD
    assert not ResultComment.objects.exists()


def test_the_comment_reads_back_in_words(cast):
    row = held(cast)
    release(cast, row, "Normal.")
    view = get_comment(row, ZONE)
    assert view is not None
    assert (view.author, view.text, view.resource_pk, view.resource_name, view.is_report) == (
        "Casey Clinician",
        "Normal.",
        row.pk,
        "Glucose",
        False,
    )


def test_new_comments_leave_out_seen_and_sensitive_results_for_a_proxy(cast):
    seen, private, fresh = held(cast), held(cast, meta=LABEL), held(cast)
    for row, words in ((seen, "Seen"), (private, "Private"), (fresh, "Fresh")):
        release(cast, row, words)
    ClinicalResource.objects.filter(pk=seen.pk).update(seen_at=datetime.datetime.now(datetime.UTC))
    own = list_new_comments(RecordScope.whole(cast.patient), ZONE)
    assert [view.text for view in own] == ["Fresh", "Private"]
    proxy = RecordScope(patient=cast.patient, hides_sensitive=True)
    assert [view.text for view in list_new_comments(proxy, ZONE)] == ["Fresh"]


def test_changing_a_quick_comment_to_the_same_words_records_nothing(cast):
    quick = QuickComment.objects.create(clinic=cast.clinic, text="Normal", position=0)
    change_quick_comment(actor=cast.clinic_admin, quick=quick, text=" Normal ")
    assert not AuditEvent.objects.filter(object_type="quick_comment").exists()


def test_moving_the_last_down_does_nothing(cast):
    QuickComment.objects.create(clinic=cast.clinic, text="A", position=0)
    last = QuickComment.objects.create(clinic=cast.clinic, text="B", position=1)
    move_quick_comment(actor=cast.clinic_admin, quick=last, up=False)
    assert list(QuickComment.objects.values_list("text", "position")) == [("A", 0), ("B", 1)]
    assert not AuditEvent.objects.filter(object_type="quick_comment").exists()
