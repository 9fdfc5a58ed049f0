"""The problems a demo patient can have: long-term conditions and short illnesses.

Codes are SNOMED CT (with the ICD-10-CM code a US clinic would bill alongside). `name` is the
wording patients read; the note and instruction texts are written for this generator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    key: str
    snomed: str
    display: str
    icd10: str
    name: str
    # What the clinician writes at a visit for this problem, and what the patient is told.
    assessment: str
    advice: str
    chronic: bool = True
    youngest: int = 0
    oldest: int = 120
    # (from this age, chance of having the condition by then), for long-term conditions.
    chances: tuple[tuple[int, float], ...] = ()
    female_factor: float = 1.0
    male_factor: float = 1.0
    # Other conditions that double the chance of this one.
    risk_with: tuple[str, ...] = ()
    # The chance that a long-term condition has since resolved (after one to four years).
    resolves: float = 0.0
    # Short illnesses only: what brought the patient in, and how long it lasts.
    complaint: str = ""
    fever: bool = False
    days: tuple[int, int] = (7, 14)
    weight: float = 1.0

    def chance(self, age: int, sex: str, existing: set[str]) -> float:
        chance = 0.0
        for from_age, value in self.chances:
            if age >= from_age:
                chance = value
        chance *= self.female_factor if sex == "female" else self.male_factor
        if any(key in existing for key in self.risk_with):
            chance *= 2
        return min(chance, 0.9)


HYPERTENSION = "hypertension"
DIABETES = "diabetes"
PREDIABETES = "prediabetes"
HYPERLIPIDEMIA = "hyperlipidemia"
HYPOTHYROIDISM = "hypothyroidism"
CKD = "ckd"
AFIB = "afib"
ASTHMA = "asthma"
OBESITY = "obesity"
VITAMIN_D = "vitamin-d-deficiency"

CHRONIC_PROBLEMS = (
    Problem(
        HYPERTENSION,
        "38341003",
        "Hypertensive disorder, systemic arterial",
        "I10",
        "High blood pressure (hypertension)",
        assessment="Blood pressure reviewed against the goal of below 130/80.",
        advice="Keep taking your blood pressure medicine every day, limit salt, and check your "
        "blood pressure at home a few times a week.",
        youngest=25,
        chances=((25, 0.05), (35, 0.12), (45, 0.3), (55, 0.45), (65, 0.6), (75, 0.7)),
    ),
    Problem(
        DIABETES,
        "44054006",
        "Diabetes mellitus type 2",
        "E11.9",
        "Type 2 diabetes",
        assessment="Diabetes reviewed: diet, activity and medicine use discussed; HbA1c goal "
        "below 7 %.",
        advice="Take metformin with food. Aim for 30 minutes of walking on most days and keep "
        "sweet drinks to a minimum. Check your feet every day for sores.",
        youngest=30,
        chances=((30, 0.04), (45, 0.12), (55, 0.2), (65, 0.27)),
    ),
    Problem(
        PREDIABETES,
        "714628002",
        "Prediabetes",
        "R73.03",
        "Prediabetes",
        assessment="Blood sugar above normal but below the diabetes range; lifestyle changes "
        "discussed.",
        advice="Small changes help most: more walking, fewer sweet drinks, and smaller portions "
        "of bread, rice and pasta.",
        youngest=30,
        chances=((30, 0.08), (45, 0.14)),
    ),
    Problem(
        HYPERLIPIDEMIA,
        "55822004",
        "Hyperlipidemia",
        "E78.5",
        "High cholesterol (hyperlipidemia)",
        assessment="Cholesterol reviewed; statin continued for heart and stroke protection.",
        advice="Take your cholesterol medicine at the same time every day. Choose more "
        "vegetables, beans, fish and whole grains.",
        youngest=30,
        chances=((30, 0.1), (45, 0.28), (60, 0.42)),
    ),
    Problem(
        HYPOTHYROIDISM,
        "40930008",
        "Hypothyroidism",
        "E03.9",
        "Underactive thyroid (hypothyroidism)",
        assessment="Hypothyroidism on levothyroxine; dose checked against TSH.",
        advice="Take levothyroxine every morning on an empty stomach, 30 minutes before "
        "breakfast, and not at the same time as calcium or iron.",
        youngest=25,
        chances=((25, 0.03), (45, 0.06), (65, 0.09)),
        female_factor=2.5,
    ),
    Problem(
        "osteoarthritis",
        "239873007",
        "Osteoarthritis of knee",
        "M17.9",
        "Knee osteoarthritis",
        assessment="Knee pain from osteoarthritis, stable; walking tolerance reviewed.",
        advice="Keep moving: gentle walking, cycling or swimming help the knee. Use "
        "acetaminophen when the pain flares.",
        youngest=50,
        chances=((50, 0.12), (65, 0.3), (75, 0.4)),
    ),
    Problem(
        "gerd",
        "235595009",
        "Gastroesophageal reflux disease",
        "K21.9",
        "Acid reflux (GERD)",
        assessment="Reflux symptoms controlled on omeprazole.",
        advice="Avoid large meals late in the evening and raise the head of your bed if "
        "heartburn wakes you.",
        youngest=20,
        chances=((20, 0.06), (40, 0.12)),
        resolves=0.3,
    ),
    Problem(
        "depression",
        "35489007",
        "Depressive disorder",
        "F32.A",
        "Depression",
        assessment="Mood reviewed; depression screening questionnaire repeated.",
        advice="Keep taking sertraline every day even when you feel better. Call us or the "
        "988 lifeline any time you feel unsafe.",
        youngest=16,
        chances=((16, 0.06), (30, 0.08)),
        female_factor=1.5,
        resolves=0.35,
    ),
    Problem(
        "anxiety",
        "197480006",
        "Anxiety disorder",
        "F41.9",
        "Anxiety",
        assessment="Anxiety symptoms reviewed; coping strategies discussed.",
        advice="Regular sleep, exercise and less caffeine make anxiety easier to manage.",
        youngest=14,
        chances=((14, 0.06),),
        female_factor=1.4,
        resolves=0.35,
    ),
    Problem(
        CKD,
        "433144002",
        "Chronic kidney disease stage 3",
        "N18.30",
        "Chronic kidney disease, stage 3",
        assessment="Kidney function followed with eGFR; medicines checked for kidney safety.",
        advice="Avoid ibuprofen and naproxen, which can harm the kidneys. Acetaminophen is "
        "safer for pain.",
        youngest=60,
        chances=((60, 0.05), (75, 0.12)),
        risk_with=(HYPERTENSION, DIABETES),
    ),
    Problem(
        AFIB,
        "49436004",
        "Atrial fibrillation",
        "I48.91",
        "Irregular heartbeat (atrial fibrillation)",
        assessment="Atrial fibrillation, rate controlled; stroke prevention with apixaban.",
        advice="Take apixaban twice a day without missing doses. Call 911 for sudden weakness, "
        "trouble speaking or a drooping face.",
        youngest=65,
        chances=((65, 0.05), (75, 0.12)),
    ),
    Problem(
        ASTHMA,
        "195967001",
        "Asthma",
        "J45.909",
        "Asthma",
        assessment="Asthma reviewed: daytime symptoms and rescue inhaler use asked about.",
        advice="Carry your rescue inhaler at all times. If you need it more than twice a week, "
        "call us.",
        youngest=2,
        chances=((2, 0.08), (12, 0.09)),
    ),
    Problem(
        "allergic-rhinitis",
        "61582004",
        "Allergic rhinitis",
        "J30.9",
        "Seasonal allergies (allergic rhinitis)",
        assessment="Seasonal allergy symptoms controlled with an antihistamine.",
        advice="Start your allergy medicine a week or two before pollen season.",
        youngest=3,
        chances=((3, 0.1), (12, 0.14)),
    ),
    Problem(
        "eczema",
        "24079001",
        "Atopic dermatitis",
        "L20.9",
        "Eczema (atopic dermatitis)",
        assessment="Eczema flares treated with a mild steroid cream.",
        advice="Use a fragrance-free moisturiser twice a day and lukewarm, short baths.",
        chances=((0, 0.1), (12, 0.05)),
        oldest=40,
        resolves=0.5,
    ),
    Problem(
        OBESITY,
        "414916001",
        "Obesity",
        "E66.9",
        "Obesity",
        assessment="Weight and BMI reviewed; nutrition and activity goals set together.",
        advice="Aim to lose 5 to 10 percent of your weight over a year: it lowers blood pressure "
        "and blood sugar.",
        youngest=18,
    ),
    Problem(
        VITAMIN_D,
        "34713006",
        "Vitamin D deficiency",
        "E55.9",
        "Low vitamin D",
        assessment="Vitamin D deficiency on replacement.",
        advice="Take vitamin D3 once a day with a meal.",
        youngest=18,
        chances=((18, 0.06), (65, 0.1)),
        resolves=1.0,
    ),
    Problem(
        "osteoporosis",
        "64859006",
        "Osteoporosis",
        "M81.0",
        "Thin bones (osteoporosis)",
        assessment="Osteoporosis on weekly alendronate; fall risk reviewed.",
        advice="Take alendronate first thing on the set day with a full glass of water and stay "
        "upright for 30 minutes.",
        youngest=60,
        chances=((60, 0.08), (75, 0.2)),
        male_factor=0.2,
    ),
    Problem(
        "migraine",
        "37796009",
        "Migraine",
        "G43.909",
        "Migraine",
        assessment="Migraines reviewed: frequency and triggers discussed.",
        advice="Take sumatriptan at the start of a migraine. Keep a headache diary.",
        youngest=12,
        chances=((12, 0.05),),
        female_factor=2.0,
        resolves=0.2,
    ),
)
PROBLEMS_BY_KEY = {problem.key: problem for problem in CHRONIC_PROBLEMS}
