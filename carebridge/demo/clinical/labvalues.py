"""Lab values for one patient on one day, and what the lab would flag them as.

Values tied to a condition come from the patient's trends; the related values are derived from
them (glucose from HbA1c, creatinine from eGFR, total cholesterol from its parts), so a panel is
internally consistent. Everything else sits around a level of the patient's own.
"""

from __future__ import annotations

import datetime
import random

from carebridge.demo.clinical import labcatalog as lab
from carebridge.demo.clinical import labpanels as panels
from carebridge.demo.clinical.labcatalog import Analyte, Panel
from carebridge.demo.clinical.problems import CKD, DIABETES
from carebridge.demo.clinical.profile import Profile
from carebridge.demo.clinical.trends import Trend

# LOINC code: (population mean, spread between people, spread from day to day).
PERSONAL_LEVELS = {
    "6690-2": (6.8, 1.2, 0.9),
    "777-3": (255, 45, 22),
    "2951-2": (140, 1.5, 1.4),
    "2823-3": (4.2, 0.2, 0.25),
    "2075-0": (102, 1.5, 1.6),
    "2028-9": (25.5, 1.2, 1.3),
    "17861-6": (9.4, 0.25, 0.25),
    "2885-2": (7.0, 0.3, 0.3),
    "1751-7": (4.2, 0.2, 0.2),
    "1975-2": (0.6, 0.2, 0.15),
    "6768-6": (78, 16, 8),
    "1742-6": (24, 8, 6),
    "1920-8": (22, 4, 4),
}
# A patient with kidney disease now and then has a dangerously high potassium.
HIGH_POTASSIUM_CHANCE = 0.04


def interpret(value: float, analyte: Analyte, sex: str) -> str:
    """The v3 ObservationInterpretation code: N, L, H, or LL/HH beyond the critical limits."""
    low, high = analyte.limits(sex)
    if low is not None and value < low:
        critical = analyte.critical_low is not None and value < analyte.critical_low
        return "LL" if critical else "L"
    if high is not None and value > high:
        critical = analyte.critical_high is not None and value > analyte.critical_high
        return "HH" if critical else "H"
    return "N"


class LabValues:
    def __init__(self, rng: random.Random, profile: Profile, trends: dict[str, Trend]) -> None:
        self.rng = rng
        self.profile = profile
        self.trends = trends
        self.levels: dict[str, float] = {}

    def personal(self, loinc: str) -> float:
        mean, between, within = PERSONAL_LEVELS[loinc]
        if loinc not in self.levels:
            self.levels[loinc] = self.rng.gauss(mean, between)
        return self.rng.gauss(self.levels[loinc], within)

    def trend(self, key: str, day: datetime.date) -> float:
        return self.trends[key].sample(self.rng, day)

    def panel(self, panel: Panel, day: datetime.date) -> list[tuple[Analyte, float]]:
        """Each analyte of `panel` with its value, rounded as the lab reports it."""
        values = self.compute(panel, day)
        rounded: list[tuple[Analyte, float]] = []
        for analyte in panel.analytes:
            value = max(values[analyte.loinc], 10**-analyte.decimals)
            # Whole-number results are written as integers, as a lab reports them.
            rounded.append(
                (analyte, round(value, analyte.decimals) if analyte.decimals else round(value))
            )
        return rounded

    def compute(self, panel: Panel, day: datetime.date) -> dict[str, float]:
        makers = {
            panels.CBC.key: self.blood_count,
            panels.CMP.key: self.metabolic,
            panels.LIPIDS.key: self.lipids,
            panels.CHILD_LIPIDS.key: self.child_lipids,
        }
        if panel.key in makers:
            return makers[panel.key](day)
        return {panel.analytes[0].loinc: self.single(panel.key, day)}

    def single(self, key: str, day: datetime.date) -> float:
        if key == panels.A1C.key:
            return self.trend("a1c", day)
        if key == panels.THYROID.key:
            return self.trend("tsh", day)
        if key == panels.VITAMIN_D_TEST.key:
            return self.trend("vitamin-d", day)
        if key == panels.CHILD_HEMOGLOBIN_TEST.key:
            return self.rng.gauss(12.0, 0.8)
        return self.urine_albumin()

    def urine_albumin(self) -> float:
        level = (
            14.0 + (14 if self.profile.has(DIABETES) else 0) + (40 if self.profile.has(CKD) else 0)
        )
        return max(self.rng.gauss(level, level / 3), 3)

    def blood_count(self, day: datetime.date) -> dict[str, float]:
        hemoglobin = self.trend("hemoglobin", day)
        red_cells = hemoglobin / 3.0 + self.rng.gauss(0, 0.1)
        hematocrit = hemoglobin * 3.0 + self.rng.gauss(0, 0.8)
        return {
            lab.WBC.loinc: self.personal(lab.WBC.loinc),
            lab.RBC.loinc: red_cells,
            lab.HEMOGLOBIN.loinc: hemoglobin,
            lab.HEMATOCRIT.loinc: hematocrit,
            lab.MCV.loinc: hematocrit / red_cells * 10,
            lab.PLATELETS.loinc: self.personal(lab.PLATELETS.loinc),
        }

    def metabolic(self, day: datetime.date) -> dict[str, float]:
        egfr = self.trend("egfr", day)
        # Fasting glucose follows the average glucose that HbA1c reflects.
        glucose = (28.7 * self.trend("a1c", day) - 46.7) * 0.85 + self.rng.gauss(0, 6)
        scale = 0.9 if self.profile.sex == "male" else 0.7
        values = {
            lab.GLUCOSE.loinc: glucose,
            lab.BUN.loinc: 14 * (90 / egfr) ** 0.8 + self.rng.gauss(0, 1.5),
            lab.CREATININE.loinc: scale * (egfr / 100) ** -1.1,
            lab.EGFR.loinc: egfr,
            lab.POTASSIUM.loinc: self.potassium(),
        }
        for loinc in PERSONAL_LEVELS:
            if loinc not in values and loinc not in (lab.WBC.loinc, lab.PLATELETS.loinc):
                values[loinc] = self.personal(loinc)
        return values

    def potassium(self) -> float:
        value = self.personal(lab.POTASSIUM.loinc)
        if self.profile.has(CKD):
            value += 0.4
            if self.rng.random() < HIGH_POTASSIUM_CHANCE:
                value = self.rng.uniform(6.3, 6.6)
        return value

    def lipids(self, day: datetime.date) -> dict[str, float]:
        ldl, hdl = self.trend("ldl", day), self.trend("hdl", day)
        triglycerides = max(self.trend("triglycerides", day), 40)
        return {
            lab.CHOLESTEROL.loinc: ldl + hdl + triglycerides / 5,
            lab.TRIGLYCERIDES.loinc: triglycerides,
            lab.HDL.loinc: hdl,
            lab.LDL.loinc: ldl,
        }

    def child_lipids(self, day: datetime.date) -> dict[str, float]:
        ldl, hdl = max(self.rng.gauss(90, 12), 55), self.rng.gauss(55, 8)
        triglycerides = max(self.rng.gauss(65, 15), 35)
        return {
            panels.CHILD_CHOLESTEROL.loinc: ldl + hdl + triglycerides / 5,
            panels.CHILD_TRIGLYCERIDES.loinc: triglycerides,
            panels.CHILD_HDL.loinc: hdl,
            panels.CHILD_LDL.loinc: ldl,
        }
