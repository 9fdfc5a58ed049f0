"""Reads for the proxy account pages: grants in plain words, with what they allow today.

Each list is one query, whatever its length, with the rows' patients and proxies loaded; what a
grant allows today comes from `carebridge.proxies.rules`, in the patient's clinic's time zone.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.accounts.models import User
from carebridge.patients.models import Patient
from carebridge.proxies import rules
from carebridge.proxies.models import (
    EndReason,
    GrantStatus,
    ProxyGrant,
    ProxyRelationship,
    ProxyScope,
)

# How long an ended grant stays on the "People you help" page.
RECENTLY_ENDED_DAYS = 90
# What a teenager may choose to share with a parent, beyond what the teen rules leave them.
# Sharing "messaging" shares the teenager's own conversations (the parent keeps their own).
TEEN_SHAREABLE_SCOPES = (
    ProxyScope.RECORD,
    ProxyScope.RESULTS,
    ProxyScope.MESSAGING,
    ProxyScope.ACCOUNT,
)


@dataclass(frozen=True)
class GrantRow:
    """One grant, ready to show: every value is already in plain words."""

    grant: ProxyGrant
    # The proxy's name, or the invited address while nobody has accepted.
    person: str
    relationship: str
    scopes: list[str]
    status: str
    # Whether the patient may change or end it here (open, and not a parent's).
    can_manage: bool
    ended_reason: str


@dataclass(frozen=True)
class PatientGrants:
    """A patient's grants: open ones (caregivers and parents apart) and ended ones."""

    caregivers: list[GrantRow]
    parents: list[GrantRow]
    ended: list[GrantRow]


@dataclass(frozen=True)
class HelpingRow:
    """Someone the user helps (or helped until recently), and what they may do today."""

    grant: ProxyGrant
    patient_name: str
    relationship: str
    # What the grant allows today, after its dates and the age rules.
    scopes_today: list[str]
    # Whether the record is cut down to allergies and immunizations (a teenager's parent).
    is_teen_limited: bool
    status: str
    ended_reason: str


@dataclass(frozen=True)
class TeenParentRow:
    """A parent with access to a teenager's account, and what the teenager may share more."""

    grant: ProxyGrant
    parent_name: str
    relationship: str
    # What the parent sees whatever the teenager chooses.
    already_sees: list[str]
    # What the teenager may add (ProxyScope values the staff granted) and has added.
    shareable: list[str]
    shared: list[str]


def scope_labels(scopes: Iterable[str]) -> list[str]:
    """The scopes' names in the order the portal lists them (unknown values left out)."""
    chosen = set(scopes)
    return [str(label) for value, label in ProxyScope.choices if value in chosen]


def _relationship(grant: ProxyGrant) -> str:
    return str(ProxyRelationship(grant.relationship).label)


def _ended_reason(grant: ProxyGrant) -> str:
    return str(EndReason(grant.end_reason).label) if grant.end_reason else ""


def _today(patient: Patient) -> datetime.date:
    return rules.clinic_today(patient.clinic)


def is_adult_today(patient: Patient) -> bool:
    """Whether the clinic's age rules treat the patient as an adult today."""
    band = rules.age_band(patient.birth_date, _today(patient), patient.clinic)
    return band is rules.AgeBand.ADULT


def is_teen_today(patient: Patient) -> bool:
    """Whether the patient is in the clinic's teen age band today (by default 12 to 17)."""
    band = rules.age_band(patient.birth_date, _today(patient), patient.clinic)
    return band is rules.AgeBand.TEEN


def status_words(grant: ProxyGrant, *, today: datetime.date, now: datetime.datetime) -> str:
    """What the grant's state means today, in words (an active grant may have lapsed today)."""
    if grant.status == GrantStatus.INVITED:
        expires = grant.invite_expires_at
        if expires is not None and expires <= now:
            return _("The invitation expired before it was accepted")
        return _("Invited: waiting for them to accept")
    if grant.status != GrantStatus.ACTIVE:
        return _("Ended")
    patient = grant.patient
    if rules.has_come_of_age(
        grant, patient_birth_date=patient.birth_date, today=today, clinic=patient.clinic
    ):
        return _("Ended: the patient is now an adult")
    if grant.ends_on is not None and grant.ends_on < today:
        return _("Ended: the last day has passed")
    if today < grant.starts_on:
        return _("Starts later")
    return _("Active")


def _grant_row(grant: ProxyGrant, *, today: datetime.date, now: datetime.datetime) -> GrantRow:
    person = grant.proxy.display_name if grant.proxy is not None else grant.invite_email
    return GrantRow(
        grant=grant,
        person=person,
        relationship=_relationship(grant),
        scopes=scope_labels(grant.scopes),
        status=status_words(grant, today=today, now=now),
        can_manage=grant.is_open and not grant.is_parental,
        ended_reason=_ended_reason(grant),
    )


def describe_grant(grant: ProxyGrant) -> GrantRow:
    """One grant in words; pass it with `patient__clinic` and `proxy` loaded."""
    return _grant_row(grant, today=_today(grant.patient), now=timezone.now())


def list_patient_grants(patient: Patient) -> PatientGrants:
    """Everyone who can, may soon, or could help this patient, newest first (one query).

    Pass the patient with `clinic` loaded. Ended grants are the history: who, and why it ended.
    """
    grants = ProxyGrant.objects.for_patient(patient).select_related("proxy").order_by("-granted_at")
    today, now = _today(patient), timezone.now()
    result = PatientGrants(caregivers=[], parents=[], ended=[])
    for grant in grants:
        # The patient is already loaded: no query per row for the age rules.
        grant.patient = patient
        row = _grant_row(grant, today=today, now=now)
        if not grant.is_open:
            result.ended.append(row)
        elif grant.is_parental:
            result.parents.append(row)
        else:
            result.caregivers.append(row)
    return result


def find_caregiver_grant(patient: Patient, grant_id: uuid.UUID) -> ProxyGrant | None:
    """One of the patient's own caregiver grants (never a parent's), open or ended, else None."""
    return (
        ProxyGrant.objects.for_patient(patient)
        .filter(pk=grant_id, is_parental=False)
        .select_related("proxy", "patient__clinic", "patient__user")
        .first()
    )


def find_helping_grant(user: User, grant_id: uuid.UUID) -> ProxyGrant | None:
    """One of the user's own grants as a proxy, open or ended, else None."""
    return (
        ProxyGrant.objects.for_proxy(user)
        .filter(pk=grant_id)
        .select_related("patient__clinic", "patient__user", "proxy")
        .first()
    )


def list_helping(user: User) -> list[HelpingRow]:
    """The people the user helps, and those they stopped helping recently (one query).

    Open grants first, oldest first; then recently ended ones, newest first.
    """
    cutoff = timezone.now() - datetime.timedelta(days=RECENTLY_ENDED_DAYS)
    grants = (
        ProxyGrant.objects.for_proxy(user)
        .filter(Q(status__in=(GrantStatus.INVITED, GrantStatus.ACTIVE)) | Q(ended_at__gte=cutoff))
        .select_related("patient__clinic")
        .order_by("granted_at")
    )
    now = timezone.now()
    rows = [_helping_row(grant, now) for grant in grants]
    open_rows = [row for row in rows if row.grant.is_open]
    ended = sorted(
        (row for row in rows if not row.grant.is_open),
        key=lambda row: row.grant.ended_at or now,
        reverse=True,
    )
    return open_rows + ended


def _helping_row(grant: ProxyGrant, now: datetime.datetime) -> HelpingRow:
    patient = grant.patient
    when = {"patient_birth_date": patient.birth_date, "today": _today(patient)}
    return HelpingRow(
        grant=grant,
        patient_name=patient.display_name,
        relationship=_relationship(grant),
        scopes_today=scope_labels(rules.effective_scopes(grant, clinic=patient.clinic, **when)),
        is_teen_limited=rules.is_teen_limited(grant, clinic=patient.clinic, **when),
        status=status_words(grant, today=when["today"], now=now),
        ended_reason=_ended_reason(grant),
    )


def has_proxy_grants(user: User) -> bool:
    """Whether the user has ever been given access to help someone."""
    return ProxyGrant.objects.for_proxy(user).exists()


def list_teen_parents(patient: Patient) -> list[TeenParentRow]:
    """The parents whose access to this teenager's account is in force today (one query).

    Pass the patient with `clinic` loaded. Empty unless the patient is in the teen age band.
    """
    if not is_teen_today(patient):
        return []
    today = _today(patient)
    grants = (
        ProxyGrant.objects.for_patient(patient)
        .active()
        .filter(is_parental=True)
        .select_related("proxy")
        .order_by("granted_at")
    )
    rows = []
    for grant in grants:
        if rules.is_in_force(grant, today):
            grant.patient = patient
            rows.append(_teen_parent_row(grant))
    return rows


def _teen_parent_row(grant: ProxyGrant) -> TeenParentRow:
    assert grant.proxy is not None  # An active grant always has its proxy.
    granted = set(grant.scopes)
    return TeenParentRow(
        grant=grant,
        parent_name=grant.proxy.display_name,
        relationship=_relationship(grant),
        already_sees=_teen_base_words(granted),
        shareable=[scope for scope in TEEN_SHAREABLE_SCOPES if scope in granted],
        shared=[scope for scope in TEEN_SHAREABLE_SCOPES if scope in grant.teen_shared_scopes],
    )


def _teen_base_words(granted: set[str]) -> list[str]:
    """What a teenager's parent sees whatever the teenager shares, in words."""
    words = []
    if ProxyScope.MESSAGING in granted:
        # Not the teenager's own conversations: those are theirs to share.
        words.append(_("Messages they write to the clinic about you, and the clinic's replies"))
    words += scope_labels(granted & (rules.TEEN_LIMITED_SCOPES - {ProxyScope.MESSAGING}))
    if ProxyScope.RECORD in granted:
        words.append(_("Allergies and immunizations (vaccines) in your health record"))
    return words


@dataclass(frozen=True)
class AccountLinks:
    """Which proxy pages the account overview offers the signed-in user."""

    manages_caregivers: bool
    shares_with_parent: bool
    helps_someone: bool


def account_links(user: User, own_patient: Patient | None) -> AccountLinks:
    """The overview's links, by the clinic's age rules for today (at most two queries).

    An adult patient manages their caregivers; a teenager with a parent's access in force
    chooses what to share; anyone ever given access to help someone lists whom they help.
    """
    return AccountLinks(
        manages_caregivers=own_patient is not None and is_adult_today(own_patient),
        shares_with_parent=own_patient is not None and bool(list_teen_parents(own_patient)),
        helps_someone=has_proxy_grants(user),
    )
