"""The lab tests demo patients have, coded in LOINC with typical adult reference ranges.

A range given as "below 200" is stored as high 199 (and "40 or more" as low 40), since these
results are reported in whole numbers: every value on the high side of 199 is flagged high.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Analyte:
    loinc: str
    display: str
    # What the results page calls it.
    name: str
    unit: str
    ucum: str
    low: float | None
    high: float | None
    decimals: int = 0
    # Women's range, where it differs.
    female: tuple[float, float] | None = None
    # Beyond these a lab phones the clinic at once (flagged LL / HH).
    critical_low: float | None = None
    critical_high: float | None = None
    range_text: str = ""

    def limits(self, sex: str) -> tuple[float | None, float | None]:
        return self.female if sex == "female" and self.female else (self.low, self.high)

    def describe_range(self, sex: str) -> str:
        if self.range_text:
            return self.range_text
        low, high = self.limits(sex)
        return f"{low:.{self.decimals}f}-{high:.{self.decimals}f} {self.unit}"


@dataclass(frozen=True)
class Panel:
    key: str
    loinc: str
    display: str
    name: str
    analytes: tuple[Analyte, ...]


MG_DL, MMOL_L, G_DL, U_L = "mg/dL", "mmol/L", "g/dL", "U/L"
PER_UL_THOUSANDS = ("x10^3/uL", "10*3/uL")

WBC = Analyte(
    "6690-2",
    "Leukocytes [#/volume] in Blood by Automated count",
    "White blood cells",
    *PER_UL_THOUSANDS,
    4.0,
    11.0,
    decimals=1,
    critical_low=2.0,
    critical_high=30.0,
)
RBC = Analyte(
    "789-8",
    "Erythrocytes [#/volume] in Blood by Automated count",
    "Red blood cells",
    "x10^6/uL",
    "10*6/uL",
    4.5,
    5.9,
    decimals=2,
    female=(4.0, 5.2),
)
HEMOGLOBIN = Analyte(
    "718-7",
    "Hemoglobin [Mass/volume] in Blood",
    "Hemoglobin",
    G_DL,
    G_DL,
    13.5,
    17.5,
    decimals=1,
    female=(12.0, 15.5),
    critical_low=7.0,
    critical_high=20.0,
)
HEMATOCRIT = Analyte(
    "4544-3",
    "Hematocrit [Volume Fraction] of Blood by Automated count",
    "Hematocrit",
    "%",
    "%",
    41.0,
    53.0,
    decimals=1,
    female=(36.0, 46.0),
)
MCV = Analyte(
    "787-2", "MCV [Entitic volume] by Automated count", "Mean cell volume", "fL", "fL", 80, 100
)
PLATELETS = Analyte(
    "777-3",
    "Platelets [#/volume] in Blood by Automated count",
    "Platelets",
    *PER_UL_THOUSANDS,
    150,
    400,
    critical_low=50,
    critical_high=1000,
)

GLUCOSE = Analyte(
    "2345-7",
    "Glucose [Mass/volume] in Serum or Plasma",
    "Glucose",
    MG_DL,
    MG_DL,
    70,
    99,
    critical_low=50,
    critical_high=400,
)
BUN = Analyte(
    "3094-0",
    "Urea nitrogen [Mass/volume] in Serum or Plasma",
    "Urea nitrogen (BUN)",
    MG_DL,
    MG_DL,
    7,
    20,
)
CREATININE = Analyte(
    "2160-0",
    "Creatinine [Mass/volume] in Serum or Plasma",
    "Creatinine",
    MG_DL,
    MG_DL,
    0.74,
    1.35,
    decimals=2,
    female=(0.59, 1.04),
)
EGFR = Analyte(
    "33914-3",
    "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or "
    "Plasma by Creatinine-based formula (MDRD)",
    "Kidney function (eGFR)",
    "mL/min/1.73m2",
    "mL/min/{1.73_m2}",
    60,
    None,
    range_text=">=60 mL/min/1.73m2",
)
SODIUM = Analyte(
    "2951-2",
    "Sodium [Moles/volume] in Serum or Plasma",
    "Sodium",
    MMOL_L,
    MMOL_L,
    135,
    145,
    critical_low=120,
    critical_high=160,
)
POTASSIUM = Analyte(
    "2823-3",
    "Potassium [Moles/volume] in Serum or Plasma",
    "Potassium",
    MMOL_L,
    MMOL_L,
    3.5,
    5.1,
    decimals=1,
    critical_low=2.8,
    critical_high=6.2,
)
CHLORIDE = Analyte(
    "2075-0", "Chloride [Moles/volume] in Serum or Plasma", "Chloride", MMOL_L, MMOL_L, 98, 107
)
CARBON_DIOXIDE = Analyte(
    "2028-9",
    "Carbon dioxide, total [Moles/volume] in Serum or Plasma",
    "Carbon dioxide (bicarbonate)",
    MMOL_L,
    MMOL_L,
    22,
    29,
)
CALCIUM = Analyte(
    "17861-6",
    "Calcium [Mass/volume] in Serum or Plasma",
    "Calcium",
    MG_DL,
    MG_DL,
    8.6,
    10.3,
    decimals=1,
    critical_low=6.5,
    critical_high=13.0,
)
PROTEIN = Analyte(
    "2885-2",
    "Protein [Mass/volume] in Serum or Plasma",
    "Total protein",
    G_DL,
    G_DL,
    6.0,
    8.3,
    decimals=1,
)
ALBUMIN = Analyte(
    "1751-7",
    "Albumin [Mass/volume] in Serum or Plasma",
    "Albumin",
    G_DL,
    G_DL,
    3.5,
    5.0,
    decimals=1,
)
BILIRUBIN = Analyte(
    "1975-2",
    "Bilirubin.total [Mass/volume] in Serum or Plasma",
    "Total bilirubin",
    MG_DL,
    MG_DL,
    0.1,
    1.2,
    decimals=1,
)
ALK_PHOS = Analyte(
    "6768-6",
    "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma",
    "Alkaline phosphatase",
    U_L,
    U_L,
    44,
    147,
)
ALT = Analyte(
    "1742-6",
    "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
    "ALT (liver enzyme)",
    U_L,
    U_L,
    7,
    56,
)
AST = Analyte(
    "1920-8",
    "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
    "AST (liver enzyme)",
    U_L,
    U_L,
    10,
    40,
)

CHOLESTEROL = Analyte(
    "2093-3",
    "Cholesterol [Mass/volume] in Serum or Plasma",
    "Total cholesterol",
    MG_DL,
    MG_DL,
    None,
    199,
    range_text="<200 mg/dL",
)
TRIGLYCERIDES = Analyte(
    "2571-8",
    "Triglyceride [Mass/volume] in Serum or Plasma",
    "Triglycerides",
    MG_DL,
    MG_DL,
    None,
    149,
    critical_high=1000,
    range_text="<150 mg/dL",
)
HDL = Analyte(
    "2085-9",
    "Cholesterol in HDL [Mass/volume] in Serum or Plasma",
    "HDL (good) cholesterol",
    MG_DL,
    MG_DL,
    40,
    None,
    range_text=">=40 mg/dL",
)
LDL = Analyte(
    "13457-7",
    "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation",
    "LDL (bad) cholesterol",
    MG_DL,
    MG_DL,
    None,
    99,
    range_text="<100 mg/dL",
)

HBA1C = Analyte(
    "4548-4",
    "Hemoglobin A1c/Hemoglobin.total in Blood",
    "Hemoglobin A1c",
    "%",
    "%",
    None,
    5.6,
    decimals=1,
    range_text="<5.7 %",
)
TSH = Analyte(
    "3016-3",
    "Thyrotropin [Units/volume] in Serum or Plasma",
    "Thyroid stimulating hormone (TSH)",
    "mIU/L",
    "m[IU]/L",
    0.45,
    4.5,
    decimals=2,
)
VITAMIN_D = Analyte(
    "62292-8",
    "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma",
    "Vitamin D, 25-hydroxy",
    "ng/mL",
    "ng/mL",
    30,
    100,
)
URINE_ALBUMIN = Analyte(
    "9318-7",
    "Albumin/Creatinine [Mass Ratio] in Urine",
    "Urine albumin-to-creatinine ratio",
    "mg/g",
    "mg/g",
    None,
    29,
    range_text="<30 mg/g",
)
