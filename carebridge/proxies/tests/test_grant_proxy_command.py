import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies.models import GrantStatus, ProxyGrant
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(cast):
    return factories.make_patient(cast.clinic, mrn="RFC-2101", birth_date=datetime.date(2017, 5, 5))


@pytest.fixture
def parent():
    return factories.make_user(email="pam@example.org")


def run(*extra, mrn="RFC-2101", proxy="pam@example.org", scopes="record,results,appointments"):
    out = io.StringIO()
    args = ["--patient-mrn", mrn, "--proxy-email", proxy, "--relationship", "parent"]
    args += ["--scopes", scopes, "--staff-email", "fran@example.org", *extra]
    call_command("grant_proxy", *args, stdout=out)
    return out.getvalue()


def test_grants_a_parent_and_says_what(cast, child, parent):
    output = run("--clinic", "riverside", "--note", "Passport seen")
    grant = ProxyGrant.objects.get(patient=child)
    assert (grant.patient, grant.proxy, grant.status, grant.is_parental) == (
        child,
        parent,
        GrantStatus.ACTIVE,
        True,
    )
    assert (grant.scopes, grant.granted_by, grant.note) == (
        ["appointments", "record", "results"],
        cast.front_desk,
        "Passport seen",
    )
    assert output.splitlines()[0] == (
        "Granted parent access to pam@example.org for patient RFC-2101: "
        "Appointments, Health record, Test results."
    )
    event = AuditEvent.objects.get(action=AuditAction.GRANT)
    assert (event.actor, event.patient, event.acting_as) == (cast.front_desk, child, "staff")


def test_a_parent_without_an_account_is_invited(cast, child, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(proxy="New.Parent@example.org")
    grant = ProxyGrant.objects.get(patient=child)
    assert (grant.status, grant.proxy, grant.invite_email, grant.is_parental) == (
        GrantStatus.INVITED,
        None,
        "new.parent@example.org",
        True,
    )
    assert output.splitlines()[0] == (
        "Invited new.parent@example.org, who has no portal account yet, to take parent access "
        "for patient RFC-2101: Appointments, Health record, Test results."
    )
    (message,) = mail.outbox
    assert message.to == ["new.parent@example.org"]
    assert "/account/caregivers/accept/" in message.body


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mrn": "NOPE"}, "No patient has the medical record number NOPE."),
        ({"mrn": "RFC-1001"}, "This patient is an adult"),
        ({"scopes": "record,everything"}, "Unknown or missing scopes: everything."),
        ({"scopes": ","}, "Unknown or missing scopes: -."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(cast, child, parent, kwargs, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        run(**kwargs)
    assert not ProxyGrant.objects.filter(patient=child).exists()


def test_staff_of_another_clinic_is_refused(cast, child, parent):
    out = io.StringIO()
    args = ["--patient-mrn", "RFC-2101", "--proxy-email", "pam@example.org"]
    args += ["--relationship", "parent", "--scopes", "record"]
    args += ["--staff-email", "olive@example.org"]
    with pytest.raises(CommandError, match=r"olive@example\.org is not active staff"):
        call_command("grant_proxy", *args, stdout=out)
    with pytest.raises(CommandError, match=r"No staff account uses x@example\.org"):
        call_command("grant_proxy", *args[:-1], "x@example.org", stdout=out)
    assert not ProxyGrant.objects.filter(patient=child).exists()


def test_a_second_grant_is_refused(cast, child, parent):
    run()
    with pytest.raises(CommandError, match="already has access"):
        run()
    assert ProxyGrant.objects.filter(patient=child).count() == 1


@pytest.mark.parametrize(
    "staff_email", ["casey@example.org", "nora@example.org", "bill@example.org"]
)
def test_staff_whose_role_does_not_give_parents_access_are_refused(
    cast, child, parent, staff_email
):
    out = io.StringIO()
    args = ["--patient-mrn", "RFC-2101", "--proxy-email", "pam@example.org"]
    args += ["--relationship", "parent", "--scopes", "record", "--staff-email", staff_email]
    with pytest.raises(CommandError, match=re.escape(f"{staff_email} is not active staff")):
        call_command("grant_proxy", *args, stdout=out)
    assert not ProxyGrant.objects.filter(patient=child).exists()


def test_clinic_administrators_may_grant(cast, child, parent):
    out = io.StringIO()
    args = ["--patient-mrn", "RFC-2101", "--proxy-email", "pam@example.org"]
    args += ["--relationship", "legal_guardian", "--scopes", "billing"]
    call_command("grant_proxy", *args, "--staff-email", "ada@example.org", stdout=out)
    grant = ProxyGrant.objects.get(patient=child)
    assert (grant.granted_by, grant.relationship, grant.scopes) == (
        cast.clinic_admin,
        "legal_guardian",
        ["billing"],
    )
