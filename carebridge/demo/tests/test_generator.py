import datetime
import random
import re

import pytest

from carebridge.demo.generator import (
    AGE_BANDS,
    ascii_slug,
    birth_date_for_age,
    email_for,
    generate_patients,
    years_before,
)
from carebridge.lib.dates import age_on

TODAY = datetime.date(2026, 1, 15)


def test_same_seed_gives_the_same_patients_and_another_seed_others():
    assert generate_patients(12, today=TODAY) == generate_patients(12, today=TODAY)
    assert generate_patients(12, today=TODAY) != generate_patients(12, seed=7, today=TODAY)


def test_patients_take_every_age_band_in_turn():
    patients = generate_patients(12, today=TODAY)
    for index, patient in enumerate(patients):
        band = AGE_BANDS[index % len(AGE_BANDS)]
        assert band.youngest <= patient.age(TODAY) <= band.oldest, (index, patient)
    ages = [patient.age(TODAY) for patient in patients]
    assert sum(age < 12 for age in ages) == 2
    assert sum(12 <= age <= 17 for age in ages) == 2
    assert sum(age > 75 for age in ages) == 2


def test_ages_hold_relative_to_today():
    later = datetime.date(2031, 6, 30)
    early, late = generate_patients(12, today=TODAY), generate_patients(12, today=later)
    assert [p.age(TODAY) for p in early] == [p.age(later) for p in late]
    assert [p.mrn for p in early] == [p.mrn for p in late]
    assert [p.email for p in early] == [p.email for p in late]


def test_identifiers_and_contact_details():
    patients = generate_patients(12, today=TODAY)
    assert [p.mrn for p in patients] == [f"RFC-{n}" for n in range(20001, 20013)]
    assert len({p.email for p in patients}) == 12
    assert len({(p.given_name, p.family_name) for p in patients}) == 12
    for patient in patients:
        assert re.fullmatch(r"[a-z]+\.[a-z]+\d*@demo\.carebridge\.test", patient.email)
        assert re.fullmatch(r"\(518\) 555-01\d\d", patient.phone)
        assert re.fullmatch(r"\d{1,4} [A-Z][A-Za-z ]+", patient.address_line)
        assert patient.sex in {"female", "male"}
        assert (patient.city, patient.state, patient.postal_code) != ("", "", "")


def test_every_fourth_patient_prefers_spanish():
    patients = generate_patients(12, today=TODAY)
    assert [p.preferred_language for p in patients] == ["en", "en", "en", "es"] * 3


def test_mrn_prefix_and_numbering_can_be_chosen():
    patients = generate_patients(2, today=TODAY, mrn_prefix="TST", first_number=7)
    assert [p.mrn for p in patients] == ["TST-00007", "TST-00008"]


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2024, 2, 29),
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 1),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 1),
    ],
)
def test_birth_dates_give_exactly_the_age_asked_for(today):
    rng = random.Random(1)
    for age in range(100):
        for _ in range(20):
            assert age_on(birth_date_for_age(rng, age, today), today) == age


def test_birth_date_range_covers_the_whole_year_of_age():
    rng = random.Random(3)
    dates = {birth_date_for_age(rng, 10, TODAY) for _ in range(5000)}
    assert min(dates) == datetime.date(2015, 1, 16)
    assert max(dates) == datetime.date(2016, 1, 15)


def test_small_helpers():
    assert ascii_slug("María José") == "mariajose"
    assert ascii_slug("O'Connell") == "oconnell"
    assert years_before(datetime.date(2024, 2, 29), 1) == datetime.date(2023, 2, 28)
    assert years_before(datetime.date(2024, 2, 29), 4) == datetime.date(2020, 2, 29)
    taken: set[str] = set()
    assert email_for("Ana", "Peña", taken) == "ana.pena@demo.carebridge.test"
    assert email_for("Ana", "Peña", taken) == "ana.pena2@demo.carebridge.test"
