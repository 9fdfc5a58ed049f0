"""The caregivers and parents of the shared cast, and the patients they help.

Birth dates are counted back from the clinic's today when the cast is built, so "9 years old"
stays true whatever day the suite runs; tests that move the clock build the cast first.
Each proxy persona has already chosen, in the header switcher, the patient they help: the
authorisation matrix signs them in with that choice in their session (see `acting_for`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient
from carebridge.proxies import rules
from carebridge.proxies.models import (
    EndReason,
    GrantStatus,
    ProxyGrant,
    ProxyRelationship,
    ProxyScope,
)
from carebridge.testing import factories

ALL_SCOPES = sorted(ProxyScope.values)

# Proxy persona names, in the order the matrix lists them.
PROXY_PERSONAS = (
    "full_caregiver",
    "appointments_caregiver",
    "revoked_caregiver",
    "expired_caregiver",
    "parent_of_child",
    "parent_of_teen",
    "parent_of_adult",
)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def make_grant(
    patient: Patient, proxy: User, *, granted_by: User, scopes: list[str], **fields: Any
) -> ProxyGrant:
    """An active grant, as if invited and accepted (or given by staff when `is_parental`)."""
    defaults: dict[str, Any] = {
        "relationship": ProxyRelationship.CAREGIVER,
        "status": GrantStatus.ACTIVE,
        "starts_on": rules.clinic_today(patient.clinic) - datetime.timedelta(days=30),
    }
    return ProxyGrant.objects.create(
        patient=patient, proxy=proxy, granted_by=granted_by, scopes=scopes, **(defaults | fields)
    )


@dataclass
class ProxyCast:
    # Kit Kid, 9, no portal account of his own: Paula's son.
    child: Patient
    # Tess Teen, 15, with her own portal account: Terry's daughter.
    teen: Patient
    # Jo Just-adult, 18 today: Andy's daughter.
    new_adult: Patient
    # Cora Caregiver: Pat's caregiver with every scope. Sees Pat's record, results included,
    # but never what is labelled sensitive; Pat's account activity too. Nothing of Sam's.
    full_caregiver: User
    # Abe Appointments: Pat's caregiver for appointments only. Pat's home page, but no part
    # of her record (every record URL is a 404).
    appointments_caregiver: User
    # Rita Revoked: was Pat's caregiver; Pat revoked it. Acts for nobody: her choice of Pat
    # is forgotten on her next request.
    revoked_caregiver: User
    # Ed Expired: Pat's caregiver until yesterday (the daily task has not yet marked it
    # ended). Acts for nobody.
    expired_caregiver: User
    # Paula Parent: mother of Kit (9), every scope. Sees all of Kit's record (not sensitive
    # items); nothing of Pat's.
    parent_of_child: User
    # Terry Parent: father of Tess (15), every scope granted, so the teen rules apply: Tess's
    # allergies and immunizations, appointments, billing and messages, nothing else.
    parent_of_teen: User
    # Andy Parent: father of Jo, who turned 18 today. Acts for nobody; the daily task ends his
    # grant and tells them both.
    parent_of_adult: User
    grants: dict[str, ProxyGrant] = field(default_factory=dict)

    @property
    def teen_user(self) -> User:
        assert self.teen.user is not None
        return self.teen.user

    def acting_for(self, persona: str) -> Patient:
        """The patient this persona chose in the switcher (their grant may have ended since)."""
        return self.grants[persona].patient


def build_proxy_cast(clinic: Clinic, pat: Patient, staff: User) -> ProxyCast:
    today = rules.clinic_today(clinic)
    cast = ProxyCast(
        child=_relative(clinic, "Kit", "Kid", "RFC-2001", years_before(today, 9)),
        teen=_relative(
            clinic,
            "Tess",
            "Teen",
            "RFC-2002",
            years_before(today, 15),
            user=_person("tess", "Tess", "Teen"),
        ),
        new_adult=_relative(clinic, "Jo", "Justadult", "RFC-2003", years_before(today, 18)),
        full_caregiver=_person("cora", "Cora", "Caregiver"),
        appointments_caregiver=_person("abe", "Abe", "Appointments"),
        revoked_caregiver=_person("rita", "Rita", "Revoked"),
        expired_caregiver=_person("ed", "Ed", "Expired"),
        parent_of_child=_person("paula", "Paula", "Parent"),
        parent_of_teen=_person("terry", "Terry", "Parent"),
        parent_of_adult=_person("andy", "Andy", "Parent"),
    )
    _grant_all(cast, pat, staff, today)
    return cast


def _person(email_name: str, first_name: str, last_name: str) -> User:
    return factories.make_user(
        email=f"{email_name}@example.org", first_name=first_name, last_name=last_name
    )


def _relative(
    clinic: Clinic, given: str, family: str, mrn: str, born: datetime.date, **fields: Any
) -> Patient:
    return factories.make_patient(
        clinic, given_name=given, family_name=family, mrn=mrn, birth_date=born, **fields
    )


def _grant_all(cast: ProxyCast, pat: Patient, staff: User, today: datetime.date) -> None:
    pat_user = pat.user
    assert pat_user is not None
    ended = {"ended_at": datetime.datetime.now(datetime.UTC), "ended_by": pat_user}
    parental = {"is_parental": True, "relationship": ProxyRelationship.PARENT}
    cast.grants = {
        "full_caregiver": make_grant(
            pat, cast.full_caregiver, granted_by=pat_user, scopes=ALL_SCOPES
        ),
        "appointments_caregiver": make_grant(
            pat, cast.appointments_caregiver, granted_by=pat_user, scopes=["appointments"]
        ),
        "revoked_caregiver": make_grant(
            pat,
            cast.revoked_caregiver,
            granted_by=pat_user,
            scopes=ALL_SCOPES,
            status=GrantStatus.REVOKED,
            end_reason=EndReason.REVOKED_BY_PATIENT,
            **ended,
        ),
        "expired_caregiver": make_grant(
            pat,
            cast.expired_caregiver,
            granted_by=pat_user,
            scopes=ALL_SCOPES,
            ends_on=today - datetime.timedelta(days=1),
        ),
        "parent_of_child": make_grant(
            cast.child, cast.parent_of_child, granted_by=staff, scopes=ALL_SCOPES, **parental
        ),
        "parent_of_teen": make_grant(
            cast.teen, cast.parent_of_teen, granted_by=staff, scopes=ALL_SCOPES, **parental
        ),
        "parent_of_adult": make_grant(
            cast.new_adult, cast.parent_of_adult, granted_by=staff, scopes=ALL_SCOPES, **parental
        ),
    }
