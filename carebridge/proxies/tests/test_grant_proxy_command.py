import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.proxies.models import GrantStatus, ProxyGrant
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(cast):
    return factories.make_patient(cast.clinic, mrn="RFC-2001", birth_date=datetime.date(2017, 5, 5))


@pytest.fixture
def parent():
    return factories.make_user(email="paula@example.org")


def run(*extra, mrn="RFC-2001", proxy="paula@example.org", scopes="record,results,appointments"):
    out = io.StringIO()
    args = ["--patient-mrn", mrn, "--proxy-email", proxy, "--relationship", "parent"]
    args += ["--scopes", scopes, "--staff-email", "fran@example.org", *extra]
    call_command("grant_proxy", *args, stdout=out)
    return out.getvalue()


def test_grants_a_parent_and_says_what(cast, child, parent):
    output = run("--clinic", "riverside", "--note", "Passport seen")
    grant = ProxyGrant.objects.get()
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
        "Granted parent access to paula@example.org for patient RFC-2001: "
        "Appointments, Health record, Test results."
    )
    event = AuditEvent.objects.get(action=AuditAction.GRANT)
    assert (event.actor, event.patient, event.acting_as) == (cast.front_desk, child, "staff")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mrn": "NOPE"}, "No patient has the medical record number NOPE."),
        ({"mrn": "RFC-1001"}, "This patient is an adult"),
        ({"scopes": "record,everything"}, "Unknown or missing scopes: everything."),
        ({"scopes": ","}, "Unknown or missing scopes: -."),
        ({"proxy": "nobody@example.org"}, "No portal account uses nobody@example.org."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(cast, child, parent, kwargs, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        run(**kwargs)
    assert not ProxyGrant.objects.exists()


def test_staff_of_another_clinic_is_refused(cast, child, parent):
    out = io.StringIO()
    args = ["--patient-mrn", "RFC-2001", "--proxy-email", "paula@example.org"]
    args += ["--relationship", "parent", "--scopes", "record"]
    args += ["--staff-email", "olive@example.org"]
    with pytest.raises(CommandError, match=r"olive@example\.org is not active staff"):
        call_command("grant_proxy", *args, stdout=out)
    with pytest.raises(CommandError, match=r"No staff account uses x@example\.org"):
        call_command("grant_proxy", *args[:-1], "x@example.org", stdout=out)
    assert not ProxyGrant.objects.exists()


def test_a_second_grant_is_refused(cast, child, parent):
    run()
    with pytest.raises(CommandError, match="already has access"):
        run()
    assert ProxyGrant.objects.count() == 1
