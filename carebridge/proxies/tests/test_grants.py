import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies import rules
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.services import (
    accept_invitation,
    change_scopes,
    grant_parental_access,
    invite_caregiver,
    revoke_grant,
    set_teen_sharing,
)
from carebridge.testing import factories

pytestmark = pytest.mark.django_db
# Noon in New York (the clinic's time zone) on 1 June 2025.
JUNE_1 = datetime.datetime(2025, 6, 1, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture
def parent():
    return factories.make_user(email="pam@example.org", first_name="Pam", last_name="Parent")


def minor(cast, born, **fields):
    return factories.make_patient(cast.clinic, birth_date=born, **fields)


def grant_parent(cast, patient, proxy, **fields):
    defaults = {
        "actor": cast.front_desk,
        "patient": patient,
        "proxy": proxy,
        "relationship": "parent",
        "scopes": ["record", "results", "appointments"],
        "note": "Birth certificate seen",
    }
    return grant_parental_access(**(defaults | fields))


def new_grants(cast):
    """The grants a test made (the cast's own caregivers and parents left out)."""
    return ProxyGrant.objects.exclude(pk__in=[grant.pk for grant in cast.proxies.grants.values()])


def last_event():
    return AuditEvent.objects.order_by("-sequence").first()


@time_machine.travel(JUNE_1, tick=False)
def test_staff_grant_is_active_at_once(cast, parent, django_capture_on_commit_callbacks):
    child = minor(cast, datetime.date(2016, 2, 3))
    with django_capture_on_commit_callbacks(execute=True):
        grant = grant_parent(cast, child, parent)
    grant.refresh_from_db()
    assert (grant.status, grant.proxy, grant.is_parental, grant.granted_by) == (
        GrantStatus.ACTIVE,
        parent,
        True,
        cast.front_desk,
    )
    assert (grant.starts_on, grant.note) == (datetime.date(2025, 6, 1), "Birth certificate seen")
    assert rules.scopes_now(grant) == {"record", "results", "appointments"}
    [message] = mail.outbox
    assert message.to == ["pam@example.org"]
    assert message.subject == "[Carebridge] You can now help with a family member's care"
    assert child.given_name not in message.body
    assert child.family_name not in message.body
    event = last_event()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        cast.front_desk,
        child,
        "staff",
        AuditAction.GRANT,
        "proxy_grant",
    )


def test_staff_of_another_clinic_are_refused(cast, parent):
    child = minor(cast, datetime.date(2016, 2, 3))
    with pytest.raises(PermissionError):
        grant_parent(cast, child, parent, actor=cast.other_clinic_admin)
    with pytest.raises(PermissionError):
        grant_parent(cast, child, parent, actor=cast.patient_user)
    assert not new_grants(cast).exists()


def test_adult_patient_is_refused(cast, parent):
    with pytest.raises(ValidationError):
        grant_parent(cast, cast.patient, parent)
    assert not new_grants(cast).exists()


@pytest.mark.parametrize("relationship", ["caregiver", "spouse_or_partner"])
def test_only_parents_and_guardians(cast, parent, relationship):
    child = minor(cast, datetime.date(2016, 2, 3))
    with pytest.raises(ValidationError):
        grant_parent(cast, child, parent, relationship=relationship)
    assert grant_parent(cast, child, parent, relationship="legal_guardian").is_parental


def test_a_second_open_grant_is_refused(cast, parent):
    child = minor(cast, datetime.date(2016, 2, 3))
    grant_parent(cast, child, parent)
    with pytest.raises(ValidationError):
        grant_parent(cast, child, parent)
    assert new_grants(cast).count() == 1


def test_database_allows_one_open_grant_per_proxy(cast, parent):
    child = minor(cast, datetime.date(2016, 2, 3))
    grant = grant_parent(cast, child, parent)
    fields = {"patient": child, "proxy": parent, "relationship": "parent", "granted_by": parent}
    with pytest.raises(IntegrityError), transaction.atomic():
        ProxyGrant.objects.create(status=GrantStatus.ACTIVE, **fields)
    revoke_grant(actor=cast.front_desk, grant=grant, reason=EndReason.REVOKED_BY_STAFF)
    assert ProxyGrant.objects.create(status=GrantStatus.ACTIVE, **fields).pk


def test_database_refuses_active_without_proxy_and_ended_without_time(cast, parent):
    fields = {"patient": cast.patient, "relationship": "caregiver", "granted_by": parent}
    with pytest.raises(IntegrityError), transaction.atomic():
        ProxyGrant.objects.create(status=GrantStatus.ACTIVE, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProxyGrant.objects.create(status=GrantStatus.REVOKED, proxy=parent, **fields)


def test_a_patient_cannot_be_their_own_proxy(cast):
    child_user = factories.make_user()
    child = minor(cast, datetime.date(2016, 2, 3), user=child_user)
    with pytest.raises(ValidationError):
        grant_parent(cast, child, child_user)
    assert not new_grants(cast).exists()


def caregiver_grant(cast, scopes=("appointments",)):
    _, token = invite_caregiver(
        actor=cast.patient_user,
        patient=cast.patient,
        email="chris@example.org",
        relationship="caregiver",
        scopes=scopes,
    )
    return accept_invitation(token=token, user=factories.make_user(email="chris@example.org"))


def test_patient_widens_and_narrows_a_caregiver(cast):
    grant = caregiver_grant(cast)
    grant = change_scopes(actor=cast.patient_user, grant=grant, scopes=["results", "record"])
    assert new_grants(cast).get().scopes == ["record", "results"]
    event = last_event()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        cast.patient_user,
        cast.patient,
        "self",
        AuditAction.UPDATE,
        "proxy_grant",
    )
    change_scopes(actor=cast.patient_user, grant=grant, scopes=["billing"])
    assert new_grants(cast).get().scopes == ["billing"]


def test_others_cannot_change_a_caregiver(cast):
    grant = caregiver_grant(cast)
    with pytest.raises(PermissionError):
        change_scopes(actor=cast.second_patient_user, grant=grant, scopes=["record"])
    with pytest.raises(PermissionError):
        change_scopes(actor=grant.proxy, grant=grant, scopes=["record"])
    with pytest.raises(ValidationError):
        change_scopes(actor=cast.patient_user, grant=grant, scopes=[])
    assert new_grants(cast).get().scopes == ["appointments"]


def test_a_child_cannot_change_or_revoke_the_parental_grant(cast, parent):
    child_user = factories.make_user()
    child = minor(cast, datetime.date(2016, 2, 3), user=child_user)
    grant = grant_parent(cast, child, parent)
    with pytest.raises(PermissionError):
        change_scopes(actor=child_user, grant=grant, scopes=["record"])
    with pytest.raises(PermissionError):
        revoke_grant(actor=child_user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT)
    with pytest.raises(PermissionError):
        change_scopes(actor=cast.clinician, grant=grant, scopes=["billing"])
    change_scopes(actor=cast.front_desk, grant=grant, scopes=["billing"])
    assert (new_grants(cast).get().scopes, last_event().acting_as) == (["billing"], "staff")


@time_machine.travel(JUNE_1, tick=False)
def test_teen_shares_results_with_their_parent(cast, parent):
    teen_user = factories.make_user()
    teen = minor(cast, datetime.date(2010, 1, 1), user=teen_user)
    grant = grant_parent(cast, teen, parent)
    assert rules.scopes_now(grant) == {"record", "appointments"}
    grant = set_teen_sharing(actor=teen_user, grant=grant, scopes=["results"])
    assert grant.teen_shared_scopes == ["results"]
    assert rules.scopes_now(grant) == {"record", "results", "appointments"}
    event = last_event()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        teen_user,
        teen,
        "self",
        AuditAction.UPDATE,
        "proxy_sharing",
    )
    set_teen_sharing(actor=teen_user, grant=grant, scopes=[])
    assert new_grants(cast).get().teen_shared_scopes == []


@time_machine.travel(JUNE_1, tick=False)
def test_only_a_teen_chooses_teen_sharing(cast, parent):
    child_user, teen_user = factories.make_user(), factories.make_user()
    child = minor(cast, datetime.date(2016, 1, 1), user=child_user)
    teen = minor(cast, datetime.date(2010, 1, 1), user=teen_user)
    child_grant, teen_grant = grant_parent(cast, child, parent), grant_parent(cast, teen, parent)
    with pytest.raises(ValidationError):
        set_teen_sharing(actor=child_user, grant=child_grant, scopes=["results"])
    with pytest.raises(PermissionError):
        set_teen_sharing(actor=parent, grant=teen_grant, scopes=["results"])
    assert list(new_grants(cast).values_list("teen_shared_scopes", flat=True)) == [[], []]


@time_machine.travel(datetime.datetime(2025, 3, 14, 3, 59, tzinfo=datetime.UTC), tick=False)
def test_a_child_turning_12_limits_the_parent_on_their_birthday_in_the_clinic_zone(cast, parent):
    # 03:59 UTC on 14 March is 23:59 on 13 March in New York (EDT): the child is 11 there.
    child = minor(cast, datetime.date(2013, 3, 14))
    grant = grant_parent(cast, child, parent)
    assert rules.scopes_now(grant) == {"record", "results", "appointments"}
    with time_machine.travel(datetime.datetime(2025, 3, 14, 4, 0, tzinfo=datetime.UTC), tick=False):
        assert rules.scopes_now(grant) == {"record", "appointments"}


def test_revoke_by_patient_ends_at_once_and_tells_both(cast, django_capture_on_commit_callbacks):
    grant = caregiver_grant(cast, scopes=["record", "results"])
    with django_capture_on_commit_callbacks(execute=True):
        revoked = revoke_grant(
            actor=cast.patient_user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT
        )
    assert (revoked.status, revoked.ended_by, revoked.end_reason) == (
        GrantStatus.REVOKED,
        cast.patient_user,
        EndReason.REVOKED_BY_PATIENT,
    )
    assert revoked.ended_at is not None
    assert rules.scopes_now(new_grants(cast).select_related("patient__clinic").get()) == set()
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("chris@example.org", "[Carebridge] Your access to help someone has ended"),
        ("pat@example.org", "[Carebridge] Someone's access to help you has ended"),
    ]
    for message in mail.outbox:
        assert "Why: Ended by the patient." in message.body
        assert "Pat" not in message.body
    event = last_event()
    assert (event.actor, event.patient, event.acting_as, event.action, event.object_type) == (
        cast.patient_user,
        cast.patient,
        "self",
        AuditAction.REVOKE,
        "proxy_grant",
    )


def test_revoking_twice_changes_nothing(cast, django_capture_on_commit_callbacks):
    grant = caregiver_grant(cast)
    revoke_grant(actor=cast.patient_user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT)
    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        revoke_grant(actor=cast.patient_user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT)
    assert (AuditEvent.objects.count(), mail.outbox) == (events, [])


def test_revoke_by_staff_and_by_the_proxy_record_their_reason(cast, parent):
    child = minor(cast, datetime.date(2016, 2, 3))
    staff_grant = grant_parent(cast, child, parent)
    with pytest.raises(PermissionError):
        revoke_grant(actor=cast.nurse, grant=staff_grant, reason=EndReason.REVOKED_BY_STAFF)
    with pytest.raises(ValueError, match="revoked_by_staff"):
        revoke_grant(
            actor=cast.clinic_admin, grant=staff_grant, reason=EndReason.REVOKED_BY_PATIENT
        )
    revoke_grant(actor=cast.clinic_admin, grant=staff_grant, reason=EndReason.REVOKED_BY_STAFF)
    assert last_event().acting_as == "staff"
    own = caregiver_grant(cast)
    revoke_grant(actor=own.proxy, grant=own, reason=EndReason.WITHDRAWN_BY_PROXY)
    assert last_event().acting_as == "proxy"
    assert sorted(new_grants(cast).values_list("end_reason", flat=True)) == [
        "revoked_by_staff",
        "withdrawn_by_proxy",
    ]


def test_strangers_cannot_revoke(cast):
    grant = caregiver_grant(cast)
    for stranger in (cast.second_patient_user, cast.other_clinic_admin, cast.visitor):
        with pytest.raises(PermissionError):
            revoke_grant(actor=stranger, grant=grant, reason=EndReason.REVOKED_BY_STAFF)
    assert new_grants(cast).get().status == GrantStatus.ACTIVE
