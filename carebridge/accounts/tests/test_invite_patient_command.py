import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from carebridge.accounts.models import ActivationCode
from carebridge.accounts.services import match_activation_code
from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command("invite_patient", *args, stdout=out)
    return out.getvalue()


def _code(output):
    return re.search(r"^Activation code: ([A-Z0-9-]+)$", output, re.M).group(1)


def test_prints_a_code_that_matches_the_patient(cast):
    output = _run("--mrn", "RFC-1003")
    activation = match_activation_code(_code(output), datetime.date(1990, 1, 31))
    assert activation is not None
    assert activation.patient == cast.unenrolled_patient
    assert activation.created_by is None
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    assert f"Expires: {expires_on.isoformat()}." in output
    event = AuditEvent.objects.get(action=AuditAction.INVITE)
    assert (event.actor, event.patient, event.acting_as) == (
        None,
        cast.unenrolled_patient,
        "system",
    )


def test_a_new_code_revokes_the_earlier_one(cast):
    first = _code(_run("--mrn", "RFC-1003"))
    second = _code(_run("--mrn", "RFC-1003", "--clinic", "riverside"))
    assert match_activation_code(first, datetime.date(1990, 1, 31)) is None
    assert match_activation_code(second, datetime.date(1990, 1, 31)) is not None


def test_unknown_mrn_is_an_error(cast):
    with pytest.raises(CommandError) as error:
        _run("--mrn", "NOPE-1")
    assert str(error.value) == "No patient has the medical record number NOPE-1."
    assert error.value.returncode == 1
    assert ActivationCode.objects.count() == 0


def test_mrn_at_another_clinic_is_unknown(cast):
    with pytest.raises(
        CommandError, match=r"^No patient has the medical record number RFC-1003\.$"
    ):
        _run("--mrn", "RFC-1003", "--clinic", "hilltop")


def test_enrolled_patient_is_an_error(cast):
    with pytest.raises(CommandError) as error:
        _run("--mrn", "RFC-1001")
    assert str(error.value) == (
        "The patient with this medical record number already has a portal account."
    )
    assert ActivationCode.objects.count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.INVITE).count() == 0


def test_shared_mrn_needs_a_clinic(cast):
    theirs = factories.make_patient(
        cast.other_clinic, mrn="RFC-1003", birth_date=datetime.date(1975, 6, 1)
    )
    with pytest.raises(CommandError) as error:
        _run("--mrn", "RFC-1003")
    assert str(error.value) == (
        "Several clinics have a patient with the medical record number RFC-1003 "
        "(hilltop, riverside). Choose one with --clinic."
    )
    assert ActivationCode.objects.count() == 0
    code = _code(_run("--mrn", "RFC-1003", "--clinic", "hilltop"))
    assert match_activation_code(code, datetime.date(1975, 6, 1)).patient == theirs
