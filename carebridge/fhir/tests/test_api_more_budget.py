"""US Core's other reads cost the same few queries whatever the record's size: a search of the
clinic's shared resources, a read of one, a search with includes, a page of `$everything`."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from carebridge.fhir.tests.api import api_id, get
from carebridge.records.models import ClinicalResource
from carebridge.testing.fhir import connect_app, issue_token
from carebridge.testing.personas import Cast
from carebridge.testing.records import hba1c, store
from carebridge.testing.us_core_record import build_us_core_record

pytestmark = pytest.mark.django_db

# The framework's search budget (`test_api_budget.SEARCH_BUDGET`: token, link, acting context,
# rate, count, page, audit, last read), plus two: the record's references and the links
# followed from them, an include each, the shared resources a page of `$everything` points at.
BUDGET = 12 + 2


@pytest.mark.parametrize("how_many", [10, 300])
def test_the_other_reads_cost_the_same_queries_at_any_size(
    cast: Cast, how_many: int, django_assert_max_num_queries: Any
) -> None:
    record = build_us_core_record(cast.patient)
    start = datetime.date(2020, 1, 1)
    days = (start + datetime.timedelta(days=number) for number in range(how_many))
    store(cast.patient, *(hba1c(cast.patient, day, 5.5) for day in days))
    token = issue_token(connect_app(user=cast.patient_user, patient=cast.patient))
    practitioner = record.shared["Practitioner"]
    chen = ClinicalResource.objects.get(resource_type="Practitioner", fhir_id=practitioner["id"])
    place = ClinicalResource.objects.get(
        resource_type="Location", fhir_id=record.shared["Location"]["id"]
    )
    paths = [
        "Practitioner?name=chen",
        f"Practitioner/{api_id(chen)}",
        f"Location/{api_id(place)}",
        f"MedicationRequest?patient={cast.patient.pk}&_include=MedicationRequest:medication"
        "&_revinclude=Provenance:target",
        f"Patient/{cast.patient.pk}/$everything?_count=200",
        f"Patient/{cast.patient.pk}/$everything?_count=200&_offset=200",
    ]
    for path in paths:
        with django_assert_max_num_queries(BUDGET):
            response = get(token, path)
        assert response.status_code == 200, path
    everything = json.loads(get(token, paths[-2]).content)
    assert everything["total"] == 1 + 12 + how_many
