"""The demo clinic's quick comments: three, in order, put back by a rerun, nothing added."""

from __future__ import annotations

import pytest

from carebridge.demo.comments import QUICK_COMMENTS, load_demo_quick_comments
from carebridge.demo.services import CLINIC_SLUG, load_demo_clinic
from carebridge.records.models import QuickComment

pytestmark = pytest.mark.django_db

EXPECTED = [
    ("Normal, no action needed.", 0),
    (
        "Slightly outside the normal range, nothing to worry about. We will check it again at "
        "your next visit.",
        1,
    ),
    ("Please book an appointment so we can talk about this result.", 2),
]


def test_the_demo_clinic_has_three_quick_comments_in_order() -> None:
    load_demo_clinic("carebridge-demo-2026", with_records=False)
    rows = QuickComment.objects.filter(clinic__slug=CLINIC_SLUG)
    assert list(rows.values_list("text", "position")) == EXPECTED


def test_a_rerun_puts_them_back_and_adds_nothing(cast) -> None:
    first = load_demo_quick_comments(cast.clinic)
    QuickComment.objects.filter(pk=first[0].pk).update(position=7)
    again = load_demo_quick_comments(cast.clinic)
    assert [row.pk for row in again] == [row.pk for row in first]
    rows = QuickComment.objects.filter(clinic=cast.clinic)
    assert list(rows.values_list("text", "position")) == EXPECTED
    assert len(QUICK_COMMENTS) == 3
