"""Units written for people: UCUM codes, and the spellings EHRs and labs send, as a patient
reads them ("10*3/uL" and "x10^3/uL" both become "10³/µL").

One table for every page, chart and download that shows a unit. A unit the table does not know
is shown exactly as it came: a strange unit is better than a wrong one. Units that are words
("per minute") are translated; the rest are symbols, the same in every language.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# Symbols: the same in every language.
_SYMBOLS: dict[str, str] = {
    # Cell counts.
    "10*3/uL": "10³/µL",
    "10*3/ul": "10³/µL",
    "10^3/uL": "10³/µL",
    "x10^3/uL": "10³/µL",
    "x10E3/uL": "10³/µL",
    "10*3/mm3": "10³/mm³",
    "K/uL": "10³/µL",
    "10*6/uL": "10⁶/µL",
    "10*6/ul": "10⁶/µL",
    "10^6/uL": "10⁶/µL",
    "x10^6/uL": "10⁶/µL",
    "x10E6/uL": "10⁶/µL",
    "M/uL": "10⁶/µL",
    "10*9/L": "10⁹/L",
    "10*12/L": "10¹²/L",
    "/uL": "/µL",
    # Concentrations, volumes and the rest, spelled as labs print them.
    "mg/dL": "mg/dL",
    "mg/dl": "mg/dL",
    "g/dL": "g/dL",
    "g/dl": "g/dL",
    "mmol/L": "mmol/L",
    "mmol/l": "mmol/L",
    "umol/L": "µmol/L",
    "ug/dL": "µg/dL",
    "ug/L": "µg/L",
    "ng/mL": "ng/mL",
    "pg/mL": "pg/mL",
    "mEq/L": "mEq/L",
    "meq/L": "mEq/L",
    "U/L": "U/L",
    "[IU]/L": "IU/L",
    "m[IU]/L": "mIU/L",
    "u[IU]/mL": "µIU/mL",
    "%": "%",
    "fL": "fL",
    "fl": "fL",
    "pg": "pg",
    "mL/min/{1.73_m2}": "mL/min/1.73 m²",
    "mL/min/1.73m2": "mL/min/1.73 m²",
    "mL/min/1.73_m2": "mL/min/1.73 m²",
    # Vital signs.
    "mm[Hg]": "mmHg",
    "mmHg": "mmHg",
    "[lb_av]": "lb",
    "[in_i]": "in",
    "[in_us]": "in",
    "Cel": "°C",
    "[degF]": "°F",
    "degF": "°F",
    "kg/m2": "kg/m²",
    "kg/m^2": "kg/m²",
}
# Words: translated when shown.
_WORDS: dict[str, Promise] = {
    "/min": gettext_lazy("per minute"),
    "{beats}/min": gettext_lazy("beats per minute"),
    "{breaths}/min": gettext_lazy("breaths per minute"),
}


def unit_for_people(unit: str) -> str:
    """The unit as a person reads it; a unit not in the tables comes back unchanged."""
    word = _WORDS.get(unit)
    if word is not None:
        return str(word)
    return _SYMBOLS.get(unit, unit)
