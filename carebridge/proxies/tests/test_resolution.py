"""Who acts for whom, decided on every request from the grants in force that day."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from carebridge.proxies.acting import Helped, Relationship
from carebridge.proxies.models import GrantStatus
from carebridge.proxies.resolution import resolve_acting_context
from carebridge.proxies.rules import ALL_RECORD_PARTS, FULL_RECORD_PARTS
from carebridge.proxies.services.grants import set_teen_sharing
from carebridge.testing import factories
from carebridge.testing.proxy_personas import ALL_SCOPES, make_grant

pytestmark = pytest.mark.django_db

TEEN_SCOPES = frozenset({"appointments", "billing", "messaging", "record"})


def acting_for(user, patient):
    return resolve_acting_context(user, str(patient.pk))


def test_a_patient_acts_for_themselves_with_everything(cast):
    acting = resolve_acting_context(cast.patient_user)
    assert (acting.relationship, acting.patient, acting.own_patient) == (
        Relationship.SELF,
        cast.patient,
        cast.patient,
    )
    assert (acting.record_parts, acting.hides_sensitive, acting.helped) == (None, False, ())
    assert [acting.may(scope) for scope in ALL_SCOPES] == [True] * 6


def test_a_full_caregiver_acts_for_pat_within_her_grant(cast):
    cora = cast.proxies.full_caregiver
    acting = acting_for(cora, cast.patient)
    assert (acting.relationship, acting.patient, acting.own_patient) == (
        Relationship.PROXY,
        cast.patient,
        None,
    )
    assert (acting.scopes, acting.record_parts, acting.hides_sensitive) == (
        frozenset(ALL_SCOPES),
        ALL_RECORD_PARTS,
        True,
    )
    assert acting.grant_id == str(cast.proxies.grants["full_caregiver"].pk)
    assert acting.helped == (Helped(str(cast.patient.pk), "Pat Patient", "P", "Caregiver"),)


def test_a_caregiver_who_has_not_chosen_acts_for_nobody_but_may_switch(cast):
    acting = resolve_acting_context(cast.proxies.full_caregiver)
    assert (acting.relationship, acting.patient, acting.can_switch) == (
        Relationship.NONE,
        None,
        True,
    )
    assert acting.may("appointments") is False


def test_an_appointments_caregiver_sees_no_part_of_the_record(cast):
    acting = acting_for(cast.proxies.appointments_caregiver, cast.patient)
    assert (acting.scopes, acting.record_parts) == (frozenset({"appointments"}), frozenset())
    assert (acting.may("appointments"), acting.may("results"), acting.may("account")) == (
        True,
        False,
        False,
    )
    assert acting.may_see_part("summary") is False


@pytest.mark.parametrize("persona", ["revoked_caregiver", "expired_caregiver", "parent_of_adult"])
def test_an_ended_grant_gives_nothing_whatever_its_stored_status(cast, persona):
    user = getattr(cast.proxies, persona)
    acting = acting_for(user, cast.proxies.acting_for(persona))
    assert (acting.relationship, acting.patient, acting.helped) == (Relationship.NONE, None, ())


def test_choosing_someone_you_do_not_help_acts_for_nobody(cast):
    acting = acting_for(cast.proxies.full_caregiver, cast.second_patient)
    assert (acting.relationship, acting.patient) == (Relationship.NONE, None)


def test_a_patient_who_helps_someone_falls_back_to_their_own_record(cast):
    make_grant(
        cast.second_patient,
        cast.patient_user,
        granted_by=cast.second_patient_user,
        scopes=["results"],
    )
    own = resolve_acting_context(cast.patient_user, "")
    helping = acting_for(cast.patient_user, cast.second_patient)
    assert (own.relationship, own.patient, len(own.helped)) == (Relationship.SELF, cast.patient, 1)
    assert (helping.relationship, helping.patient, helping.own_patient) == (
        Relationship.PROXY,
        cast.second_patient,
        cast.patient,
    )
    assert helping.record_parts == frozenset({"results", "vitals"})


def test_the_parent_of_a_child_sees_the_whole_record(cast):
    acting = acting_for(cast.proxies.parent_of_child, cast.proxies.child)
    assert (acting.scopes, acting.record_parts) == (frozenset(ALL_SCOPES), ALL_RECORD_PARTS)


def test_the_parent_of_a_teenager_gets_the_limited_view(cast):
    acting = acting_for(cast.proxies.parent_of_teen, cast.proxies.teen)
    assert (acting.scopes, acting.record_parts) == (
        TEEN_SCOPES,
        frozenset({"allergies", "immunizations"}),
    )


def test_what_the_teenager_shares_widens_the_parents_view_at_once(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    set_teen_sharing(actor=cast.proxies.teen_user, grant=grant, scopes=["results", "record"])
    acting = acting_for(cast.proxies.parent_of_teen, cast.proxies.teen)
    assert (acting.scopes, acting.record_parts) == (
        TEEN_SCOPES | {"results"},
        FULL_RECORD_PARTS | {"results", "vitals"},
    )


def test_resolution_costs_three_queries_however_many_grants(cast, django_assert_num_queries):
    cora = cast.proxies.full_caregiver
    for _ in range(5):
        make_grant(
            factories.make_patient(cast.clinic),
            cora,
            granted_by=cast.front_desk,
            scopes=["billing"],
        )
    with django_assert_num_queries(3):
        acting = acting_for(cora, cast.patient)
    assert (len(acting.helped), acting.patient) == (6, cast.patient)


# Age transitions: Kim is born 10 June 2014 and has a parent with every scope. The clinic is
# in New York, so birthdays turn over at midnight there, 04:00 UTC in June.
KIM_BORN = datetime.date(2014, 6, 10)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def new_york(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NEW_YORK)


@pytest.fixture
def kim(cast):
    child = factories.make_patient(cast.clinic, given_name="Kim", birth_date=KIM_BORN)
    parent = factories.make_user(email="kims.parent@example.org")
    with time_machine.travel(new_york(datetime.date(2020, 1, 1), 12), tick=False):
        make_grant(
            child,
            parent,
            granted_by=cast.front_desk,
            scopes=ALL_SCOPES,
            is_parental=True,
            relationship="parent",
        )
    return child, parent


@pytest.mark.parametrize(
    ("moment", "scopes", "parts"),
    [
        # The evening before the 12th birthday, in New York (already the 10th in UTC).
        (new_york(datetime.date(2026, 6, 9), 23, 30), frozenset(ALL_SCOPES), ALL_RECORD_PARTS),
        # The 12th birthday: the teen rules apply from midnight in New York.
        (
            new_york(datetime.date(2026, 6, 10), 0, 1),
            TEEN_SCOPES,
            frozenset({"allergies", "immunizations"}),
        ),
        (
            new_york(datetime.date(2032, 6, 9), 23, 59),
            TEEN_SCOPES,
            frozenset({"allergies", "immunizations"}),
        ),
        # The 18th birthday: the parent's access ends by itself, before any task runs.
        (new_york(datetime.date(2032, 6, 10), 0, 1), frozenset(), None),
    ],
)
def test_age_rules_follow_the_clock(kim, moment, scopes, parts):
    child, parent = kim
    with time_machine.travel(moment, tick=False):
        acting = acting_for(parent, child)
    if parts is None:
        assert (acting.relationship, acting.patient, acting.helped) == (Relationship.NONE, None, ())
    else:
        assert (acting.relationship, acting.scopes, acting.record_parts) == (
            Relationship.PROXY,
            scopes,
            parts,
        )


def test_an_end_date_ends_access_after_its_last_day(cast):
    pat, cora = cast.patient, cast.proxies.full_caregiver
    grant = cast.proxies.grants["full_caregiver"]
    grant.ends_on = datetime.date(2030, 3, 31)
    grant.save()
    with time_machine.travel(new_york(datetime.date(2030, 3, 31), 23, 59), tick=False):
        assert acting_for(cora, pat).is_proxy is True
    with time_machine.travel(new_york(datetime.date(2030, 4, 1), 0, 1), tick=False):
        assert acting_for(cora, pat).is_proxy is False
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
