"""One patient's whole health record as a FHIR R4 transaction Bundle."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import Any

from carebridge.demo.clinical.allergies import add_allergies, draw_allergens
from carebridge.demo.clinical.appointments import add_appointments
from carebridge.demo.clinical.bundle import BundleBuilder, PractitionerRef
from carebridge.demo.clinical.care import add_care_plans, add_care_team, add_goals
from carebridge.demo.clinical.chart import Chart, Clinician
from carebridge.demo.clinical.conditions import add_conditions
from carebridge.demo.clinical.datatypes import reference
from carebridge.demo.clinical.encounters import add_visit
from carebridge.demo.clinical.growth import adult_bmi, draw_body
from carebridge.demo.clinical.immunizations import Dose, add_immunizations, plan_immunizations
from carebridge.demo.clinical.labvalues import LabValues
from carebridge.demo.clinical.notes import VisitEvents
from carebridge.demo.clinical.orders import fill_visits
from carebridge.demo.clinical.people import add_organization, add_practitioners, patient_body
from carebridge.demo.clinical.physiology import draw_trends
from carebridge.demo.clinical.prescriptions import (
    Prescription,
    add_prescriptions,
    plan_prescriptions,
)
from carebridge.demo.clinical.procedures import add_screenings
from carebridge.demo.clinical.profile import Profile, draw_conditions, record_start
from carebridge.demo.clinical.visits import Schedule, Visit, plan_visits
from carebridge.demo.generator import DEFAULT_SEED, PatientSpec

DEFAULT_CLINIC_NAME = "Riverside Family Clinic"
HISTORY_YEARS = 10


def record_rng(seed: int, mrn: str) -> random.Random:
    # A string seed is hashed the same way on every run and platform, unlike hash().
    return random.Random(f"carebridge-clinical:{seed}:{mrn}")


def open_chart(
    spec: PatientSpec,
    *,
    mrn_system: str,
    practitioners: Sequence[PractitionerRef],
    today: datetime.date,
    seed: int,
    years: int,
    clinic_name: str,
    forced: tuple[str, ...] = (),
) -> Chart:
    """The chart of `spec`: their clinical story drawn, their clinicians chosen (the patient's
    own first), nothing written yet."""
    if not practitioners:
        raise ValueError("A record needs at least one practitioner.")
    rng = record_rng(seed, spec.mrn)
    profile = Profile(spec.birth_date, spec.sex, record_start(spec.birth_date, today, years), today)
    bmi = adult_bmi(rng)
    draw_conditions(rng, profile, bmi=bmi, forced=forced)
    body = draw_body(rng, profile, bmi)
    trends = draw_trends(rng, profile)
    people = list(practitioners)
    primary = people.pop(rng.randrange(len(people)))
    builder = BundleBuilder(scope=spec.mrn, shared_scope=mrn_system)
    clinicians = tuple(
        Clinician(person, builder.urn("Practitioner", person.key, shared=True))
        for person in (primary, *people)
    )
    labs = LabValues(rng, profile, trends)
    return Chart(builder, rng, spec, profile, body, trends, labs, clinicians, clinic_name)


def events_by_visit(
    visits: list[Visit], prescriptions: list[Prescription], doses: list[Dose]
) -> dict[str, VisitEvents]:
    by_day = {visit.day: VisitEvents() for visit in visits}
    for plan in prescriptions:
        if plan.start in by_day:
            by_day[plan.start].started.append(plan)
        if plan.status == "stopped" and plan.end in by_day:
            by_day[plan.end].stopped.append(plan)
    for dose in doses:
        if dose.visit is not None:
            by_day[dose.visit.day].doses.append(dose)
    return {visit.key: by_day[visit.day] for visit in visits}


def write_people(chart: Chart, mrn_system: str) -> None:
    """The Patient first, then the clinic's practitioners and the clinic."""
    patient = patient_body(
        chart.spec,
        mrn_system=mrn_system,
        primary=chart.primary.reference(),
        clinic=reference(chart.organization_urn, chart.clinic_name),
    )
    chart.builder.add("Patient", "patient", patient)
    add_practitioners(chart.builder, [clinician.person for clinician in chart.clinicians])
    add_organization(chart.builder, chart.clinic_name)


def write_record(chart: Chart, visits: list[Visit], *, mrn_system: str) -> None:
    rng, profile = chart.rng, chart.profile
    allergens = draw_allergens(rng, profile)
    prescriptions = plan_prescriptions(
        profile,
        visits,
        controller=rng.random() < 0.5,
        allergic_to_penicillin=any(allergen.key == "penicillin" for allergen in allergens),
    )
    doses = plan_immunizations(rng, profile, visits)
    write_people(chart, mrn_system)
    team = add_care_team(chart, visits)
    add_conditions(chart, visits)
    events = events_by_visit(visits, prescriptions, doses)
    for visit in visits:
        add_visit(chart, visit, events[visit.key])
    add_prescriptions(chart, prescriptions, visits)
    add_immunizations(chart, doses)
    add_allergies(chart, allergens)
    add_screenings(chart)
    add_care_plans(chart, visits, team, add_goals(chart))
    # Last, and drawn from nothing random: the rest of the record is as it was without them.
    add_appointments(chart, visits)


def generate_record_bundle(
    spec: PatientSpec,
    *,
    mrn_system: str,
    practitioners: Sequence[PractitionerRef],
    today: datetime.date,
    seed: int = DEFAULT_SEED,
    clinic_name: str = DEFAULT_CLINIC_NAME,
) -> dict[str, Any]:
    """`spec`'s synthetic health record, up to ten years long, as a FHIR R4 transaction Bundle.

    The same arguments always give the same bundle, ids included. The first entry is the
    Patient (identified by `mrn_system` and the MRN); the clinic's practitioners and the clinic
    follow, with ids shared by every patient's bundle.
    """
    chart = open_chart(
        spec,
        mrn_system=mrn_system,
        practitioners=practitioners,
        today=today,
        seed=seed,
        years=HISTORY_YEARS,
        clinic_name=clinic_name,
    )
    visits = plan_visits(chart.rng, chart.profile, Schedule())
    fill_visits(chart.rng, chart.profile, visits, clinicians=len(chart.clinicians))
    write_record(chart, visits, mrn_system=mrn_system)
    return chart.builder.bundle()
