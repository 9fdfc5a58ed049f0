"""Record links stay in their frame: the patient's own pages, or a chart in the console.

`record_url` must give exactly what `reverse` gives in each frame, for any id, and the frame
must end with the block that set it, even when the page fails.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from carebridge.records.links import (
    OWN_RECORD,
    RecordLinks,
    RecordOwner,
    current_links,
    links_into,
    record_url,
)

OWNER = RecordOwner(
    name="Pat Patient", birth_date=datetime.date(1956, 3, 14), mrn="RFC-1001", back_url="/"
)
DETAIL_NAMES = ["result-detail", "report-detail", "test-trend", "visit-detail", "document-detail"]


def _chart(patient_id: uuid.UUID) -> RecordLinks:
    return RecordLinks(namespace="staff:chart-", leading=(str(patient_id),), owner=OWNER)


# No deadline: the first example loads the URL configuration.
@settings(deadline=None, max_examples=50)
@given(
    pk=st.integers(min_value=1, max_value=10**15),
    patient_id=st.uuids(),
    name=st.sampled_from(DETAIL_NAMES),
)
def test_a_link_is_the_reversed_url_in_either_frame(
    pk: int, patient_id: uuid.UUID, name: str
) -> None:
    assert record_url(name, pk) == reverse(f"records:{name}", args=[pk])
    with links_into(_chart(patient_id)):
        assert record_url(name, pk) == reverse(f"staff:chart-{name}", args=[patient_id, pk])
        assert record_url("results") == reverse("staff:chart-results", args=[patient_id])
    assert record_url("results") == "/record/results/"


def test_the_frame_ends_with_its_block_even_when_the_page_fails() -> None:
    patient_id = uuid.UUID("00000000-0000-4000-8000-000000000001")
    with pytest.raises(RuntimeError), links_into(_chart(patient_id)):
        assert current_links().owner == OWNER
        raise RuntimeError
    assert current_links() == OWN_RECORD
    assert record_url("summary") == "/record/"
