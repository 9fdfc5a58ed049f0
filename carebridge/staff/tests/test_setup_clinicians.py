"""The clinic's clinicians: administrators list, add and change their own clinic's clinicians,
with an NPI that passes its check digit, the places they work at and their staff account.
Another clinic's clinician, place or staff account is refused; every change is audited."""

from __future__ import annotations

from typing import Any

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Practitioner, StaffMember
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.factories import make_location, make_practitioner
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LIST_URL = "/staff/setup/clinicians/"
ADD_URL = "/staff/setup/clinicians/add/"
NPI_ERROR = "That NPI is not right: it has ten digits, the last a check digit."


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "given_name": "Maya",
        "family_name": "Chen",
        "credentials": "MD",
        "specialty": "Family medicine",
        "npi": "1234567893",
        "places": [],
        "staff": "",
    } | changes


def _events() -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        (e.action, e.object_id, e.changes)
        for e in AuditEvent.objects.filter(object_type="practitioner").order_by("sequence")
    ]


def _staff_id(cast: Cast) -> int:
    return StaffMember.objects.get(user=cast.clinician).pk


def test_the_admin_adds_a_clinician_with_places_and_account(cast: Cast) -> None:
    main = make_location(cast.clinic, name="Main Street Office")
    hill = make_location(cast.clinic, name="Hill Road Office")
    data = _form(places=[main.pk, hill.pk], staff=_staff_id(cast))
    response = client_for(cast.clinic_admin).post(ADD_URL, data)
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["Maya Chen, MD is added."]
    clinician = Practitioner.objects.get(clinic=cast.clinic)
    assert (
        clinician.npi,
        clinician.user_id,
        sorted(p.name for p in clinician.locations.all()),
    ) == (
        "1234567893",
        cast.clinician.pk,
        ["Hill Road Office", "Main Street Office"],
    )
    assert _events() == [
        (
            "create",
            str(clinician.pk),
            {
                "credentials": {"before": None, "after": "MD"},
                "family_name": {"before": None, "after": "Chen"},
                "given_name": {"before": None, "after": "Maya"},
                "npi": {"before": None, "after": "1234567893"},
                "places": {"before": None, "after": ["Hill Road Office", "Main Street Office"]},
                "specialty": {"before": None, "after": "Family medicine"},
                "staff_account": {"before": None, "after": cast.clinician.email},
            },
        )
    ]
    body = client_for(cast.clinic_admin).get(LIST_URL).content.decode()
    assert "<strong>Maya Chen, MD</strong>" in body


def test_the_admin_changes_a_clinician_and_only_the_change_is_audited(cast: Cast) -> None:
    main = make_location(cast.clinic, name="Main Street Office")
    clinician = make_practitioner(
        cast.clinic,
        given_name="Maya",
        family_name="Chen",
        specialty="Family medicine",
        npi="1234567893",
    )
    url = f"/staff/setup/clinicians/{clinician.pk}/"
    page = client_for(cast.clinic_admin).get(url)
    assert page.context["form"].initial == {
        "given_name": "Maya",
        "family_name": "Chen",
        "credentials": "MD",
        "specialty": "Family medicine",
        "npi": "1234567893",
        "places": [],
        "staff": None,
    }
    response = client_for(cast.clinic_admin).post(url, _form(places=[main.pk], npi=""))
    assert response.status_code == 302
    assert _events() == [
        (
            "update",
            str(clinician.pk),
            {
                "npi": {"before": "1234567893", "after": ""},
                "places": {"before": [], "after": ["Main Street Office"]},
            },
        )
    ]
    assert list(clinician.locations.all()) == [main]


@pytest.mark.parametrize("npi", ["1234567890", "123456789", "12345678a3"])
def test_an_npi_that_fails_its_check_is_refused(cast: Cast, npi: str) -> None:
    response = client_for(cast.clinic_admin).post(ADD_URL, _form(npi=npi))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {"npi": [NPI_ERROR]}
    assert not Practitioner.objects.exists()
    assert _events() == []


def test_another_clinics_place_or_account_cannot_be_chosen(cast: Cast) -> None:
    theirs = make_location(cast.other_clinic, name="Hilltop Office")
    their_admin = StaffMember.objects.get(user=cast.other_clinic_admin).pk
    response = client_for(cast.clinic_admin).post(
        ADD_URL, _form(places=[theirs.pk], staff=their_admin)
    )
    assert response.context["form"].errors == {
        "places": [f"Select a valid choice. {theirs.pk} is not one of the available choices."],
        "staff": ["Select a valid choice. That choice is not one of the available choices."],
    }
    assert not Practitioner.objects.exists()


def test_a_staff_account_already_linked_is_refused(cast: Cast) -> None:
    make_practitioner(cast.clinic, user=cast.clinician)
    response = client_for(cast.clinic_admin).post(ADD_URL, _form(staff=_staff_id(cast)))
    assert response.context["form"].errors == {
        "__all__": ["That staff account already belongs to another clinician."]
    }
    assert Practitioner.objects.count() == 1


def test_another_clinics_clinician_is_a_404_and_nothing_changes(cast: Cast) -> None:
    theirs = make_practitioner(cast.other_clinic, given_name="Kim", family_name="Lee")
    url = f"/staff/setup/clinicians/{theirs.pk}/"
    admin = client_for(cast.clinic_admin)
    assert admin.get(url).status_code == 404
    assert admin.post(url, _form()).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.given_name, theirs.npi) == ("Kim", "")
    assert _events() == []
    assert client_for(cast.other_clinic_admin).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["nurse", "clinician", "patient_user"])
def test_others_cannot_add_clinicians(cast: Cast, persona: str) -> None:
    assert client_for(getattr(cast, persona)).post(ADD_URL, _form()).status_code == 404
    assert not Practitioner.objects.exists()


def test_saving_unchanged_keeps_a_link_to_an_account_no_longer_active(cast: Cast) -> None:
    clinician = make_practitioner(
        cast.clinic, given_name="Maya", family_name="Chen", user=cast.clinician
    )
    StaffMember.objects.filter(user=cast.clinician).update(is_active=False)
    data = _form(specialty="", npi="", staff=_staff_id(cast))
    response = client_for(cast.clinic_admin).post(f"/staff/setup/clinicians/{clinician.pk}/", data)
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.user_id == cast.clinician.pk
    assert _events() == []
    # A new clinician cannot be linked to it.
    response = client_for(cast.clinic_admin).post(ADD_URL, _form(staff=_staff_id(cast)))
    assert "staff" in response.context["form"].errors
