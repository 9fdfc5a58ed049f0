import datetime

import pytest

from carebridge.clinic.models import Clinic
from carebridge.proxies import rules
from carebridge.proxies.models import GrantStatus, ProxyGrant

TODAY = datetime.date(2025, 6, 1)
EVERYTHING = ["record", "results", "messaging", "appointments", "billing", "account"]
ALL_PARTS = {
    "summary",
    "results",
    "vitals",
    "medications",
    "allergies",
    "immunizations",
    "problems",
    "procedures",
    "visits",
    "documents",
    "care_team",
    "care_plans",
    "download",
}
# Born on 1 June: 9, 12, 15, 17 and 18 years old on TODAY.
NINE, TWELVE, FIFTEEN, EIGHTEEN = (datetime.date(2025 - n, 6, 1) for n in (9, 12, 15, 18))
SEVENTEEN = datetime.date(2007, 6, 2)


def grant(**fields):
    defaults = {
        "status": GrantStatus.ACTIVE,
        "scopes": EVERYTHING,
        "starts_on": datetime.date(2025, 1, 1),
        "is_parental": True,
    }
    return ProxyGrant(**(defaults | fields))


def scopes(g, born, today=TODAY, clinic=None):
    clinic = clinic or Clinic()
    return rules.effective_scopes(g, patient_birth_date=born, today=today, clinic=clinic)


def parts(g, born, today=TODAY, clinic=None):
    clinic = clinic or Clinic()
    return rules.effective_record_parts(g, patient_birth_date=born, today=today, clinic=clinic)


def test_clinic_defaults_are_12_and_18():
    assert (Clinic().proxy_full_access_under_age, Clinic().proxy_parental_access_until_age) == (
        12,
        18,
    )


@pytest.mark.parametrize("status", [GrantStatus.INVITED, GrantStatus.REVOKED, GrantStatus.EXPIRED])
def test_only_active_grants_give_anything(status):
    g = grant(status=status, is_parental=False)
    assert scopes(g, NINE) == frozenset()
    assert parts(g, NINE) == frozenset()


def test_not_before_the_start_date():
    g = grant(is_parental=False, starts_on=datetime.date(2025, 6, 2))
    assert scopes(g, NINE) == frozenset()
    assert scopes(g, NINE, today=datetime.date(2025, 6, 2)) == frozenset(EVERYTHING)


def test_end_date_is_the_last_day_of_access():
    g = grant(is_parental=False, scopes=["appointments"], ends_on=TODAY)
    assert scopes(g, NINE) == {"appointments"}
    assert scopes(g, NINE, today=datetime.date(2025, 6, 2)) == frozenset()


def test_caregiver_of_an_adult_gets_exactly_the_grant_scopes():
    g = grant(is_parental=False, scopes=["appointments", "billing"])
    assert scopes(g, datetime.date(1940, 1, 1)) == {"appointments", "billing"}
    assert parts(g, datetime.date(1940, 1, 1)) == frozenset()


def test_unknown_stored_scopes_are_ignored():
    g = grant(is_parental=False, scopes=["appointments", "everything"])
    assert scopes(g, datetime.date(1940, 1, 1)) == {"appointments"}


def test_parent_of_a_child_has_the_grant_scopes_and_the_whole_record():
    assert scopes(grant(), NINE) == frozenset(EVERYTHING)
    assert parts(grant(), NINE) == ALL_PARTS


def test_record_without_results_hides_results_and_vitals():
    g = grant(scopes=["record"])
    assert parts(g, NINE) == ALL_PARTS - {"results", "vitals"}


def test_results_without_record_shows_only_results_and_vitals():
    g = grant(is_parental=False, scopes=["results"])
    assert parts(g, datetime.date(1940, 1, 1)) == {"results", "vitals"}


def test_teen_parent_has_limited_scopes_and_allergies_and_immunizations():
    assert scopes(grant(), FIFTEEN) == {"record", "appointments", "billing", "messaging"}
    assert parts(grant(), FIFTEEN) == {"allergies", "immunizations"}


def test_teen_limits_begin_on_the_twelfth_birthday():
    assert scopes(grant(), TWELVE, today=datetime.date(2025, 5, 31)) == frozenset(EVERYTHING)
    assert scopes(grant(), TWELVE) == {"record", "appointments", "billing", "messaging"}


def test_teen_limits_never_exceed_what_staff_granted():
    g = grant(scopes=["appointments"], teen_shared_scopes=["results", "record"])
    assert scopes(g, FIFTEEN) == {"appointments"}
    assert parts(g, FIFTEEN) == frozenset()


def test_teen_sharing_results_adds_results_and_vitals():
    g = grant(teen_shared_scopes=["results"])
    assert scopes(g, FIFTEEN) == {"record", "results", "appointments", "billing", "messaging"}
    assert parts(g, FIFTEEN) == {"allergies", "immunizations", "results", "vitals"}


def test_teen_sharing_the_record_gives_the_full_record_without_results():
    g = grant(teen_shared_scopes=["record"])
    assert parts(g, FIFTEEN) == ALL_PARTS - {"results", "vitals"}


def test_teen_sharing_everything_gives_everything():
    g = grant(teen_shared_scopes=EVERYTHING)
    assert scopes(g, SEVENTEEN) == frozenset(EVERYTHING)
    assert parts(g, SEVENTEEN) == ALL_PARTS


def test_parental_access_gives_nothing_from_the_eighteenth_birthday():
    g = grant(teen_shared_scopes=EVERYTHING)
    assert scopes(g, EIGHTEEN, today=datetime.date(2025, 5, 31)) == frozenset(EVERYTHING)
    assert scopes(g, EIGHTEEN) == frozenset()
    assert parts(g, EIGHTEEN) == frozenset()
    assert rules.has_come_of_age(g, patient_birth_date=EIGHTEEN, today=TODAY, clinic=Clinic())


def test_ages_follow_the_clinic_settings():
    clinic = Clinic(proxy_full_access_under_age=14, proxy_parental_access_until_age=16)
    assert scopes(grant(), TWELVE, clinic=clinic) == frozenset(EVERYTHING)
    assert scopes(grant(), FIFTEEN, clinic=clinic) == {
        "record",
        "appointments",
        "billing",
        "messaging",
    }
    assert scopes(grant(), datetime.date(2009, 6, 1), clinic=clinic) == frozenset()


@pytest.mark.parametrize(
    ("born", "band"),
    [(NINE, "child"), (TWELVE, "teen"), (SEVENTEEN, "teen"), (EIGHTEEN, "adult")],
)
def test_age_band(born, band):
    assert rules.age_band(born, TODAY, Clinic()) == band
