"""`carebridge setup`: from an empty installation to a clinic with its first administrator.

Nobody is in the cast here: the command runs on an empty database, as on a new installation.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from carebridge.accounts.models import User
from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Clinic, Location, StaffMember, StaffRole
from carebridge.notifications.models import Notice
from carebridge.records.management.commands.import_fhir import choose_clinic

pytestmark = pytest.mark.django_db

OPTIONS = [
    "--clinic-name=Maple Street Health",
    "--time-zone=America/Chicago",
    "--phone=(312) 555-0142",
    "--address-line=400 Maple Street",
    "--city=Springfield",
    "--state=IL",
    "--postal-code=62704",
    "--admin-email=Rosa.Diaz@maple.example",
    "--admin-given-name=Rosa",
    "--admin-family-name=Diaz",
    "--no-input",
]
PASSWORD = "a long new password for Rosa"


def _setup(*options: str) -> str:
    out = io.StringIO()
    call_command("setup", *options, stdout=out)
    return out.getvalue()


def _link(output: str) -> str:
    found = re.search(r"http://\S+/account/password/reset/key/\S+/", output)
    assert found is not None, output
    return found.group(0).split("/account/", 1)[1]


def _counts() -> tuple[int, int, int, int]:
    return (
        Clinic.objects.count(),
        User.objects.count(),
        StaffMember.objects.count(),
        Location.objects.count(),
    )


@override_settings(DEBUG=False)
def test_setup_makes_the_clinic_and_its_administrator_with_a_one_time_link() -> None:
    output = _setup(*OPTIONS)
    clinic = Clinic.objects.get()
    assert (clinic.name, clinic.slug, clinic.time_zone, clinic.phone) == (
        "Maple Street Health",
        "maple-street-health",
        "America/Chicago",
        "(312) 555-0142",
    )
    place = Location.objects.get(clinic=clinic)
    assert (place.address_line, place.city, place.state, place.postal_code) == (
        "400 Maple Street",
        "Springfield",
        "IL",
        "62704",
    )
    admin = User.objects.get()
    assert (admin.email, admin.first_name, admin.has_usable_password()) == (
        "rosa.diaz@maple.example",
        "Rosa",
        False,
    )
    assert EmailAddress.objects.get(user=admin).verified
    member = StaffMember.objects.get(user=admin)
    assert (member.clinic, member.role) == (clinic, StaffRole.CLINIC_ADMIN)
    assert admin.has_perm("clinic.manage_clinic") and admin.has_perm("clinic.import_records")
    assert AuditEvent.objects.filter(object_type="clinic_setup", object_id=str(clinic.pk)).exists()
    # The importer now finds the clinic without being told which.
    assert choose_clinic(None) == clinic
    # The link lets Rosa choose a password, once; then she signs in and is sent to set up
    # two-step verification before anything else.
    client = Client()
    page = client.get("/account/" + _link(output), follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else "/account/" + _link(output)
    chosen = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert chosen.status_code == 302
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)
    again = Client().get("/account/" + _link(output), follow=True).content.decode()
    assert "This link no longer works" in again
    assert 'name="password1"' not in again
    signed_in = Client()
    landed = signed_in.post(
        "/account/login/", {"login": "rosa.diaz@maple.example", "password": PASSWORD}
    )
    assert landed.status_code == 302
    assert signed_in.get("/staff/")["Location"].startswith("/account/2fa/")


def test_running_it_twice_is_refused_and_changes_nothing() -> None:
    _setup(*OPTIONS)
    before = _counts()
    with pytest.raises(CommandError, match="A clinic is already set up here"):
        _setup(*OPTIONS[:-3], "--admin-email=other@maple.example", *OPTIONS[-3:])
    assert _counts() == before


def test_another_clinic_must_be_asked_for() -> None:
    _setup(*OPTIONS)
    _setup(
        "--clinic-name=Maple Street Health",
        "--time-zone=America/Chicago",
        "--admin-email=sam@maple.example",
        "--admin-given-name=Sam",
        "--admin-family-name=Lee",
        "--another-clinic",
        "--no-input",
    )
    assert sorted(Clinic.objects.values_list("slug", flat=True)) == [
        "maple-street-health",
        "maple-street-health-2",
    ]
    # No address given: no place made for the second clinic.
    assert Location.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("--time-zone=Mars/Olympus", "is not a time zone"),
        ("--admin-email=not-an-address", "Give the administrator's e-mail address."),
        ("--admin-given-name= ", "Give --admin-given-name"),
        ("--clinic-name=", "Give --clinic-name"),
    ],
)
def test_bad_answers_are_refused_plainly_and_nothing_is_made(change: str, message: str) -> None:
    name = change.split("=", 1)[0]
    options = [option for option in OPTIONS if not option.startswith(name + "=")]
    with pytest.raises(CommandError, match=re.escape(message)):
        _setup(*options, change)
    assert _counts() == (0, 0, 0, 0)


def test_the_link_can_be_e_mailed_through_the_outbox(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        output = _setup(*OPTIONS, "--email-link")
    assert "e-mailed to rosa.diaz@maple.example" in output
    assert "/account/password/reset/key/" not in output
    notice = Notice.objects.get(to_address="rosa.diaz@maple.example")
    assert (notice.kind, notice.status) == ("account", "sent")
    # Delivered by the worker (here at once, the test settings' task backend); the notice's
    # body is cleared once sent, as it holds the link.
    (sent,) = mail.outbox
    assert sent.to == ["rosa.diaz@maple.example"]
    assert "/account/password/reset/key/" in sent.body and "Maple Street Health" in sent.body
