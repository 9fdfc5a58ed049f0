"""Vital signs in US customary units where the clinic chooses them, the metric value beside:
exact conversions (rounded half up to one decimal), the pages that show them, and the FHIR
values left as they were stored.

Cast: Pat Patient, whose clinic (Riverside) shows US customary units unless it chooses metric.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.clinic.models import VitalUnits
from carebridge.records.measures import in_us_customary, to_us_customary
from carebridge.records.models import ClinicalResource
from carebridge.records.selectors.trends import Reading
from carebridge.testing.personas import Cast
from carebridge.testing.records import store, vital

TODAY = datetime.date.today()


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [
        (70, "kg", (154.3, "[lb_av]")),
        (72.5, "kg", (159.8, "[lb_av]")),
        (3500, "g", (7.7, "[lb_av]")),
        (37, "Cel", (98.6, "[degF]")),
        (38.5, "Cel", (101.3, "[degF]")),
        (170, "cm", (66.9, "[in_i]")),
        (1.7, "m", (66.9, "[in_i]")),
        (0, "Cel", (32.0, "[degF]")),
    ],
)
def test_conversions_are_exact(number: float, unit: str, expected: tuple[float, str]) -> None:
    assert to_us_customary(number, unit) == expected


@pytest.mark.parametrize("unit", ["mm[Hg]", "/min", "kg/m2", "[lb_av]", "%", ""])
def test_units_without_a_us_customary_form_are_not_converted(unit: str) -> None:
    assert to_us_customary(120, unit) is None


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_any_weight_converts_without_raising(number: float) -> None:
    converted = to_us_customary(number, "kg")
    assert converted is not None and converted[1] == "[lb_av]"


def test_a_converted_reading_keeps_the_recorded_value_beside_it() -> None:
    reading = Reading(1, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), 70.0, "", "kg",
                      None, None, "", "", datetime.UTC)  # fmt: skip
    shown = in_us_customary(reading)
    assert (shown.value, shown.unit_shown) == ("154.3", "lb (70 kg)")
    assert in_us_customary(reading._replace(unit_code="kg/m2")).unit_shown == "kg/m²"


def weight_text(client: Any) -> str:
    html = client.get("/record/vitals/").content.decode()
    part = html.split('<section id="weight"', 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def test_a_us_clinic_shows_pounds_with_kilograms_beside(cast: Cast, patient_client) -> None:
    day = TODAY - datetime.timedelta(days=3)
    store(cast.patient, vital(cast.patient, code="29463-7", display="Body weight", value=70,
                              unit="kg", day=day))  # fmt: skip
    text = weight_text(patient_client)
    assert "Your last weight was 154.3 lb (70 kg) on" in text
    assert text.endswith("154.3 lb (70 kg)")
    # The chart is drawn in pounds too.
    html = patient_client.get("/record/vitals/").content.decode()
    weight = html.split('<section id="weight"', 1)[1].split("</section>", 1)[0]
    assert 'text-anchor="end">lb</text>' in weight
    # The record, and so the FHIR API, keeps the kilograms.
    row = ClinicalResource.objects.get(patient=cast.patient, code="29463-7")
    assert (row.value_numeric, row.resource["valueQuantity"]["value"]) == (70, 70)


def test_a_metric_clinic_shows_kilograms_only(cast: Cast, patient_client) -> None:
    cast.clinic.vital_units = VitalUnits.METRIC
    cast.clinic.save()
    day = TODAY - datetime.timedelta(days=3)
    store(cast.patient, vital(cast.patient, code="29463-7", display="Body weight", value=70,
                              unit="kg", day=day))  # fmt: skip
    text = weight_text(patient_client)
    assert "Your last weight was 70 kg on" in text
    assert "lb" not in text


def test_a_visits_vital_signs_are_in_the_clinics_units(cast: Cast, patient_client) -> None:
    from carebridge.testing.records import encounter, in_visit, next_id

    visit_id = next_id("enc")
    day = datetime.date(2025, 3, 4)
    signs = [
        ("8310-5", "Body temperature", 37, "Cel"),
        ("8302-2", "Body height", 170, "cm"),
        ("29463-7", "Body weight", 70, "kg"),
        ("8867-4", "Heart rate", 64, "/min"),
    ]
    store(
        cast.patient,
        encounter(cast.patient, "2025-03-04T15:00:00Z", id=visit_id),
        *(
            vital(cast.patient, code=code, display=name, value=value, unit=unit, day=day)
            | in_visit(visit_id)
            for code, name, value, unit in signs
        ),
    )
    visit = ClinicalResource.objects.get(patient=cast.patient, fhir_id=visit_id)
    html = patient_client.get(f"/record/visits/{visit.pk}/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for shown in (
        "Body temperature 98.6 °F (37 °C)",
        "Body height 66.9 in (170 cm)",
        "Body weight 154.3 lb (70 kg)",
        "Heart rate 64 per minute",
    ):
        assert shown in text
