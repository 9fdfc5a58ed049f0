"""Allergies and intolerances. About half of patients have none, and then the record has no
AllergyIntolerance at all (the portal says so plainly, rather than showing an empty list)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.demo.clinical.datatypes import RXNORM, SNOMED, Json, at, concept, status
from carebridge.demo.clinical.profile import DAY, Profile, random_day

if TYPE_CHECKING:
    from carebridge.demo.clinical.chart import Chart

CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
HIVES = ("126485001", "Urticaria", "Hives")
RASH = ("271807003", "Eruption of skin", "Rash")
ANAPHYLAXIS = ("39579001", "Anaphylaxis", "Anaphylaxis (severe allergic reaction)")
NAUSEA = ("422587007", "Nausea", "Nausea")
SNEEZING = ("76067001", "Sneezing", "Sneezing and runny nose")
WHEEZING = ("56018004", "Wheezing", "Wheezing")
SWELLING = ("41291007", "Angioedema", "Swelling of the lips and face")


@dataclass(frozen=True)
class Allergen:
    key: str
    system: str
    code: str
    display: str
    name: str
    category: str
    kind: str
    criticality: str
    reaction: tuple[str, str, str]
    severity: str
    youngest: int = 0


ALLERGENS = (
    Allergen(
        "penicillin",
        RXNORM,
        "70618",
        "penicillin",
        "Penicillin",
        "medication",
        "allergy",
        "high",
        HIVES,
        "moderate",
    ),
    Allergen(
        "sulfa",
        RXNORM,
        "10180",
        "sulfamethoxazole",
        "Sulfa antibiotics (sulfamethoxazole)",
        "medication",
        "allergy",
        "low",
        RASH,
        "mild",
        youngest=5,
    ),
    Allergen(
        "codeine",
        RXNORM,
        "2670",
        "codeine",
        "Codeine",
        "medication",
        "intolerance",
        "low",
        NAUSEA,
        "mild",
        youngest=18,
    ),
    Allergen(
        "peanut",
        SNOMED,
        "762952008",
        "Peanut (substance)",
        "Peanuts",
        "food",
        "allergy",
        "high",
        SWELLING,
        "severe",
        youngest=1,
    ),
    Allergen(
        "egg",
        SNOMED,
        "102263004",
        "Eggs (edible) (substance)",
        "Eggs",
        "food",
        "allergy",
        "low",
        RASH,
        "mild",
        youngest=1,
    ),
    Allergen(
        "latex",
        SNOMED,
        "111088007",
        "Latex (substance)",
        "Latex",
        "environment",
        "allergy",
        "low",
        HIVES,
        "mild",
        youngest=18,
    ),
    Allergen(
        "bee-venom",
        SNOMED,
        "288328004",
        "Bee venom (substance)",
        "Bee stings",
        "environment",
        "allergy",
        "high",
        ANAPHYLAXIS,
        "severe",
        youngest=4,
    ),
    Allergen(
        "grass-pollen",
        SNOMED,
        "256277009",
        "Grass pollen (substance)",
        "Grass pollen",
        "environment",
        "allergy",
        "low",
        SNEEZING,
        "mild",
        youngest=3,
    ),
    Allergen(
        "dust-mite",
        SNOMED,
        "260147004",
        "House dust mite (organism)",
        "Dust mites",
        "environment",
        "allergy",
        "low",
        WHEEZING,
        "moderate",
        youngest=3,
    ),
)
# A child's egg allergy is usually outgrown.
OUTGROWN_BY_AGE = {"egg": 8}


def draw_allergens(rng: random.Random, profile: Profile) -> list[Allergen]:
    """None for about half of patients; otherwise one, sometimes two."""
    if rng.random() < 0.5:
        return []
    age = profile.age_on(profile.today)
    possible = [allergen for allergen in ALLERGENS if allergen.youngest <= age]
    count = 2 if rng.random() < 0.3 else 1
    return rng.sample(possible, min(count, len(possible)))


def allergy_body(chart: Chart, allergen: Allergen) -> Json:
    profile, rng = chart.profile, chart.rng
    recorded = random_day(rng, profile.start, profile.today - 7 * DAY)
    outgrown = profile.age_on(profile.today) >= OUTGROWN_BY_AGE.get(allergen.key, 200)
    return {
        "clinicalStatus": status(CLINICAL, "resolved" if outgrown else "active"),
        "verificationStatus": status(VERIFICATION, "confirmed"),
        "type": allergen.kind,
        "category": [allergen.category],
        "criticality": allergen.criticality,
        "code": concept(allergen.system, allergen.code, allergen.display, allergen.name),
        "patient": chart.subject(),
        "recordedDate": at(recorded, rng.randrange(9 * 60, 17 * 60, 5)),
        "recorder": chart.primary.reference(),
        "reaction": [
            {
                "manifestation": [concept(SNOMED, *allergen.reaction)],
                "severity": allergen.severity,
            }
        ],
    }


def add_allergies(chart: Chart, allergens: list[Allergen]) -> None:
    for allergen in allergens:
        chart.builder.add("AllergyIntolerance", allergen.key, allergy_body(chart, allergen))
