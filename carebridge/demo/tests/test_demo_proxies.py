"""The demo's caregiver and parent: their accounts, grants, sign-ins and what they may see.

The demo runs on a fixed day (Wednesday 4 March 2026 in New York), so the grants' start dates
are exact, and without the generated health records, which these tests do not need.
"""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from carebridge.accounts.models import User
from carebridge.audit.models import AuditEvent
from carebridge.demo.management.commands.demo import role_label
from carebridge.demo.services import load_demo_clinic
from carebridge.patients.models import Patient
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.proxies.resolution import resolve_acting_context
from carebridge.proxies.services import revoke_grant

pytestmark = pytest.mark.django_db

PASSWORD = "carebridge-demo-2026"
NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 4)
CAREGIVER_EMAIL = "caregiver@demo.carebridge.test"
PARENT_EMAIL = "parent@demo.carebridge.test"
FRONT_DESK_EMAIL = "front-desk@demo.carebridge.test"
EVERY_SCOPE = ["account", "appointments", "billing", "messaging", "record", "results"]
CAREGIVER_SCOPES = ["appointments", "messaging", "record", "results"]
EVERY_PART = frozenset(
    {
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
)
PARENT_NOTE = "Demo: identity and relationship checked at the front desk"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _load():
    return load_demo_clinic(PASSWORD, with_records=False)


def _demo(*args):
    out = io.StringIO()
    call_command("demo", "--without-records", *args, stdout=out)
    return out.getvalue()


def _oldest_enrolled():
    return Patient.objects.with_portal_account().order_by("birth_date").first()


def _youngest_aged(youngest, oldest):
    in_band = [p for p in Patient.objects.all() if youngest <= p.age(TODAY) <= oldest]
    return max(in_band, key=lambda patient: patient.birth_date)


def _child():
    return _youngest_aged(1, 11)


def _teen():
    return _youngest_aged(12, 17)


def _grants(email):
    return ProxyGrant.objects.filter(proxy__email=email).order_by("patient__birth_date")


def _state(grant):
    return {
        "patient": grant.patient_id,
        "relationship": grant.relationship,
        "scopes": grant.scopes,
        "is_parental": grant.is_parental,
        "status": grant.status,
        "starts_on": grant.starts_on,
        "ends_on": grant.ends_on,
        "granted_by": grant.granted_by.email,
        "note": grant.note,
        "teen_shared_scopes": grant.teen_shared_scopes,
    }


def _caregiver_state():
    oldest = _oldest_enrolled()
    return {
        "patient": oldest.pk,
        "relationship": "adult_child",
        "scopes": CAREGIVER_SCOPES,
        "is_parental": False,
        "status": "active",
        "starts_on": datetime.date(2026, 1, 3),
        "ends_on": None,
        "granted_by": oldest.user.email,
        "note": "",
        "teen_shared_scopes": [],
    }


def _parent_state(patient):
    return {
        "patient": patient.pk,
        "relationship": "parent",
        "scopes": EVERY_SCOPE,
        "is_parental": True,
        "status": "active",
        "starts_on": datetime.date(2025, 12, 4),
        "ends_on": None,
        "granted_by": FRONT_DESK_EMAIL,
        "note": PARENT_NOTE,
        "teen_shared_scopes": [],
    }


def _expected_states():
    return {
        CAREGIVER_EMAIL: [_caregiver_state()],
        # Oldest first: the teenager, then the child.
        PARENT_EMAIL: [_parent_state(_teen()), _parent_state(_child())],
    }


def _states():
    return {email: [_state(g) for g in _grants(email)] for email in (CAREGIVER_EMAIL, PARENT_EMAIL)}


def test_caregiver_and_parent_accounts():
    _load()
    caregiver = User.objects.get(email=CAREGIVER_EMAIL)
    parent = User.objects.get(email=PARENT_EMAIL)
    assert (caregiver.first_name, caregiver.last_name) == ("Carol", "Reyes")
    assert (parent.first_name, parent.last_name) == ("Jordan", "Bell")
    assert caregiver.emailaddress_set.get().verified is True
    assert parent.emailaddress_set.get().verified is True
    assert not Patient.objects.filter(user__in=[caregiver, parent]).exists()
    assert Client().login(email=CAREGIVER_EMAIL, password=PASSWORD) is True
    assert Client().login(email=PARENT_EMAIL, password=PASSWORD) is True


def test_exact_grants():
    _load()
    assert _states() == _expected_states()
    assert ProxyGrant.objects.count() == 3


def test_chosen_patients_are_the_oldest_the_youngest_child_and_a_teenager():
    _load()
    (caregiver_grant,) = _grants(CAREGIVER_EMAIL)
    ages = sorted(p.age(TODAY) for p in Patient.objects.all())
    assert caregiver_grant.patient.age(TODAY) == ages[-1]
    assert caregiver_grant.patient.age(TODAY) >= 76
    teen_grant, child_grant = _grants(PARENT_EMAIL)
    assert child_grant.patient.user is None
    assert 1 <= child_grant.patient.age(TODAY) <= 11
    assert teen_grant.patient.user is not None
    assert 12 <= teen_grant.patient.age(TODAY) <= 17


def test_the_grants_write_no_audit_events():
    _load()
    # The only events are those of the sample conversation and refill request, which go
    # through the messaging services (`test_demo_messaging`); that no e-mail leaves the demo is
    # checked there too, with real commits.
    assert set(AuditEvent.objects.values_list("object_type", flat=True)) == {
        "message_thread",
        "care_request",
    }


def test_running_twice_keeps_the_same_grants():
    _load()
    pks = set(ProxyGrant.objects.values_list("pk", flat=True))
    _load()
    assert set(ProxyGrant.objects.values_list("pk", flat=True)) == pks
    assert _states() == _expected_states()


def test_a_rerun_puts_a_changed_grant_back():
    _load()
    teen_grant, _child_grant = _grants(PARENT_EMAIL)
    ProxyGrant.objects.filter(pk=teen_grant.pk).update(
        scopes=["billing"],
        teen_shared_scopes=["record"],
        ends_on=datetime.date(2026, 3, 5),
        note="changed",
    )
    _load()
    assert _states() == _expected_states()
    assert _grants(PARENT_EMAIL)[0].pk == teen_grant.pk


def _revoke_caregiver_grant():
    (grant,) = _grants(CAREGIVER_EMAIL)
    revoke_grant(actor=grant.patient.user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT)
    return grant


def _withdraw_parent_grant():
    teen_grant, _child_grant = _grants(PARENT_EMAIL)
    revoke_grant(actor=teen_grant.proxy, grant=teen_grant, reason=EndReason.WITHDRAWN_BY_PROXY)
    return teen_grant


@pytest.mark.parametrize("end", [_revoke_caregiver_grant, _withdraw_parent_grant])
def test_an_ended_grant_stays_and_a_fresh_one_replaces_it(end):
    _load()
    ended = end()
    _load()
    ended.refresh_from_db()
    assert ended.status == GrantStatus.REVOKED
    assert ended.ended_at is not None
    same_pair = ProxyGrant.objects.filter(patient=ended.patient, proxy=ended.proxy)
    assert same_pair.count() == 2
    (fresh,) = same_pair.open()
    assert fresh.pk != ended.pk
    assert fresh.status == GrantStatus.ACTIVE
    assert ProxyGrant.objects.open().count() == 3
    assert ProxyGrant.objects.count() == 4
    # The ended grant is history only: the open grants are exactly the defined ones.
    open_states = {
        email: [_state(g) for g in _grants(email).open()]
        for email in (CAREGIVER_EMAIL, PARENT_EMAIL)
    }
    assert open_states == _expected_states()


def test_sign_ins_end_with_the_caregiver_and_the_parent():
    sign_ins = json.loads(_demo("--json"))
    assert sign_ins[-2:] == [
        {"role": "caregiver", "name": "Carol Reyes", "email": CAREGIVER_EMAIL},
        {"role": "parent", "name": "Jordan Bell", "email": PARENT_EMAIL},
    ]
    assert [entry["role"] for entry in sign_ins].count("patient") == 10


def test_text_output_lists_the_caregiver_and_the_parent():
    output = _demo()
    assert "  Caregiver             Carol Reyes       caregiver@demo.carebridge.test\n" in output
    assert "  Parent or guardian    Jordan Bell       parent@demo.carebridge.test\n" in output


def test_role_labels():
    assert role_label("caregiver") == "Caregiver"
    assert role_label("parent") == "Parent or guardian"
    assert role_label("patient") == "Patient"
    assert role_label("front_desk") == "Front desk"


def test_parent_sees_the_teen_limited_view_and_everything_for_the_child():
    _load()
    parent = User.objects.get(email=PARENT_EMAIL)
    teen, child = _teen(), _child()
    for_teen = resolve_acting_context(parent, str(teen.pk))
    assert for_teen.patient == teen
    assert for_teen.is_proxy is True
    assert for_teen.record_parts == frozenset({"allergies", "immunizations"})
    assert for_teen.scopes == frozenset({"appointments", "billing", "messaging", "record"})
    for_child = resolve_acting_context(parent, str(child.pk))
    assert for_child.patient == child
    assert for_child.record_parts == EVERY_PART
    assert for_child.scopes == frozenset(EVERY_SCOPE)
    assert {helped.patient_id for helped in for_child.helped} == {str(teen.pk), str(child.pk)}


def test_caregiver_acts_for_the_oldest_patient_without_bills_or_settings():
    _load()
    caregiver = User.objects.get(email=CAREGIVER_EMAIL)
    oldest = _oldest_enrolled()
    acting = resolve_acting_context(caregiver, str(oldest.pk))
    assert acting.patient == oldest
    assert acting.scopes == frozenset(CAREGIVER_SCOPES)
    assert acting.record_parts == EVERY_PART
    assert acting.may("billing") is False
    assert acting.may("account") is False
    assert [helped.relationship_label for helped in acting.helped] == ["Adult child"]
