import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from carebridge.accounts import services
from carebridge.accounts.models import ActivationCode, User
from carebridge.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

GENERIC = "We could not match that activation code and date of birth."


def _start(client, code, birth_date):
    return client.post(reverse("accounts:enrol"), {"code": code, "birth_date": birth_date})


def test_full_enrolment_creates_account_links_patient_and_uses_code(
    client, cast, django_capture_on_commit_callbacks
):
    patient = cast.unenrolled_patient
    code = services.issue_activation_code(actor=cast.front_desk, patient=patient)
    response = _start(client, code.lower().replace("-", " "), "1990-01-31")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enrol-email")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:enrol-email"), {"email": "Una@Example.org"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["una@example.org"]
    link = re.search(r"http://testserver(/account/enrol/verify/[^/]+/)", message.body).group(1)
    response = client.post(
        link, {"password1": "a long calm river", "password2": "a long calm river"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enrol-done")
    patient.refresh_from_db()
    user = User.objects.get(email="una@example.org")
    assert patient.user == user
    assert user.check_password("a long calm river")
    assert ActivationCode.objects.get(patient=patient).used_at is not None
    assert (
        AuditEvent.objects.filter(action=AuditAction.ENROL, patient=patient, actor=user).count()
        == 1
    )
    # The code and the e-mail link are both single-use.
    assert (
        client.post(
            link, {"password1": "another long phrase", "password2": "another long phrase"}
        ).status_code
        == 404
    )
    assert GENERIC in _start(client.__class__(), code, "1990-01-31").content.decode()


@pytest.mark.parametrize(
    ("code_kind", "birth_date"),
    [
        ("right", "1990-02-01"),
        ("wrong", "1990-01-31"),
        ("expired", "1990-01-31"),
        ("used", "1990-01-31"),
    ],
)
def test_every_failure_gives_the_same_generic_message(client, cast, code_kind, birth_date):
    code = services.issue_activation_code(actor=cast.front_desk, patient=cast.unenrolled_patient)
    activation = ActivationCode.objects.get(patient=cast.unenrolled_patient)
    if code_kind == "wrong":
        code = "AAAA-BBBB-CCCC"
    elif code_kind == "expired":
        ActivationCode.objects.filter(pk=activation.pk).update(
            expires_at=activation.created_at - datetime.timedelta(seconds=1)
        )
    elif code_kind == "used":
        ActivationCode.objects.filter(pk=activation.pk).update(used_at=activation.created_at)
    response = _start(client, code, birth_date)
    assert response.status_code == 200
    assert GENERIC in response.content.decode()
    assert "carebridge_enrol_code" not in client.session


def test_attempts_are_limited_per_address(client, cast, settings):
    settings.CAREBRIDGE_ENROL_ATTEMPTS = 3
    code = services.issue_activation_code(actor=cast.front_desk, patient=cast.unenrolled_patient)
    for _ in range(3):
        assert _start(client, "AAAA-BBBB-CCCC", "1990-01-31").status_code == 200
    # Even the right answer is refused once the limit is reached.
    response = _start(client, code, "1990-01-31")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_new_code_revokes_the_old_one(cast):
    first = services.issue_activation_code(actor=cast.front_desk, patient=cast.unenrolled_patient)
    second = services.issue_activation_code(actor=cast.front_desk, patient=cast.unenrolled_patient)
    assert services.match_activation_code(first, datetime.date(1990, 1, 31)) is None
    assert services.match_activation_code(second, datetime.date(1990, 1, 31)) is not None


def test_code_lasts_the_clinic_setting(cast):
    cast.clinic.activation_code_days = 30
    cast.clinic.save()
    services.issue_activation_code(actor=cast.front_desk, patient=cast.unenrolled_patient)
    activation = ActivationCode.objects.get(patient=cast.unenrolled_patient)
    assert activation.expires_at - activation.created_at == datetime.timedelta(days=30)
