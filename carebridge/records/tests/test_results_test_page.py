"""Every result of one test in one place (the trend page): the clinician's comments on the
test's results first, then the chart, then every reading with its range and flag in stacked
rows. The address names a result, never the test (see test_results_trend).

Cast: Pat Patient; Dr Casey Clinician, who releases held results with a comment; Sam Second,
whose comments Pat never sees.
"""

from __future__ import annotations

import datetime
import re

import pytest

from carebridge.records.models import ClinicalResource
from carebridge.records.services import release_with_comment
from carebridge.testing.personas import Cast
from carebridge.testing.records import glucose, store

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def released(cast: Cast, patient, day: datetime.date, value: float, comment: str):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    (row,) = store(patient, glucose(patient, day, value))
    release_with_comment(
        actor=cast.clinician, clinic=cast.clinic, resource=row, resource_ids=[row.pk],
        comment=comment,
    )  # fmt: skip
    return row


def test_the_tests_comments_come_first_newest_first(cast: Cast, patient_client) -> None:
    old = released(cast, cast.patient, TODAY - datetime.timedelta(days=90), 130, "A bit high.")
    released(cast, cast.patient, TODAY - datetime.timedelta(days=2), 92, "Back to normal.")
    released(cast, cast.second_patient, TODAY, 200, "Sam's own comment.")
    html = patient_client.get(f"/record/results/{old.pk}/trend/").content.decode()
    content = html.split('<div class="record-content">', 1)[1]
    text = " ".join(re.sub(r"<[^>]+>", " ", content).split())
    assert "Your clinician's comments on this test" in text
    comments = text.split("Your clinician's comments on this test", 1)[1]
    assert comments.index("Back to normal.") < comments.index("A bit high.")
    assert "Sam's own comment." not in text
    # Comments before the chart and the table.
    assert content.index('id="test-comments"') < content.index("<svg")
    assert content.index("<svg") < content.index('<table class="stack">')
    assert 'data-label="Normal range">70 to 99 mg/dL</td>' in content
    assert ClinicalResource.objects.get(pk=old.pk).code == "2345-7"


def test_without_comments_there_is_no_comment_box(cast: Cast, patient_client) -> None:
    (row,) = store(cast.patient, glucose(cast.patient, TODAY, 90))
    html = patient_client.get(f"/record/results/{row.pk}/trend/").content.decode()
    assert 'id="test-comments"' not in html
