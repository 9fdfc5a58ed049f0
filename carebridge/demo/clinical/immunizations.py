"""Immunizations (CVX codes): the childhood schedule at well-child visits, then flu shots and the
adult vaccines due by age. Doses from before the record began are marked as taken from an
earlier record (primarySource false), as a clinic's copy of a registry history would be."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import CVX, Json, at, coding, concept, quantity, reference
from carebridge.demo.clinical.profile import DAY, Profile, random_day
from carebridge.demo.clinical.visits import Visit, VisitKind, add_months

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart

ROUTES = {
    "IM": "Injection, intramuscular",
    "SQ": "Injection, subcutaneous",
    "PO": "Swallow, oral",
}
SITES = {"LA": "left arm", "RA": "right arm", "LT": "left thigh", "RT": "right thigh"}
# Patients this young or younger have their childhood vaccines in the record.
CHILDHOOD_HISTORY_UNTIL = 25


@dataclass(frozen=True)
class Vaccine:
    key: str
    cvx: str
    display: str
    name: str
    # Ages in months at which the doses of the childhood series are due.
    months: tuple[int, ...] = ()
    route: str = "IM"
    millilitres: float = 0.5


CHILDHOOD = (
    Vaccine("hep-b", "08", "Hep B, adolescent or pediatric", "Hepatitis B vaccine", (0, 1, 6)),
    Vaccine(
        "rotavirus",
        "116",
        "rotavirus, pentavalent",
        "Rotavirus vaccine (by mouth)",
        (2, 4, 6),
        route="PO",
        millilitres=2,
    ),
    Vaccine("dtap", "20", "DTaP", "DTaP (diphtheria, tetanus, whooping cough)", (2, 4, 6, 15, 48)),
    Vaccine("hib", "49", "Hib (PRP-OMP)", "Hib vaccine", (2, 4, 12)),
    Vaccine(
        "pcv13",
        "133",
        "Pneumococcal conjugate PCV 13",
        "Pneumococcal vaccine (PCV13)",
        (2, 4, 6, 12),
    ),
    Vaccine("ipv", "10", "IPV", "Polio vaccine (IPV)", (2, 4, 6, 48)),
    Vaccine("mmr", "03", "MMR", "MMR (measles, mumps, rubella)", (12, 48), route="SQ"),
    Vaccine("varicella", "21", "varicella", "Chickenpox vaccine (varicella)", (12, 48), route="SQ"),
    Vaccine("hep-a", "83", "Hep A, ped/adol, 2 dose", "Hepatitis A vaccine", (12, 18)),
    Vaccine("tdap", "115", "Tdap", "Tdap (tetanus, diphtheria, whooping cough)", (132,)),
    Vaccine("menacwy", "114", "meningococcal MCV4P", "Meningococcal vaccine (MenACWY)", (132, 192)),
    Vaccine("hpv", "165", "HPV9", "HPV vaccine", (132, 138)),
)
FLU_QUADRIVALENT = Vaccine(
    "flu", "150", "Influenza, injectable, quadrivalent, preservative free", "Flu vaccine"
)
FLU_TRIVALENT = Vaccine(
    "flu", "140", "Influenza, seasonal, injectable, preservative free", "Flu vaccine"
)
COVID = Vaccine(
    "covid-19",
    "208",
    "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose",
    "COVID-19 vaccine",
    millilitres=0.3,
)
ADULT_TDAP = CHILDHOOD[9]
SHINGLES = Vaccine("zoster", "187", "zoster recombinant", "Shingles vaccine (Shingrix)")
PCV20 = Vaccine(
    "pcv20",
    "216",
    "Pneumococcal conjugate PCV20, polysaccharide CRM197, preservative free",
    "Pneumococcal vaccine (PCV20)",
)


@dataclass(frozen=True)
class Dose:
    vaccine: Vaccine
    number: int
    day: datetime.date
    visit: Visit | None
    historical: bool = False

    @property
    def key(self) -> str:
        return f"{self.vaccine.key}/{self.number}"


def childhood_doses(profile: Profile, visits: list[Visit]) -> list[Dose]:
    if profile.age_on(profile.today) > CHILDHOOD_HISTORY_UNTIL:
        return []
    well = {v.month: v for v in visits if v.kind == VisitKind.WELL_CHILD}
    due_by = profile.today - 7 * DAY
    doses = []
    for vaccine in CHILDHOOD:
        for number, month in enumerate(vaccine.months, start=1):
            day = profile.birth_date + DAY if month == 0 else add_months(profile.birth_date, month)
            visit = well.get(month)
            if visit is not None:
                doses.append(Dose(vaccine, number, visit.day, visit))
            elif day <= due_by:
                doses.append(Dose(vaccine, number, day, None, historical=day < profile.start))
    return doses


def flu_doses(rng: random.Random, profile: Profile, visits: list[Visit]) -> list[Dose]:
    doses = []
    for season in range(profile.start.year, profile.today.year + 1):
        first, last = datetime.date(season, 9, 15), datetime.date(season, 12, 15)
        if first < profile.start or last > profile.today or profile.years_old(first) < 0.5:
            continue
        age = profile.age_on(first)
        if rng.random() < (0.55 if age < 18 else 0.6 if age < 50 else 0.8):
            # Not at a sick visit: a flu shot waits until the patient is well.
            well = (v for v in visits if first <= v.day <= last and v.kind != VisitKind.SICK)
            visit = next(well, None)
            day = visit.day if visit else random_day(rng, first, last)
            vaccine = FLU_QUADRIVALENT if season <= 2023 else FLU_TRIVALENT
            doses.append(Dose(vaccine, season, day, visit))
    return doses


def covid_doses(rng: random.Random, profile: Profile) -> list[Dose]:
    first = datetime.date(2021, 4, 12) + rng.randint(0, 40) * DAY
    in_record = profile.start <= first and first + 30 * DAY < profile.today
    if not in_record or profile.age_on(first) < 12 or rng.random() > 0.75:
        return []
    return [Dose(COVID, 1, first, None), Dose(COVID, 2, first + 21 * DAY, None)]


def adult_doses(rng: random.Random, profile: Profile, visits: list[Visit]) -> list[Dose]:
    """Vaccines given at adult check-ups: a Tdap booster, shingles from 50, pneumococcal
    from 65."""
    checkups = [v for v in visits if v.kind == VisitKind.CHECKUP]
    doses: list[Dose] = []
    if checkups and rng.random() < 0.6:
        visit = rng.choice(checkups)
        doses.append(Dose(ADULT_TDAP, 2, visit.day, visit))
    fifty = [v for v in checkups if profile.age_on(v.day) >= 50]
    if fifty and rng.random() < 0.5:
        second = fifty[0].day + rng.randint(60, 180) * DAY
        doses.append(Dose(SHINGLES, 1, fifty[0].day, fifty[0]))
        doses += [Dose(SHINGLES, 2, second, None)] if second < profile.today else []
    sixty_five = [v for v in checkups if profile.age_on(v.day) >= 65 and v.day.year >= 2022]
    if sixty_five and rng.random() < 0.8:
        doses.append(Dose(PCV20, 1, sixty_five[0].day, sixty_five[0]))
    return doses


def plan_immunizations(rng: random.Random, profile: Profile, visits: list[Visit]) -> list[Dose]:
    doses = childhood_doses(profile, visits) + flu_doses(rng, profile, visits)
    doses += covid_doses(rng, profile) + adult_doses(rng, profile, visits)
    return sorted(doses, key=lambda dose: (dose.day, dose.key))


def lot_number(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(1000, 9999)}"


def administration(dose: Dose, profile: Profile, right_side: bool) -> Json:
    vaccine = dose.vaccine
    route = vaccine.route
    details: Json = {
        "route": concept(
            "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", route, ROUTES[route]
        ),
        "doseQuantity": quantity(vaccine.millilitres, "mL", "mL"),
    }
    if route != "PO":
        limb = "T" if profile.years_old(dose.day) < 3 else "A"
        site = ("R" if right_side else "L") + limb
        details["site"] = concept(
            "http://terminology.hl7.org/CodeSystem/v3-ActSite", site, SITES[site]
        )
    return details


def immunization_body(chart: Chart, dose: Dose) -> Json:
    minute = dose.visit.minute + 35 if dose.visit else chart.rng.randrange(9 * 60, 17 * 60, 10)
    body: Json = {
        "status": "completed",
        "vaccineCode": {
            "coding": [coding(CVX, dose.vaccine.cvx, dose.vaccine.display)],
            "text": dose.vaccine.name,
        },
        "patient": chart.subject(),
        "occurrenceDateTime": at(dose.day, minute),
        "primarySource": not dose.historical,
        "lotNumber": lot_number(chart.rng),
        **administration(dose, chart.profile, chart.rng.random() < 0.5),
    }
    if dose.vaccine.months:
        body["protocolApplied"] = [{"doseNumberPositiveInt": dose.number}]
    if dose.historical:
        body["reportOrigin"] = concept(
            "http://terminology.hl7.org/CodeSystem/immunization-origin", "record", "Written Record"
        )
        return body
    clinician = chart.clinicians[dose.visit.clinician if dose.visit else 0]
    body["recorded"] = at(dose.day, minute + 5)
    body["performer"] = [
        {
            "function": concept(
                "http://terminology.hl7.org/CodeSystem/v2-0443", "AP", "Administering Provider"
            ),
            "actor": clinician.reference(),
        }
    ]
    if dose.visit:
        body["encounter"] = reference(chart.builder.urn("Encounter", dose.visit.key))
    return body


def add_immunizations(chart: Chart, doses: list[Dose]) -> None:
    for dose in doses:
        chart.builder.add("Immunization", dose.key, immunization_body(chart, dose))
