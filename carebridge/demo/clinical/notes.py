"""The words of a visit: the clinician's note and the patient's after-visit instructions,
written from what happened at the visit (vital signs, orders, medicines, vaccines)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from carebridge.demo.clinical.immunizations import Dose
from carebridge.demo.clinical.prescriptions import Prescription
from carebridge.demo.clinical.problems import AFIB
from carebridge.demo.clinical.visits import Visit, VisitKind

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart

VITAL_LABELS = (
    ("blood-pressure", "BP"),
    ("heart-rate", "heart rate"),
    ("respiratory-rate", "breathing rate"),
    ("temperature", "temperature"),
    ("oxygen-saturation", "oxygen saturation"),
    ("weight", "weight"),
    ("height", "height"),
    ("bmi", "BMI"),
    ("head-circumference", "head circumference"),
)
NEXT_VISIT = {
    VisitKind.CHECKUP: "Return in one year for the next check-up, sooner if needed.",
    VisitKind.WELL_CHILD: "Next well-child visit as scheduled.",
    VisitKind.FOLLOW_UP: "Return in three months.",
    VisitKind.NEW_PROBLEM: "Return in four to six weeks to review results and progress.",
    VisitKind.SICK: "Return if not improving within a week, or sooner if worse.",
}


@dataclass
class VisitEvents:
    """What changed at a visit beyond its measurements."""

    started: list[Prescription] = field(default_factory=list)
    stopped: list[Prescription] = field(default_factory=list)
    doses: list[Dose] = field(default_factory=list)


def describe_patient(chart: Chart, visit: Visit) -> str:
    profile = chart.profile
    age, female = profile.age_on(visit.day), profile.sex == "female"
    if age < 2:
        months = int(profile.years_old(visit.day) * 12)
        return f"{months}-month-old baby {'girl' if female else 'boy'}"
    if age < 18:
        return f"{age}-year-old {'girl' if female else 'boy'}"
    return f"{age}-year-old {'woman' if female else 'man'}"


def reason(visit: Visit) -> str:
    names = ", ".join(d.problem.name.lower() for d in visit.problems)
    if visit.kind == VisitKind.CHECKUP:
        return "Annual physical examination."
    if visit.kind == VisitKind.WELL_CHILD:
        return "Well-child check."
    if visit.kind == VisitKind.SICK:
        return f"Sick visit: {visit.new[0].problem.complaint}."
    if visit.kind == VisitKind.NEW_PROBLEM:
        return f"Symptoms and results pointing to {names}."
    return f"Follow-up of {names}."


def history(chart: Chart, visit: Visit) -> str:
    who = f"{chart.spec.given_name} is a {describe_patient(chart, visit)}"
    if visit.kind == VisitKind.SICK:
        return f"{who} who comes in with {visit.new[0].problem.complaint}."
    if visit.kind == VisitKind.WELL_CHILD:
        return (
            f"{who} here with a parent for a routine check. Eating and sleeping well. "
            "Development on track for age. No concerns raised today."
        )
    if visit.escalations:
        return (
            f"{who} here for follow-up. Taking medicines as prescribed, but recent readings "
            "have been above goal."
        )
    if visit.kind == VisitKind.NEW_PROBLEM:
        return f"{who} here to discuss new symptoms and recent results."
    purpose = "routine check-up" if visit.kind == VisitKind.CHECKUP else "follow-up visit"
    return (
        f"{who} here for a {purpose}. Feels well overall; taking medicines as prescribed, "
        "with no side effects."
    )


def vitals_line(vitals: dict[str, str]) -> str:
    parts = [f"{label} {vitals[key]}" for key, label in VITAL_LABELS if key in vitals]
    return "Vital signs: " + (", ".join(parts) if parts else "not taken") + "."


def examination(chart: Chart, visit: Visit) -> str:
    if any(d.problem.fever for d in visit.new):
        return "Examination: tired-looking but not in distress; findings as in the assessment."
    rhythm = "irregularly irregular" if chart.profile.has_active(AFIB, visit.day) else "regular"
    return (
        f"Examination: alert and comfortable. Heart {rhythm}, no murmur. Lungs clear. "
        "Abdomen soft and not tender."
    )


def plan_lines(visit: Visit, events: VisitEvents) -> list[str]:
    lines = []
    for number, diagnosis in enumerate(visit.problems, start=1):
        new = " New diagnosis." if diagnosis in visit.new and diagnosis.problem.chronic else ""
        line = f"{number}. {diagnosis.problem.name}:{new} {diagnosis.problem.assessment}"
        started = [p.medicine.text for p in events.started if p.reason.key == diagnosis.key]
        if started:
            line += " Started " + " and ".join(started) + "."
        lines.append(line)
    if not lines:
        lines.append("1. Healthy; routine screening and prevention discussed.")
    return lines


def order_lines(visit: Visit, events: VisitEvents) -> list[str]:
    lines = []
    if visit.panels:
        lines.append("Labs ordered: " + ", ".join(panel.name for panel in visit.panels) + ".")
    if visit.procedures:
        lines.append("Done today: " + ", ".join(kind.name for kind in visit.procedures) + ".")
    if events.stopped:
        lines.append("Stopped: " + ", ".join(p.medicine.text for p in events.stopped) + ".")
    if events.doses:
        lines.append("Vaccines given: " + ", ".join(d.vaccine.name for d in events.doses) + ".")
    return lines


def clinical_note(chart: Chart, visit: Visit, vitals: dict[str, str], events: VisitEvents) -> str:
    clinician = chart.clinicians[visit.clinician].person.display
    lines = [
        f"Visit date: {visit.day:%d %B %Y}. Seen by {clinician} at {chart.clinic_name}.",
        "",
        f"Reason for visit: {reason(visit)}",
        "",
        history(chart, visit),
        "",
        vitals_line(vitals),
        examination(chart, visit),
        "",
        "Assessment and plan:",
        *plan_lines(visit, events),
        *order_lines(visit, events),
        "",
        NEXT_VISIT[visit.kind],
    ]
    return "\n".join(lines) + "\n"


def advice_lines(chart: Chart, visit: Visit, events: VisitEvents) -> list[str]:
    lines = [f"- {d.problem.advice}" for d in visit.problems]
    lines += [f"- New medicine: {p.medicine.text}. {p.medicine.directions}" for p in events.started]
    lines += [f"- Stop taking {p.medicine.text}." for p in events.stopped]
    if visit.panels:
        lines.append(
            "- Your test results will appear in the portal when they are ready, "
            "usually within two days."
        )
    if events.doses:
        names = ", ".join(d.vaccine.name for d in events.doses)
        lines.append(
            f"- Vaccines given today: {names}. A sore arm or a mild fever for a day is normal."
        )
    if not lines:
        lines.append("- Keep up the good work: stay active, eat well and sleep well.")
    return lines


def instructions(chart: Chart, visit: Visit, events: VisitEvents) -> str:
    clinician = chart.clinicians[visit.clinician].person.display
    lines = [
        f"Your visit on {visit.day:%d %B %Y} with {clinician}",
        "",
        f"Why you came in: {reason(visit)}",
        "",
        "What to do next:",
        *advice_lines(chart, visit, events),
        "",
        NEXT_VISIT[visit.kind],
        f"Questions? Send a message through the portal or call {chart.clinic_name}. "
        "In an emergency, call 911.",
    ]
    return "\n".join(lines) + "\n"
