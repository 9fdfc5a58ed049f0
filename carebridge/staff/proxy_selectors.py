"""Reads for the console's pages on who may help a patient: their grants, in plain words.

Each read is bounded to the staff member's own clinic: a patient of another clinic, or a grant
of another patient, is a 404 exactly like one that does not exist.
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic
from carebridge.lib.dates import age_on
from carebridge.patients.models import Patient
from carebridge.proxies import rules
from carebridge.proxies.models import (
    EndReason,
    GrantStatus,
    ProxyGrant,
    ProxyRelationship,
    ProxyScope,
)
from carebridge.proxies.services.grants import staff_may_change_scopes


@dataclass(frozen=True)
class PatientAge:
    """The patient's age today and which of the clinic's age rules applies to them."""

    age: int
    band: rules.AgeBand
    # The clinic's rules: full parental access under this age, none from `adult_at`.
    full_access_under: int
    adult_at: int

    @property
    def is_adult(self) -> bool:
        return self.band is rules.AgeBand.ADULT

    @property
    def last_teen_age(self) -> int:
        return self.adult_at - 1


@dataclass(frozen=True)
class GrantRow:
    """One grant as the console shows it: words and dates, no codes."""

    grant: ProxyGrant
    # The proxy's name, or the invited address while nobody has accepted.
    person: str
    email: str
    relationship: str
    scopes: str
    is_parental: bool
    since: datetime.date
    until: datetime.date | None
    status: str
    granted_by: str
    end_reason: str
    ended_by: str
    can_change: bool


def get_clinic_patient(*, clinic: Clinic, patient_id: uuid.UUID) -> Patient:
    """A patient of `clinic` (with their clinic loaded), else 404 as for one that is missing."""
    patient = Patient.objects.select_related("clinic").filter(pk=patient_id, clinic=clinic).first()
    if patient is None:
        raise Http404
    return patient


def get_patient_grant(*, patient: Patient, grant_id: uuid.UUID) -> ProxyGrant:
    """One of `patient`'s grants (open or ended), else 404: another patient's looks missing."""
    grant = (
        ProxyGrant.objects.for_patient(patient)
        .select_related("proxy", "granted_by", "ended_by")
        .filter(pk=grant_id)
        .first()
    )
    if grant is None:
        raise Http404
    # The services read the patient's clinic and account from the grant: reuse what is loaded.
    grant.patient = patient
    return grant


def get_patient_age(patient: Patient) -> PatientAge:
    """How old the patient is today in the clinic's time zone, and their age band there."""
    clinic = patient.clinic
    today = rules.clinic_today(clinic)
    return PatientAge(
        age=age_on(patient.birth_date, today),
        band=rules.age_band(patient.birth_date, today, clinic),
        full_access_under=clinic.proxy_full_access_under_age,
        adult_at=clinic.proxy_parental_access_until_age,
    )


def list_grant_rows(patient: Patient) -> tuple[list[GrantRow], list[GrantRow]]:
    """The patient's open grants and ended grants, newest first, in one query."""
    grants = (
        ProxyGrant.objects.for_patient(patient)
        .select_related("proxy", "granted_by", "ended_by")
        .order_by("-granted_at")
    )
    rows = [grant_row(grant, patient) for grant in grants]
    open_rows = [row for row in rows if row.grant.is_open]
    return open_rows, [row for row in rows if not row.grant.is_open]


def grant_row(grant: ProxyGrant, patient: Patient) -> GrantRow:
    """The grant in words; `grant` has its proxy and both staff members loaded."""
    zone = zoneinfo.ZoneInfo(patient.clinic.time_zone)
    proxy = grant.proxy
    return GrantRow(
        grant=grant,
        person=proxy.display_name if proxy is not None else grant.invite_email,
        email=proxy.email if proxy is not None else grant.invite_email,
        relationship=str(ProxyRelationship(grant.relationship).label),
        scopes=scopes_in_words(grant.scopes),
        is_parental=grant.is_parental,
        since=grant.starts_on,
        until=_local_date(grant.ended_at, zone) if grant.ended_at else grant.ends_on,
        status=_status_words(grant),
        granted_by=_person_words(grant.granted_by, patient),
        end_reason=str(EndReason(grant.end_reason).label) if grant.end_reason else "",
        ended_by=_person_words(grant.ended_by, patient) if grant.ended_at else "",
        can_change=grant.is_open and staff_may_change_scopes(grant),
    )


def scopes_in_words(scopes: list[str]) -> str:
    """The scopes' labels, in the order the form lists them (unknown values left out)."""
    return ", ".join(str(scope.label) for scope in ProxyScope if scope.value in scopes)


def _status_words(grant: ProxyGrant) -> str:
    if grant.status == GrantStatus.INVITED:
        return _("Invited, not accepted yet")
    return str(GrantStatus(grant.status).label)


def _person_words(user: User | None, patient: Patient) -> str:
    if user is None:
        return _("Carebridge, automatically")
    if user.pk == patient.user_id:
        return _("The patient")
    return user.display_name


def _local_date(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    return timezone.localtime(moment, zone).date()
