"""Vital signs in US customary units (lb, in, °F) for clinics that choose them, with the
metric value beside: "154.3 lb (70 kg)".

Only what is shown changes: the record (and the FHIR API) keeps the values the clinic's system
sent. Converted values are rounded half up to one decimal place, the precision of a home scale
or thermometer: 70 kg is 154.3 lb, 37 °C is 98.6 °F, 170 cm is 66.9 in.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from carebridge.clinic.models import Clinic, VitalUnits
from carebridge.records.selectors.trends import Reading
from carebridge.records.selectors.wording import quantity_words

POUNDS_PER_KILOGRAM = Decimal("2.20462262185")
CENTIMETRES_PER_INCH = Decimal("2.54")


def _pounds(kilograms: Decimal) -> Decimal:
    return kilograms * POUNDS_PER_KILOGRAM


def _inches(centimetres: Decimal) -> Decimal:
    return centimetres / CENTIMETRES_PER_INCH


def _fahrenheit(celsius: Decimal) -> Decimal:
    return celsius * 9 / 5 + 32


# Metric UCUM unit → (US customary UCUM unit, conversion).
_CONVERSIONS: dict[str, tuple[str, Callable[[Decimal], Decimal]]] = {
    "kg": ("[lb_av]", _pounds),
    "g": ("[lb_av]", lambda grams: _pounds(grams / 1000)),
    "cm": ("[in_i]", _inches),
    "m": ("[in_i]", lambda metres: _inches(metres * 100)),
    "Cel": ("[degF]", _fahrenheit),
}


def uses_us_customary(clinic: Clinic) -> bool:
    """Whether the clinic shows vital signs in US customary units (its set-up choice)."""
    return clinic.vital_units == VitalUnits.US_CUSTOMARY


def to_us_customary(number: float, unit: str) -> tuple[float, str] | None:
    """The value in US customary units and that unit's UCUM code, rounded half up to one
    decimal place; None for a unit with no US customary form (mmHg, /min, kg/m2…)."""
    conversion = _CONVERSIONS.get(unit)
    if conversion is None:
        return None
    target, convert = conversion
    converted = convert(Decimal(repr(float(number))))
    return float(converted.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)), target


def in_us_customary(reading: Reading) -> Reading:
    """The reading converted for showing, the recorded value kept beside it; unchanged when
    its unit has no US customary form. (The normal range, in the recorded unit, is left out.)"""
    if reading.number is None:
        return reading
    converted = to_us_customary(reading.number, reading.unit_code)
    if converted is None:
        return reading
    number, unit = converted
    beside = quantity_words(reading.number, reading.unit_code)
    return reading._replace(
        number=number, unit_code=unit, low=None, high=None, range_text="", beside=beside
    )
