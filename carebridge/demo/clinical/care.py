"""Care coordination: the patient's care team, the goals set with them, and the care plans
that say what everyone will do about each long-term condition (or a short course of care)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import LOINC, SNOMED, Json, at, concept, quantity, reference
from carebridge.demo.clinical.problems import (
    ASTHMA,
    CKD,
    DIABETES,
    HYPERLIPIDEMIA,
    HYPERTENSION,
    OBESITY,
    VITAMIN_D,
)
from carebridge.demo.clinical.profile import Diagnosis

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart, Clinician
    from carebridge.demo.clinical.visits import Visit

ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
US_CORE_PLAN = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"


@dataclass(frozen=True)
class GoalKind:
    text: str
    # The measure (LOINC, display, trend key, unit, UCUM) and the target it should stay under
    # (or, for `above`, over); none for goals without a number.
    measure: tuple[str, str, str, str, str] | None = None
    target: float = 0
    above: bool = False


GOALS = {
    HYPERTENSION: GoalKind(
        "Keep blood pressure below 130/80.",
        ("8480-6", "Systolic blood pressure", "systolic", "mmHg", "mm[Hg]"),
        130,
    ),
    DIABETES: GoalKind(
        "Keep HbA1c below 7 %.",
        ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "a1c", "%", "%"),
        7,
    ),
    HYPERLIPIDEMIA: GoalKind(
        "Bring LDL cholesterol below 100 mg/dL.",
        (
            "13457-7",
            "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation",
            "ldl",
            "mg/dL",
            "mg/dL",
        ),
        100,
    ),
    CKD: GoalKind(
        "Keep kidney function steady, with eGFR above 45.",
        (
            "33914-3",
            "Glomerular filtration rate/1.73 sq M.predicted",
            "egfr",
            "mL/min/1.73m2",
            "mL/min/{1.73_m2}",
        ),
        45,
        above=True,
    ),
    VITAMIN_D: GoalKind(
        "Raise vitamin D above 30 ng/mL.",
        (
            "62292-8",
            "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma",
            "vitamin-d",
            "ng/mL",
            "ng/mL",
        ),
        30,
        above=True,
    ),
    OBESITY: GoalKind("Lose 5 % of body weight over the next year."),
    ASTHMA: GoalKind("No more than one asthma flare-up a year, with no night-time waking."),
}
WELLNESS = GoalKind("Walk for 30 minutes on at least five days a week.")
# Condition: (SNOMED code, display, title, activities).
PLANS = {
    HYPERTENSION: (
        "443402002",
        "Lifestyle education regarding hypertension",
        "High blood pressure care plan",
        (
            "Check blood pressure at home three times a week and bring the readings.",
            "Keep salt below 1,500 mg of sodium a day.",
            "Brisk walking for 30 minutes on most days.",
        ),
    ),
    DIABETES: (
        "698360004",
        "Diabetes self management plan",
        "Diabetes care plan",
        (
            "HbA1c every three to six months.",
            "Yearly eye exam and foot exam.",
            "Meet the diabetes educator to plan meals.",
        ),
    ),
    ASTHMA: (
        "699728000",
        "Asthma self management",
        "Asthma action plan",
        (
            "Use the controller inhaler every day, even when well.",
            "Rescue inhaler for symptoms; call if needed more than twice a week.",
            "Avoid smoke and known triggers.",
        ),
    ),
    OBESITY: (
        "734163000",
        "Care plan",
        "Healthy weight plan",
        (
            "Keep a food diary for four weeks.",
            "Replace sweet drinks with water.",
            "Build up to 150 minutes of activity a week.",
        ),
    ),
}
SHORT_PLANS = {
    "ankle-sprain": (
        "Ankle sprain home exercise plan",
        (
            "Ankle circles and alphabet tracing twice a day.",
            "Balance on the injured foot for 30 seconds, building up over two weeks.",
            "Back to running only when hopping on the foot is pain-free.",
        ),
    ),
    "back-pain": (
        "Back care plan",
        (
            "Gentle back stretches twice a day.",
            "Short walks several times a day instead of bed rest.",
            "Lift with the knees bent, holding loads close to the body.",
        ),
    ),
}


def clinician_role(clinician: Clinician, *, primary: bool) -> Json:
    if clinician.person.credentials == "NP":
        return concept(SNOMED, "224571005", "Nurse practitioner")
    if primary:
        return concept(SNOMED, "446050000", "Primary care physician")
    return concept(SNOMED, "158965000", "Medical practitioner")


def add_care_team(chart: Chart, visits: list[Visit]) -> str:
    seen = sorted({0, *(visit.clinician for visit in visits)})
    participants = [
        {
            "role": [clinician_role(chart.clinicians[index], primary=index == 0)],
            "member": chart.clinicians[index].reference(),
            "onBehalfOf": chart.organization(),
        }
        for index in seen
    ]
    participants.append(
        {"role": [concept(SNOMED, "116154003", "Patient")], "member": chart.subject()}
    )
    body = {
        "status": "active",
        "name": "Primary care team",
        "subject": chart.subject(),
        "period": {"start": chart.profile.start.isoformat()},
        "participant": participants,
        "managingOrganization": [chart.organization()],
    }
    return chart.builder.add("CareTeam", "primary-care", body)


def goal_target(chart: Chart, goal: GoalKind) -> tuple[list[Json], bool]:
    """The goal's measurable target, and whether the patient's recent values meet it."""
    if goal.measure is None:
        return [], False
    loinc, display, trend, unit, ucum = goal.measure
    bound = {"low" if goal.above else "high": quantity(goal.target, unit, ucum)}
    recent = chart.trends[trend].typical(chart.profile.today)
    met = recent > goal.target if goal.above else recent < goal.target
    return [{"measure": concept(LOINC, loinc, display), "detailRange": bound}], met


def goal_body(chart: Chart, goal: GoalKind, diagnosis: Diagnosis | None) -> Json:
    target, met = goal_target(chart, goal)
    done = diagnosis is not None and diagnosis.abated is not None
    start = max(diagnosis.onset if diagnosis else chart.profile.start, chart.profile.start)
    body: Json = {
        "lifecycleStatus": "completed" if done else "active",
        "achievementStatus": concept(
            ACHIEVEMENT,
            *(("achieved", "Achieved") if met or done else ("in-progress", "In Progress")),
        ),
        "description": {"text": goal.text},
        "subject": chart.subject(),
        "startDate": start.isoformat(),
        "expressedBy": chart.primary.reference(),
    }
    if target:
        body["target"] = target
    if diagnosis:
        body["addresses"] = [chart.condition_reference(diagnosis)]
    return body


def add_goals(chart: Chart) -> dict[str, str]:
    """A goal for each condition that has one (a walking goal for healthy adults); returns the
    goals' references by condition key."""
    goals = {}
    for diagnosis in chart.profile.conditions:
        if diagnosis.problem.key in GOALS:
            body = goal_body(chart, GOALS[diagnosis.problem.key], diagnosis)
            goals[diagnosis.key] = chart.builder.add("Goal", diagnosis.key, body)
    if not goals and chart.profile.age_on(chart.profile.today) >= 18:
        chart.builder.add("Goal", "wellness", goal_body(chart, WELLNESS, None))
    return goals


def plan_body(
    chart: Chart,
    diagnosis: Diagnosis,
    title: str,
    *,
    code: Json,
    activities: tuple[str, ...],
    done: bool,
) -> Json:
    start = max(diagnosis.onset, chart.profile.start).isoformat()
    plan_period = {"start": start}
    if done and diagnosis.abated:
        plan_period["end"] = diagnosis.abated.isoformat()
    state = "completed" if done else "in-progress"
    return {
        "status": "completed" if done else "active",
        "intent": "plan",
        # The plan's own kind first, so a list of plans can tell them apart; US Core's
        # assess-plan category as well.
        "category": [
            code,
            concept(US_CORE_PLAN, "assess-plan", "Assessment and Plan of Treatment"),
        ],
        "title": title,
        "subject": chart.subject(),
        "period": plan_period,
        "created": at(max(diagnosis.onset, chart.profile.start), 12 * 60),
        "author": chart.primary.reference(),
        "addresses": [chart.condition_reference(diagnosis)],
        "activity": [{"detail": {"status": state, "description": text}} for text in activities],
    }


def add_condition_plans(chart: Chart, team: str, goals: dict[str, str]) -> None:
    for diagnosis in chart.profile.conditions:
        if diagnosis.problem.key not in PLANS:
            continue
        code, display, title, activities = PLANS[diagnosis.problem.key]
        body = plan_body(
            chart,
            diagnosis,
            title,
            code=concept(SNOMED, code, display, title),
            activities=activities,
            done=False,
        )
        body["careTeam"] = [reference(team, "Primary care team")]
        if diagnosis.key in goals:
            body["goal"] = [reference(goals[diagnosis.key])]
        chart.builder.add("CarePlan", diagnosis.key, body)


def add_short_plans(chart: Chart, visits: list[Visit]) -> None:
    """A home-care plan for a sprain or back pain, completed once it has healed."""
    for illness in (d for v in visits for d in v.new if d.problem.key in SHORT_PLANS):
        title, activities = SHORT_PLANS[illness.problem.key]
        body = plan_body(
            chart,
            illness,
            title,
            code=concept(SNOMED, "734163000", "Care plan", title),
            activities=activities,
            done=illness.abated is not None,
        )
        chart.builder.add("CarePlan", illness.key, body)


def add_care_plans(chart: Chart, visits: list[Visit], team: str, goals: dict[str, str]) -> None:
    add_condition_plans(chart, team, goals)
    add_short_plans(chart, visits)
