"""Lab panels (what a clinician orders) and the children's screening tests, built from the
analytes in `labcatalog`."""

from __future__ import annotations

from dataclasses import replace

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
    GLUCOSE,
    HBA1C,
    HDL,
    HEMATOCRIT,
    HEMOGLOBIN,
    LDL,
    MCV,
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
    Panel,
)

# Children's ranges differ from adults'; these are for the screening tests children have.
CHILD_HEMOGLOBIN = replace(HEMOGLOBIN, low=10.5, high=13.5, female=None, critical_high=None)
CHILD_CHOLESTEROL = replace(CHOLESTEROL, high=169, range_text="<170 mg/dL")
CHILD_TRIGLYCERIDES = replace(TRIGLYCERIDES, high=89, critical_high=None, range_text="<90 mg/dL")
CHILD_HDL = replace(HDL, low=45, range_text=">=45 mg/dL")
CHILD_LDL = replace(LDL, high=109, range_text="<110 mg/dL")

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
CHILD_LIPIDS = replace(
    LIPIDS,
    key="child-lipids",
    name="Lipid panel (childhood screening)",
    analytes=(CHILD_CHOLESTEROL, CHILD_TRIGLYCERIDES, CHILD_HDL, CHILD_LDL),
)
