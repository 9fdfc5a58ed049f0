import datetime
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from carebridge.accounts.models import ActivationCode
from carebridge.accounts.services import match_activation_code
from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.testing import factories
from carebridge.testing.personas import PERSONAS, user_for
from carebridge.testing.proxy_personas import PROXY_PERSONAS

pytestmark = pytest.mark.django_db

EXPECTED_STATUS = {
    "anonymous": 302,
    "patient": 404,
    "second_patient": 404,
    "visitor": 404,
    # Caregivers and parents are not staff, whoever they act for.
    **dict.fromkeys(PROXY_PERSONAS, 404),
    "clinician": 404,
    "nurse": 404,
    "front_desk": 200,
    "billing": 404,
    "clinic_admin": 200,
    "other_clinic_admin": 404,
    "staff_without_mfa": 302,
}

_CODE = re.compile(r'<p class="code">([A-Z0-9-]+)</p>')


def _client(cast, persona):
    client = Client()
    user = user_for(cast, persona)
    if user is not None:
        client.force_login(user)
    return client


def _invite_url(patient_id):
    return f"/staff/patients/{patient_id}/invite/"


def _issue(client, patient):
    response = client.post(_invite_url(patient.pk))
    assert response.status_code == 200
    return _CODE.search(response.content.decode()).group(1), response


def test_every_persona_is_covered():
    assert sorted(EXPECTED_STATUS) == sorted(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_invite_page_access_by_persona(cast, persona):
    url = _invite_url(cast.unenrolled_patient.pk)
    response = _client(cast, persona).get(url)
    assert response.status_code == EXPECTED_STATUS[persona]
    if persona == "anonymous":
        assert response["Location"] == f"/account/login/?next={url}"
    if persona == "staff_without_mfa":
        assert response["Location"] == "/account/2fa/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_invite_post_by_persona_and_denials_change_nothing(cast, persona):
    client = _client(cast, persona)
    events_before = AuditEvent.objects.count()
    response = client.post(_invite_url(cast.unenrolled_patient.pk))
    assert response.status_code == EXPECTED_STATUS[persona]
    allowed = EXPECTED_STATUS[persona] == 200
    assert ActivationCode.objects.count() == (1 if allowed else 0)
    assert AuditEvent.objects.count() == events_before + (1 if allowed else 0)


def test_get_shows_the_patient_and_explains_the_code(cast):
    body = _client(cast, "front_desk").get(_invite_url(cast.unenrolled_patient.pk)).content.decode()
    assert "<dd>Una Unenrolled</dd>" in body
    assert "<dd>January 31, 1990</dd>" in body
    assert "<dd>RFC-1003</dd>" in body
    assert '<button type="submit">Issue a new activation code</button>' in body
    assert (
        "A new code stops any earlier code for this patient from working. It expires in 30 days."
        in body
    )
    assert 'class="code"' not in body
    assert ActivationCode.objects.count() == 0


def test_issued_code_is_shown_once_and_works_for_the_patients_birth_date(cast):
    patient = cast.unenrolled_patient
    code, response = _issue(_client(cast, "front_desk"), patient)
    activation = match_activation_code(code, datetime.date(1990, 1, 31))
    assert activation is not None
    assert activation.patient == patient
    assert activation.created_by == cast.front_desk
    assert match_activation_code(code, datetime.date(1990, 2, 1)) is None
    body = response.content.decode()
    assert "http://testserver/account/enrol/" in body
    assert "Enter this activation code and your date of birth." in body
    expires_on = timezone.localtime(activation.expires_at).date()
    assert expires_on == timezone.localdate() + datetime.timedelta(days=30)
    assert f"It works until {date_format(expires_on)}, and only once." in body
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("Location")


def test_a_second_code_revokes_the_first(cast):
    patient = cast.unenrolled_patient
    client = _client(cast, "clinic_admin")
    first, _ = _issue(client, patient)
    second, _ = _issue(client, patient)
    assert first != second
    assert match_activation_code(first, patient.birth_date) is None
    assert match_activation_code(second, patient.birth_date).patient == patient
    assert ActivationCode.objects.filter(patient=patient, revoked_at__isnull=False).count() == 1


def test_the_code_is_in_no_audit_row(cast):
    code, _ = _issue(_client(cast, "front_desk"), cast.unenrolled_patient)
    event = AuditEvent.objects.get(action=AuditAction.INVITE)
    assert (event.actor, event.patient, event.object_type, event.acting_as) == (
        cast.front_desk,
        cast.unenrolled_patient,
        "activation_code",
        "staff",
    )
    bare = code.replace("-", "")
    for row in AuditEvent.objects.values_list():
        text = " ".join(str(value) for value in row)
        assert code not in text
        assert bare not in text


@pytest.mark.parametrize("method", ["get", "post"])
def test_enrolled_missing_and_other_clinic_patients_are_not_found(cast, method):
    stranger = factories.make_patient(cast.other_clinic, mrn="HH-1")
    client = _client(cast, "clinic_admin")
    for patient_id in (cast.patient.pk, stranger.pk, uuid.uuid4()):
        assert getattr(client, method)(_invite_url(patient_id)).status_code == 404
    assert ActivationCode.objects.count() == 0


def test_other_clinic_admin_cannot_invite_our_patient(cast):
    client = _client(cast, "other_clinic_admin")
    assert client.get(_invite_url(cast.unenrolled_patient.pk)).status_code == 404
    assert client.post(_invite_url(cast.unenrolled_patient.pk)).status_code == 404
    assert ActivationCode.objects.count() == 0


def test_other_clinic_admin_can_invite_their_own_patient(cast):
    theirs = factories.make_patient(
        cast.other_clinic, mrn="HH-1", birth_date=datetime.date(2001, 5, 6)
    )
    code, _ = _issue(_client(cast, "other_clinic_admin"), theirs)
    assert match_activation_code(code, datetime.date(2001, 5, 6)).patient == theirs
