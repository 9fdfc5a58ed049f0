"""Lab panels (what a clinician orders) and the children's screening tests, built from the
analytes in `labcatalog`."""

from __future__ import annotations

from carebridge.demo.clinical.labcatalog import (
    ALBUMIN,
    ALK_PHOS,
    ALT,
    AST,
    BILIRUBIN,
    BUN,
    CALCIUM,
    CARBON_DIOXIDE,
    CHLORIDE,
    CHOLESTEROL,
    CREATININE,
    EGFR,
    G_DL,
    GLUCOSE,
    HBA1C,
    HDL,
    HEMATOCRIT,
    HEMOGLOBIN,
    LDL,
    MCV,
    MG_DL,
    PLATELETS,
    POTASSIUM,
    PROTEIN,
    RBC,
    SODIUM,
    TRIGLYCERIDES,
    TSH,
    URINE_ALBUMIN,
    VITAMIN_D,
    WBC,
    Analyte,
    Panel,
)

# Children's ranges differ from adults'; these are for the screening tests children have.
CHILD_HEMOGLOBIN = Analyte(
    "718-7",
    "Hemoglobin [Mass/volume] in Blood",
    "Hemoglobin",
    G_DL,
    G_DL,
    10.5,
    13.5,
    decimals=1,
    critical_low=7.0,
)
CHILD_CHOLESTEROL = Analyte(
    "2093-3",
    "Cholesterol [Mass/volume] in Serum or Plasma",
    "Total cholesterol",
    MG_DL,
    MG_DL,
    None,
    169,
    range_text="<170 mg/dL",
)
CHILD_TRIGLYCERIDES = Analyte(
    "2571-8",
    "Triglyceride [Mass/volume] in Serum or Plasma",
    "Triglycerides",
    MG_DL,
    MG_DL,
    None,
    89,
    range_text="<90 mg/dL",
)
CHILD_HDL = Analyte(
    "2085-9",
    "Cholesterol in HDL [Mass/volume] in Serum or Plasma",
    "HDL (good) cholesterol",
    MG_DL,
    MG_DL,
    45,
    None,
    range_text=">=45 mg/dL",
)
CHILD_LDL = Analyte(
    "13457-7",
    "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation",
    "LDL (bad) cholesterol",
    MG_DL,
    MG_DL,
    None,
    109,
    range_text="<110 mg/dL",
)

CBC = Panel(
    "cbc",
    "58410-2",
    "CBC panel - Blood by Automated count",
    "Complete blood count",
    (WBC, RBC, HEMOGLOBIN, HEMATOCRIT, MCV, PLATELETS),
)
CMP = Panel(
    "cmp",
    "24323-8",
    "Comprehensive metabolic 2000 panel - Serum or Plasma",
    "Comprehensive metabolic panel",
    (
        GLUCOSE,
        BUN,
        CREATININE,
        EGFR,
        SODIUM,
        POTASSIUM,
        CHLORIDE,
        CARBON_DIOXIDE,
        CALCIUM,
        PROTEIN,
        ALBUMIN,
        BILIRUBIN,
        ALK_PHOS,
        ALT,
        AST,
    ),
)
LIPIDS = Panel(
    "lipids",
    "24331-1",
    "Lipid panel - Serum or Plasma",
    "Lipid panel",
    (CHOLESTEROL, TRIGLYCERIDES, HDL, LDL),
)
A1C = Panel("a1c", "4548-4", HBA1C.display, "Hemoglobin A1c", (HBA1C,))
THYROID = Panel("tsh", "3016-3", TSH.display, "Thyroid test (TSH)", (TSH,))
VITAMIN_D_TEST = Panel("vitamin-d", "62292-8", VITAMIN_D.display, "Vitamin D", (VITAMIN_D,))
URINE_ALBUMIN_TEST = Panel(
    "urine-albumin",
    "9318-7",
    URINE_ALBUMIN.display,
    "Urine albumin (kidney screening)",
    (URINE_ALBUMIN,),
)
CHILD_HEMOGLOBIN_TEST = Panel(
    "child-hemoglobin",
    "718-7",
    CHILD_HEMOGLOBIN.display,
    "Hemoglobin (anemia screening)",
    (CHILD_HEMOGLOBIN,),
)
CHILD_LIPIDS = Panel(
    "child-lipids",
    "24331-1",
    "Lipid panel - Serum or Plasma",
    "Lipid panel (childhood screening)",
    (CHILD_CHOLESTEROL, CHILD_TRIGLYCERIDES, CHILD_HDL, CHILD_LDL),
)
