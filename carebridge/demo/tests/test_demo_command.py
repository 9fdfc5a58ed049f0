import io
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember
from carebridge.demo.services import load_demo_clinic
from carebridge.patients.models import Patient

pytestmark = pytest.mark.django_db

STAFF_ROLES = ["clinician", "nurse", "front_desk", "billing", "clinic_admin"]


def _demo(*args, records=False):
    # Generating and importing twelve health records takes seconds: only the tests about the
    # records ask for them.
    out = io.StringIO()
    call_command("demo", *args, *([] if records else ["--without-records"]), stdout=out)
    return out.getvalue()


def _counts():
    return {
        "clinics": Clinic.objects.count(),
        "locations": Location.objects.count(),
        "practitioners": Practitioner.objects.count(),
        "users": User.objects.count(),
        "email_addresses": EmailAddress.objects.count(),
        "patients": Patient.objects.count(),
        "enrolled": Patient.objects.with_portal_account().count(),
        "staff": StaffMember.objects.count(),
        **{role: StaffMember.objects.filter(role=role).count() for role in STAFF_ROLES},
    }


EXPECTED_COUNTS = {
    "clinics": 1,
    "locations": 2,
    "practitioners": 5,
    # Five staff, ten enrolled patients, the caregiver and the parent.
    "users": 17,
    "email_addresses": 17,
    "patients": 12,
    "enrolled": 10,
    "staff": 5,
    **dict.fromkeys(STAFF_ROLES, 1),
}


def test_running_twice_creates_nothing_new():
    _demo()
    assert _counts() == EXPECTED_COUNTS
    _demo()
    assert _counts() == EXPECTED_COUNTS


def test_json_lists_exactly_the_sign_ins():
    sign_ins = json.loads(_demo("--json"))
    assert [entry["role"] for entry in sign_ins] == [
        *STAFF_ROLES,
        *["patient"] * 10,
        "caregiver",
        "parent",
    ]
    assert sign_ins[0] == {
        "role": "clinician",
        "name": "Maya Chen",
        "email": "clinician@demo.carebridge.test",
    }
    assert {entry["email"] for entry in sign_ins[:5]} == {
        "clinician@demo.carebridge.test",
        "nurse@demo.carebridge.test",
        "front-desk@demo.carebridge.test",
        "billing@demo.carebridge.test",
        "clinic-admin@demo.carebridge.test",
    }
    assert all(set(entry) == {"role", "name", "email"} for entry in sign_ins)
    assert all(entry["email"].endswith("@demo.carebridge.test") for entry in sign_ins)
    patient_emails = {entry["email"] for entry in sign_ins if entry["role"] == "patient"}
    assert patient_emails == set(
        Patient.objects.with_portal_account().values_list("user__email", flat=True)
    )


def test_clinic_shape():
    _demo()
    clinic = Clinic.objects.get()
    assert (clinic.name, clinic.slug, clinic.time_zone) == (
        "Riverside Family Clinic",
        "riverside",
        "America/New_York",
    )
    assert clinic.phone == "(518) 555-0100"
    assert sorted(Location.objects.values_list("name", flat=True)) == [
        "Millbrook Falls Office",
        "Riverside Main Office",
    ]
    assert set(Practitioner.objects.values_list("credentials", flat=True)) == {"MD", "DO", "NP"}
    assert not Practitioner.objects.filter(locations__isnull=True).exists()
    assert not Practitioner.objects.filter(specialty="").exists()
    clinician = User.objects.get(email="clinician@demo.carebridge.test")
    assert clinician.practitioner.display_name == "Maya Chen, MD"


def test_staff_have_one_role_group_and_no_mfa_yet():
    _demo()
    _demo()
    for member in StaffMember.objects.select_related("user"):
        assert list(member.user.groups.values_list("name", flat=True)) == [member.role]
        assert member.is_active
    assert Authenticator.objects.count() == 0


def test_patients_of_every_age_and_children_unenrolled():
    _demo()
    today = timezone.localdate()
    ages = {patient.mrn: patient.age(today) for patient in Patient.objects.all()}
    assert any(age < 12 for age in ages.values())
    assert any(12 <= age <= 17 for age in ages.values())
    assert any(age > 75 for age in ages.values())
    unenrolled = Patient.objects.filter(user__isnull=True)
    assert unenrolled.count() == 2
    assert all(patient.age(today) < 12 for patient in unenrolled)
    assert Patient.objects.filter(preferred_language="es").count() == 3


def test_enrolment_tried_in_the_demo_survives_a_rerun():
    _demo()
    child = Patient.objects.filter(user__isnull=True).order_by("mrn").first()
    parent_made = User.objects.create_user(email="tried@example.org", password="x" * 12)
    Patient.objects.filter(pk=child.pk).update(user=parent_made)
    _demo()
    child.refresh_from_db()
    assert child.user == parent_made


def test_demo_users_sign_in_with_the_password():
    sign_ins = json.loads(_demo("--json"))
    for entry in (sign_ins[0], sign_ins[4], sign_ins[5]):
        assert Client().login(email=entry["email"], password="carebridge-demo-2026") is True
    assert Client().login(email=sign_ins[5]["email"], password="wrong-password-123") is False


def test_a_chosen_password_replaces_the_last_one():
    _demo()
    _demo("--password", "a quiet green meadow")
    email = "nurse@demo.carebridge.test"
    assert Client().login(email=email, password="a quiet green meadow") is True
    assert Client().login(email=email, password="carebridge-demo-2026") is False


def test_text_output_lists_sign_ins_password_and_mfa_note():
    output = _demo()
    assert "  Role                  Name              E-mail\n" in output
    assert "  Clinician             Maya Chen         clinician@demo.carebridge.test\n" in output
    assert "  Front desk            Luis Romero       front-desk@demo.carebridge.test\n" in output
    assert "Password for every account: carebridge-demo-2026\n" in output
    assert "set up two-step verification" in output
    assert output.count("  Patient  ") == 10


def test_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError) as error:
        _demo()
    assert str(error.value) == "The demo clinic cannot be loaded in production mode."
    assert error.value.returncode == 1
    assert Clinic.objects.count() == 0
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
    ],
)
def test_weak_password_is_refused(password, problem):
    with pytest.raises(CommandError) as error:
        _demo("--password", password)
    assert problem in str(error.value)
    assert str(error.value).startswith("Choose another password. ")
    assert User.objects.count() == 0


def test_service_returns_sign_ins_in_role_then_mrn_order():
    sign_ins = load_demo_clinic("carebridge-demo-2026", with_records=False)
    assert [s.role for s in sign_ins[:5]] == STAFF_ROLES
    emails_by_mrn = list(
        Patient.objects.with_portal_account().order_by("mrn").values_list("user__email", flat=True)
    )
    assert [s.email for s in sign_ins[5:15]] == emails_by_mrn
    assert [s.role for s in sign_ins[15:]] == ["caregiver", "parent"]
