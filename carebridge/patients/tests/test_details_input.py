"""Whatever is typed into My details' forms: never a server error, and either the whole change
is saved (with its audit row) or nothing at all is.

Cast: Pat, with no phone, address, contacts or pharmacy on file.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.patients.models import DetailsChange, EmergencyContact, Patient, PreferredPharmacy
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

TYPED = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"\A[0-9 ()+.-]{0,20}\Z"),
    st.just(""),
    st.text(min_size=201, max_size=260),
)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _state(cast: Cast) -> tuple[object, ...]:
    patient = Patient.objects.get(pk=cast.patient.pk)
    changes = AuditEvent.objects.exclude(action=AuditAction.VIEW).count()
    return (
        patient.phone,
        patient.address_line,
        DetailsChange.objects.count(),
        EmergencyContact.objects.count(),
        PreferredPharmacy.objects.count(),
        changes,
    )


def _reset(cast: Cast) -> None:
    Patient.objects.filter(pk=cast.patient.pk).update(phone="", address_line="")
    DetailsChange.objects.all().delete()
    EmergencyContact.objects.all().delete()
    PreferredPharmacy.objects.all().delete()


@pytest.mark.django_db
@SETTINGS
@given(phone=TYPED, street=TYPED, city=TYPED, postal=TYPED)
def test_the_contact_form_saves_all_or_nothing(
    cast: Cast, phone: str, street: str, city: str, postal: str
) -> None:
    _reset(cast)
    before = _state(cast)
    data = {
        "contact-phone": phone,
        "contact-address_line": street,
        "contact-city": city,
        "contact-postal_code": postal,
    }
    response = client_for(cast.patient_user).post("/account/details/contact/", data)
    assert response.status_code in (200, 302)
    after = _state(cast)
    if response.status_code == 200:
        assert after == before
    else:
        saved_phone, sent = after[0] != before[0], after[2] == 1
        # Each change made is audited once; a redirect without a change saves nothing.
        assert after[5] - before[5] == int(saved_phone) + int(sent)


@pytest.mark.django_db
@SETTINGS
@given(name=TYPED, relationship=TYPED, phone=TYPED)
def test_the_emergency_contact_form_saves_all_or_nothing(
    cast: Cast, name: str, relationship: str, phone: str
) -> None:
    _reset(cast)
    audited = AuditEvent.objects.filter(object_type="emergency_contact")
    before = audited.count()
    data = {
        "emergency-name": name,
        "emergency-relationship": relationship,
        "emergency-phone": phone,
    }
    response = client_for(cast.patient_user).post("/account/details/emergency-contacts/add/", data)
    assert response.status_code in (200, 302)
    expected = 1 if response.status_code == 302 else 0
    assert EmergencyContact.objects.count() == expected
    assert audited.count() - before == expected


@pytest.mark.django_db
@SETTINGS
@given(name=TYPED, address=TYPED, phone=TYPED)
def test_the_pharmacy_form_saves_all_or_nothing(
    cast: Cast, name: str, address: str, phone: str
) -> None:
    _reset(cast)
    data = {"pharmacy-name": name, "pharmacy-address": address, "pharmacy-phone": phone}
    response = client_for(cast.patient_user).post("/account/details/pharmacy/", data)
    assert response.status_code in (200, 302)
    expected = 1 if response.status_code == 302 else 0
    assert PreferredPharmacy.objects.count() == expected
