"""The clinic's places: administrators list, add, change and remove their own clinic's places.

A name the clinic already uses is refused on the form; a place with appointments or working
hours cannot be removed; another clinic's place is a 404 with nothing changed. Every change is
audited with exactly what changed.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Location
from carebridge.scheduling.tests.factories import make_appointment, make_hours, make_visit_type
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.factories import make_location, make_practitioner
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LIST_URL = "/staff/setup/places/"
ADD_URL = "/staff/setup/places/add/"
HILL_ROAD = {
    "name": "Hill Road Office",
    "address_line": "4 Hill Road",
    "city": "Springfield",
    "state": "MA",
    "postal_code": "01102",
    "phone": "555-0111",
}


def _events() -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        (e.action, e.object_id, e.changes)
        for e in AuditEvent.objects.filter(object_type="location").order_by("sequence")
    ]


def _place(cast: Cast, name: str = "Main Street Office") -> Location:
    return make_location(cast.clinic, name=name, address_line="1 Main Street", phone="")


def test_the_list_shows_only_our_clinics_places(cast: Cast) -> None:
    _place(cast)
    make_location(cast.other_clinic, name="Hilltop Office")
    body = client_for(cast.clinic_admin).get(LIST_URL).content.decode()
    assert "<strong>Main Street Office</strong>" in body
    assert "1 Main Street, Springfield, MA 01101" in body
    assert "Hilltop Office" not in body


def test_the_admin_adds_a_place(cast: Cast) -> None:
    response = client_for(cast.clinic_admin).post(
        ADD_URL, HILL_ROAD | {"name": " Hill Road Office "}
    )
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["“Hill Road Office” is added."]
    place = Location.objects.get(clinic=cast.clinic)
    assert (place.name, place.address_line, place.postal_code, place.phone) == (
        "Hill Road Office",
        "4 Hill Road",
        "01102",
        "555-0111",
    )
    assert _events() == [
        (
            "create",
            str(place.pk),
            {name: {"before": None, "after": value} for name, value in HILL_ROAD.items()},
        )
    ]


def test_the_admin_changes_a_place_and_only_the_change_is_audited(cast: Cast) -> None:
    place = _place(cast)
    data = {
        "name": "Main Street Office",
        "address_line": "1 Main Street",
        "city": "Springfield",
        "state": "MA",
        "postal_code": "01101",
        "phone": "555-0177",
    }
    url = f"/staff/setup/places/{place.pk}/"
    assert client_for(cast.clinic_admin).get(url).context["form"].initial == data | {"phone": ""}
    response = client_for(cast.clinic_admin).post(url, data)
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    place.refresh_from_db()
    assert place.phone == "555-0177"
    assert _events() == [("update", str(place.pk), {"phone": {"before": "", "after": "555-0177"}})]


@pytest.mark.parametrize("name", ["Main Street Office", "main street office"])
def test_a_name_the_clinic_already_uses_is_refused(cast: Cast, name: str) -> None:
    _place(cast)
    response = client_for(cast.clinic_admin).post(ADD_URL, HILL_ROAD | {"name": name})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": [f"The clinic already has a place called “{name}”. Choose another name."]
    }
    assert Location.objects.filter(clinic=cast.clinic).count() == 1
    assert _events() == []


def test_renaming_to_another_places_name_is_refused(cast: Cast) -> None:
    _place(cast)
    hill = _place(cast, "Hill Road Office")
    response = client_for(cast.clinic_admin).post(
        f"/staff/setup/places/{hill.pk}/", HILL_ROAD | {"name": "Main Street Office"}
    )
    assert response.context["form"].errors == {
        "name": ["The clinic already has a place called “Main Street Office”. Choose another name."]
    }
    hill.refresh_from_db()
    assert hill.name == "Hill Road Office"


def test_another_clinic_may_use_the_same_name(cast: Cast) -> None:
    _place(cast)
    response = client_for(cast.other_clinic_admin).post(
        ADD_URL, HILL_ROAD | {"name": "Main Street Office"}
    )
    assert response.status_code == 302
    assert Location.objects.filter(name="Main Street Office").count() == 2


def test_the_admin_removes_a_place_nobody_uses(cast: Cast) -> None:
    place = _place(cast)
    url = f"/staff/setup/places/{place.pk}/remove/"
    assert "Remove Main Street Office?" in client_for(cast.clinic_admin).get(url).content.decode()
    response = client_for(cast.clinic_admin).post(url)
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert flashed(response) == ["“Main Street Office” is removed."]
    assert not Location.objects.filter(pk=place.pk).exists()
    assert _events() == [
        (
            "delete",
            str(place.pk),
            {
                "address_line": {"before": "1 Main Street", "after": None},
                "city": {"before": "Springfield", "after": None},
                "name": {"before": "Main Street Office", "after": None},
                "phone": {"before": "", "after": None},
                "postal_code": {"before": "01101", "after": None},
                "state": {"before": "MA", "after": None},
            },
        )
    ]


REFUSAL = (
    "“Main Street Office” has appointments or working hours, so it cannot be removed. "
    "Move them to another place first."
)


def test_a_place_with_working_hours_is_not_removed(cast: Cast) -> None:
    place = _place(cast)
    make_hours(make_practitioner(cast.clinic), place, 0, "09:00", "12:00")
    body = client_for(cast.clinic_admin).get(LIST_URL).content.decode()
    assert "Has appointments or working hours, so it cannot be removed." in body
    response = client_for(cast.clinic_admin).post(f"/staff/setup/places/{place.pk}/remove/")
    assert response.status_code == 200
    assert response.context["refusal"] == REFUSAL
    assert Location.objects.filter(pk=place.pk).exists()
    assert _events() == []


def test_a_place_with_appointments_is_not_removed(cast: Cast) -> None:
    place = _place(cast)
    clinician = make_practitioner(cast.clinic)
    visit = make_visit_type(cast.clinic, practitioners=[clinician], locations=[place])
    starts = datetime.datetime(2026, 3, 9, 14, tzinfo=datetime.UTC)
    make_appointment(cast.patient, visit, clinician, place, starts)
    response = client_for(cast.clinic_admin).post(f"/staff/setup/places/{place.pk}/remove/")
    assert response.context["refusal"] == REFUSAL
    assert Location.objects.filter(pk=place.pk).exists()
    assert _events() == []


@pytest.mark.parametrize("suffix", ["", "remove/"])
def test_another_clinics_place_is_a_404_and_nothing_changes(cast: Cast, suffix: str) -> None:
    theirs = make_location(cast.other_clinic, name="Hilltop Office")
    url = f"/staff/setup/places/{theirs.pk}/{suffix}"
    admin = client_for(cast.clinic_admin)
    assert admin.get(url).status_code == 404
    assert admin.post(url, HILL_ROAD).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Hilltop Office"
    assert _events() == []
    assert client_for(cast.other_clinic_admin).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["nurse", "front_desk", "patient_user"])
def test_others_cannot_add_places(cast: Cast, persona: str) -> None:
    assert client_for(getattr(cast, persona)).post(ADD_URL, HILL_ROAD).status_code == 404
    assert not Location.objects.exists()


def test_a_same_name_saved_meanwhile_is_refused_plainly(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ValidationError

    from carebridge.clinic.services import places

    _place(cast)
    # As if a colleague saved the name between our check and our write.
    monkeypatch.setattr(places, "name_taken_refusal", lambda *args, **kwargs: None)
    details = places.PlaceDetails("Main Street Office", "4 Hill Road", "Springfield", "MA", "1")
    with pytest.raises(ValidationError) as refused:
        places.add_place(actor=cast.clinic_admin, clinic=cast.clinic, details=details)
    assert refused.value.messages == [
        "The clinic already has a place called “Main Street Office”. Choose another name."
    ]
    assert Location.objects.filter(clinic=cast.clinic).count() == 1
    assert _events() == []
