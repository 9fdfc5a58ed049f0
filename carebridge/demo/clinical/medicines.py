"""The medicines demo patients are prescribed, coded in RxNorm.

Where the exact product's code (an RxNorm clinical drug) is well known it is used; otherwise the
ingredient's code stands with the product written out in the text, which FHIR allows.
"""

from __future__ import annotations

from dataclasses import dataclass

ORAL = ("26643006", "Oral route")
INHALED = ("447694001", "Respiratory tract route")
TOPICAL = ("6064005", "Topical route")


@dataclass(frozen=True)
class Medicine:
    key: str
    rxnorm: str
    display: str
    # The product as a patient reads it, and the directions on the label.
    text: str
    directions: str
    dose: float = 1
    # Dose unit: what people read, and its UCUM code.
    dose_unit: tuple[str, str] = ("tablet", "{tablet}")
    # How many doses per period; a period unit is a UCUM time unit (d, wk, h).
    frequency: int = 1
    period: float = 1
    period_unit: str = "d"
    as_needed: bool = False
    route: tuple[str, str] = ORAL
    # For short courses, how many days they last.
    days: int | None = None


CAPSULE = ("capsule", "{capsule}")
PUFF = ("puff", "{puff}")
MILLILITRE = ("mL", "mL")
APPLICATION = ("application", "{application}")

MEDICINES = (
    Medicine(
        "lisinopril",
        "314076",
        "lisinopril 10 MG Oral Tablet",
        "Lisinopril 10 mg tablet",
        "Take 1 tablet by mouth once a day.",
    ),
    Medicine(
        "amlodipine",
        "197361",
        "amlodipine 5 MG Oral Tablet",
        "Amlodipine 5 mg tablet",
        "Take 1 tablet by mouth once a day.",
    ),
    Medicine(
        "metformin",
        "860975",
        "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet",
        "Metformin ER 500 mg tablet",
        "Take 1 tablet by mouth once a day with supper.",
    ),
    Medicine(
        "metformin-two-tablets",
        "860975",
        "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet",
        "Metformin ER 500 mg tablet",
        "Take 2 tablets by mouth once a day with supper.",
        dose=2,
    ),
    Medicine(
        "atorvastatin-20",
        "617310",
        "atorvastatin 20 MG Oral Tablet",
        "Atorvastatin 20 mg tablet",
        "Take 1 tablet by mouth once a day in the evening.",
    ),
    Medicine(
        "atorvastatin-40",
        "617311",
        "atorvastatin 40 MG Oral Tablet",
        "Atorvastatin 40 mg tablet",
        "Take 1 tablet by mouth once a day in the evening.",
    ),
    Medicine(
        "levothyroxine",
        "10582",
        "levothyroxine",
        "Levothyroxine 50 mcg tablet",
        "Take 1 tablet by mouth every morning on an empty stomach.",
    ),
    Medicine(
        "acetaminophen",
        "313782",
        "acetaminophen 325 MG Oral Tablet",
        "Acetaminophen 325 mg tablet",
        "Take 2 tablets by mouth every 6 hours as needed for pain. No more than 3,000 mg a day.",
        dose=2,
        frequency=1,
        period=6,
        period_unit="h",
        as_needed=True,
    ),
    Medicine(
        "omeprazole",
        "7646",
        "omeprazole",
        "Omeprazole 20 mg delayed-release capsule",
        "Take 1 capsule by mouth once a day, 30 minutes before breakfast.",
        dose_unit=CAPSULE,
    ),
    Medicine(
        "sertraline",
        "36437",
        "sertraline",
        "Sertraline 50 mg tablet",
        "Take 1 tablet by mouth once a day.",
    ),
    Medicine(
        "escitalopram",
        "321988",
        "escitalopram",
        "Escitalopram 10 mg tablet",
        "Take 1 tablet by mouth once a day.",
    ),
    Medicine(
        "apixaban",
        "1364430",
        "apixaban",
        "Apixaban 5 mg tablet",
        "Take 1 tablet by mouth twice a day.",
        frequency=2,
    ),
    Medicine(
        "metoprolol",
        "6918",
        "metoprolol",
        "Metoprolol succinate ER 25 mg tablet",
        "Take 1 tablet by mouth once a day.",
    ),
    Medicine(
        "albuterol",
        "745679",
        "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler",
        "Albuterol inhaler (90 mcg per puff)",
        "Inhale 2 puffs every 4 to 6 hours as needed for wheezing or shortness of breath.",
        dose=2,
        dose_unit=PUFF,
        period=4,
        period_unit="h",
        as_needed=True,
        route=INHALED,
    ),
    Medicine(
        "fluticasone",
        "895994",
        "120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler",
        "Fluticasone inhaler (44 mcg per puff)",
        "Inhale 2 puffs twice a day. Rinse your mouth after each use.",
        dose=2,
        dose_unit=PUFF,
        frequency=2,
        route=INHALED,
    ),
    Medicine(
        "cetirizine-10",
        "1014678",
        "cetirizine hydrochloride 10 MG Oral Tablet",
        "Cetirizine 10 mg tablet",
        "Take 1 tablet by mouth once a day during allergy season.",
    ),
    Medicine(
        "cetirizine-5",
        "1014676",
        "cetirizine hydrochloride 5 MG Oral Tablet",
        "Cetirizine 5 mg tablet",
        "Take 1 tablet by mouth once a day during allergy season.",
    ),
    Medicine(
        "hydrocortisone",
        "5492",
        "hydrocortisone",
        "Hydrocortisone 1% cream",
        "Apply a thin layer to the itchy patches twice a day for up to 7 days.",
        dose_unit=APPLICATION,
        frequency=2,
        route=TOPICAL,
    ),
    Medicine(
        "vitamin-d3",
        "2418",
        "cholecalciferol",
        "Vitamin D3 1,000 unit tablet",
        "Take 1 tablet by mouth once a day with a meal.",
    ),
    Medicine(
        "alendronate",
        "46041",
        "alendronate",
        "Alendronate 70 mg tablet",
        "Take 1 tablet once a week, first thing in the morning, with a full glass of water. "
        "Stay upright for 30 minutes.",
        period_unit="wk",
    ),
    Medicine(
        "sumatriptan",
        "37418",
        "sumatriptan",
        "Sumatriptan 50 mg tablet",
        "Take 1 tablet by mouth at the start of a migraine. May repeat once after 2 hours.",
        as_needed=True,
    ),
    Medicine(
        "amoxicillin-tablet",
        "308192",
        "amoxicillin 500 MG Oral Tablet",
        "Amoxicillin 500 mg tablet",
        "Take 1 tablet by mouth 3 times a day for 10 days.",
        frequency=3,
        days=10,
    ),
    Medicine(
        "amoxicillin-liquid",
        "723",
        "amoxicillin",
        "Amoxicillin 400 mg/5 mL oral suspension",
        "Give 5 mL by mouth twice a day for 10 days. Shake well. Keep in the fridge.",
        dose=5,
        dose_unit=MILLILITRE,
        frequency=2,
        days=10,
    ),
    Medicine(
        "azithromycin",
        "18631",
        "azithromycin",
        "Azithromycin 250 mg tablet",
        "Take 2 tablets on the first day, then 1 tablet a day for 4 more days.",
        days=5,
    ),
    Medicine(
        "nitrofurantoin",
        "7454",
        "nitrofurantoin",
        "Nitrofurantoin 100 mg capsule (macrocrystals)",
        "Take 1 capsule by mouth twice a day with food for 5 days.",
        dose_unit=CAPSULE,
        frequency=2,
        days=5,
    ),
    Medicine(
        "ibuprofen",
        "5640",
        "ibuprofen",
        "Ibuprofen 400 mg tablet",
        "Take 1 tablet by mouth every 6 to 8 hours as needed for pain, with food.",
        period=6,
        period_unit="h",
        as_needed=True,
        days=14,
    ),
)
MEDICINES_BY_KEY = {medicine.key: medicine for medicine in MEDICINES}
