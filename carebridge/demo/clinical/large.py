"""One very long record for benchmarks: twenty years of a closely followed older patient with
several long-term conditions, with exactly the number of Observations asked for.

Clinic visits supply most Observations; home blood pressure and weight readings, spread evenly
over the twenty years, make up the exact count. If the visits alone would give more than asked,
the latest visits are left out.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from carebridge.demo.clinical.bundle import PractitionerRef
from carebridge.demo.clinical.chart import Chart
from carebridge.demo.clinical.orders import fill_visits
from carebridge.demo.clinical.problems import CKD, DIABETES, HYPERLIPIDEMIA, HYPERTENSION
from carebridge.demo.clinical.profile import DAY
from carebridge.demo.clinical.record import DEFAULT_CLINIC_NAME, open_chart, write_record
from carebridge.demo.clinical.visits import Schedule, Visit, plan_visits
from carebridge.demo.clinical.vitals import (
    Taken,
    add_blood_pressure,
    add_measurement,
    diastolic_for,
)
from carebridge.demo.generator import DEFAULT_SEED, AgeBand, Draw, PatientSpec, make_patient_spec

LARGE_RECORD_YEARS = 20
LARGE_RECORD_MRN = "RFC-90001"
# Invented clinicians, with NPIs of the right form (ten digits, valid check digit).
LARGE_RECORD_PRACTITIONERS = (
    PractitionerRef("Nora", "Halloran", "MD", "1900000013"),
    PractitionerRef("Tobias", "Wren", "NP", "1900000021"),
    PractitionerRef("Ines", "Marlowe", "DO", "1900000039"),
)
CONDITIONS = (HYPERTENSION, DIABETES, HYPERLIPIDEMIA, CKD)
# Seen about every six weeks, with tests at every visit.
CLOSE_FOLLOW_UP = Schedule(follow_ups_per_year=16, follow_up_chance=1.0)


def large_record_patient(seed: int, today: datetime.date) -> PatientSpec:
    draw = Draw(rng=random.Random(f"carebridge-large-record:{seed}"), today=today)
    band = AgeBand("long record", 72, 80)
    return make_patient_spec(draw, mrn=LARGE_RECORD_MRN, band=band, speaks_spanish=False)


def visits_within(visits: list[Visit], observations: int) -> list[Visit]:
    """The earliest visits whose Observations add up to no more than `observations`."""
    kept, total = [], 0
    for visit in visits:
        if total + visit.observation_count > observations:
            break
        kept.append(visit)
        total += visit.observation_count
    return kept


def add_home_readings(chart: Chart, count: int) -> None:
    """`count` readings the patient took at home: blood pressure, and every fourth a weight."""
    profile, rng = chart.profile, chart.rng
    span = (profile.today - DAY - profile.start).days
    for number in range(count):
        day = profile.start + (span * number // max(count, 1)) * DAY
        taken = Taken(f"home-{number + 1}", day, 7 * 60 + rng.randrange(0, 90), chart.subject())
        if number % 4 == 3:
            add_measurement(chart, taken, "weight", chart.body.weight_on(rng, profile, day))
            continue
        # Readings at home run a little lower than in the clinic.
        systolic = chart.trends["systolic"].sample(rng, day) - 4
        add_blood_pressure(chart, taken, systolic, diastolic_for(chart, systolic, day))


def generate_large_record(
    *,
    mrn_system: str,
    today: datetime.date,
    observations: int = 10_000,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """A single patient's twenty-year record holding exactly `observations` Observations, in
    the same shapes as `generate_record_bundle`, deterministic for a seed."""
    spec = large_record_patient(seed, today)
    chart = open_chart(
        spec,
        mrn_system=mrn_system,
        practitioners=LARGE_RECORD_PRACTITIONERS,
        today=today,
        seed=seed,
        years=LARGE_RECORD_YEARS,
        clinic_name=DEFAULT_CLINIC_NAME,
        forced=CONDITIONS,
    )
    visits = plan_visits(chart.rng, chart.profile, CLOSE_FOLLOW_UP)
    fill_visits(chart.rng, chart.profile, visits, clinicians=len(chart.clinicians))
    write_record(chart, visits_within(visits, observations), mrn_system=mrn_system)
    add_home_readings(chart, observations - chart.builder.observation_count())
    return chart.builder.bundle()
