"""What a test measures, in plain words, for the commonest tests (by LOINC code).

Each note is one or two calm sentences a patient can read without a dictionary. They explain
what the test looks at, not what a patient's own result means: that is for their clinician.
For a LOINC code without a note here, the page links to MedlinePlus Connect, the US National
Library of Medicine's service that finds plain-language pages by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LOINC = "http://loinc.org"
# MedlinePlus Connect identifies LOINC by its HL7 OID.
LOINC_OID = "2.16.840.1.113883.6.1"
MEDLINEPLUS_CONNECT = "https://connect.medlineplus.gov/application"

_A1C = _(
    "Shows the average blood sugar over the last two to three months. It is used to find "
    "and follow diabetes."
)
_GLUCOSE = _(
    "Measures the amount of sugar in your blood when the sample was taken. Your body uses "
    "this sugar for energy."
)
_HEMATOCRIT = _("Shows how much of your blood is made up of red blood cells.")
_WHITE_CELLS = _(
    "Counts the white blood cells, which fight infections. The number can go up with an "
    "infection or inflammation."
)
_PLATELETS = _("Counts the platelets, the small cells that help your blood clot.")
_EGFR = _(
    "Estimates how well your kidneys filter waste from your blood. It is worked out from "
    "your creatinine level, age and sex."
)
_LDL = _(
    "Measures LDL cholesterol, sometimes called “bad” cholesterol, which can build up in "
    "the blood vessels."
)
_VITAMIN_D = _("Measures vitamin D, which helps keep your bones and muscles strong.")
_OXYGEN = _("Shows how much oxygen your red blood cells are carrying, as a percentage.")
_WEIGHT = _("Your body weight.")
_BLOOD_PRESSURE = _(
    "The pressure of blood in your arteries: the first number as your heart beats, the "
    "second as it rests between beats."
)

NOTES: dict[str, Promise] = {
    # Diabetes
    "4548-4": _A1C,
    "17856-6": _A1C,
    "2345-7": _GLUCOSE,
    "2339-0": _GLUCOSE,
    # Complete blood count
    "718-7": _(
        "Measures hemoglobin, the protein in red blood cells that carries oxygen around your body."
    ),
    "4544-3": _HEMATOCRIT,
    "20570-8": _HEMATOCRIT,
    "6690-2": _WHITE_CELLS,
    "26464-8": _WHITE_CELLS,
    "789-8": _("Counts the red blood cells, which carry oxygen around your body."),
    "777-3": _PLATELETS,
    "26515-7": _PLATELETS,
    "787-2": _("Shows the average size of your red blood cells (mean corpuscular volume)."),
    "785-6": _("Shows the average amount of hemoglobin in each red blood cell."),
    "786-4": _("Shows how concentrated the hemoglobin is inside your red blood cells."),
    "21000-5": _("Shows how much your red blood cells vary in size."),
    # Metabolic panel
    "2951-2": _(
        "Measures sodium, a salt that helps balance the water in your body and keeps nerves "
        "and muscles working."
    ),
    "2823-3": _("Measures potassium, a mineral your heart and muscles need to work properly."),
    "2075-0": _("Measures chloride, a salt that helps keep your body's fluids in balance."),
    "2028-9": _(
        "Measures carbon dioxide (bicarbonate), which helps keep the acid in your blood in balance."
    ),
    "3094-0": _(
        "Measures urea nitrogen, a waste product your kidneys remove. It helps show how well "
        "your kidneys work."
    ),
    "2160-0": _(
        "Measures creatinine, a waste product from your muscles that your kidneys filter "
        "out. It helps show how well your kidneys work."
    ),
    "17861-6": _("Measures calcium, which your bones, nerves, heart and muscles need."),
    "33914-3": _EGFR,
    "62238-1": _EGFR,
    "98979-8": _EGFR,
    "48642-3": _EGFR,
    "48643-1": _EGFR,
    "2885-2": _("Measures all the protein in your blood, which includes albumin."),
    "1751-7": _(
        "Measures albumin, a protein made by your liver that keeps fluid in your blood vessels."
    ),
    "1975-2": _(
        "Measures bilirubin, a yellow substance made when old red blood cells are broken down."
        " Your liver clears it."
    ),
    "6768-6": _("Measures alkaline phosphatase, an enzyme found mostly in the liver and bones."),
    "1742-6": _("Measures ALT, an enzyme found mostly in the liver. It helps check your liver."),
    "1920-8": _(
        "Measures AST, an enzyme found in the liver, heart and muscles. It helps check your liver."
    ),
    # Cholesterol
    "2093-3": _("Measures all the cholesterol in your blood."),
    "2571-8": _("Measures triglycerides, a kind of fat in your blood that your body stores."),
    "2085-9": _(
        "Measures HDL cholesterol, sometimes called “good” cholesterol, which helps clear "
        "other cholesterol from your blood."
    ),
    "18262-6": _LDL,
    "13457-7": _LDL,
    # Thyroid, vitamins, prostate, clotting, inflammation
    "3016-3": _(
        "Measures TSH, a hormone that tells your thyroid gland how much thyroid hormone to make."
    ),
    "3024-7": _("Measures free T4, the main hormone your thyroid gland makes."),
    "1989-3": _VITAMIN_D,
    "62292-8": _VITAMIN_D,
    "2132-9": _("Measures vitamin B12, which your body needs for healthy blood and nerves."),
    "2276-4": _("Measures ferritin, which shows how much iron your body has stored."),
    "2857-1": _(
        "Measures PSA, a protein made by the prostate gland. It is used to check the prostate."
    ),
    "6301-6": _(
        "Shows how long your blood takes to clot (INR). It is often used to check "
        "blood-thinning medicine such as warfarin."
    ),
    "5902-2": _("Measures how many seconds your blood takes to clot (prothrombin time)."),
    "1988-5": _("Measures C-reactive protein, which rises when there is inflammation."),
    # Urine
    "5811-5": _("Shows how concentrated your urine is."),
    "5803-2": _("Shows how acid or alkaline your urine is."),
    "5804-0": _("Checks for protein in your urine, which can be a sign of kidney trouble."),
    "20454-5": _("Checks for protein in your urine, which can be a sign of kidney trouble."),
    "5792-7": _("Checks for sugar in your urine."),
    "5794-3": _("Checks for traces of blood in your urine."),
    "5799-2": _("Checks for a substance made by white blood cells, a possible sign of infection."),
    "5802-4": _("Checks for nitrite, a possible sign of a bladder infection."),
    "14959-1": _(
        "Compares albumin with creatinine in your urine. It can show early kidney damage."
    ),
    # Vital signs
    "85354-9": _BLOOD_PRESSURE,
    "55284-4": _BLOOD_PRESSURE,
    "8480-6": _(
        "The higher number in a blood pressure: the pressure in your arteries as your heart beats."
    ),
    "8462-4": _(
        "The lower number in a blood pressure: the pressure in your arteries as your heart "
        "rests between beats."
    ),
    "8867-4": _("How many times your heart beats in a minute."),
    "9279-1": _("How many breaths you take in a minute."),
    "8310-5": _("Your body temperature."),
    "29463-7": _WEIGHT,
    "3141-9": _WEIGHT,
    "8302-2": _("Your height."),
    "39156-5": _(
        "Body mass index (BMI) compares your weight with your height. It is a rough guide to "
        "whether your weight is healthy for your height."
    ),
    "2708-6": _OXYGEN,
    "59408-5": _OXYGEN,
}


@dataclass(frozen=True)
class LabNote:
    """What to tell the reader about a test: our own words, a link, or neither."""

    text: str = ""
    link: str = ""


def note_for(code_system: str, code: str) -> LabNote:
    """Our note for a LOINC code; else a MedlinePlus Connect link; else nothing."""
    if code_system != LOINC or not code:
        return LabNote()
    known = NOTES.get(code)
    if known is not None:
        return LabNote(text=str(known))
    return LabNote(link=medlineplus_link(code))


def medlineplus_link(loinc_code: str) -> str:
    """MedlinePlus Connect's page for the code, in the reader's language where MedlinePlus
    has one (English and Spanish)."""
    language = "es" if translation.get_language() == "es" else "en"
    query = {
        "mainSearchCriteria.v.cs": LOINC_OID,
        "mainSearchCriteria.v.c": loinc_code,
        "informationRecipient.languageCode.c": language,
    }
    return f"{MEDLINEPLUS_CONNECT}?{urlencode(query)}"
