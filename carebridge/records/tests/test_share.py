"""Sending a health summary: the e-mail, the passcode, opening once, lockout, expiry, revoking."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from carebridge.audit.models import AuditEvent
from carebridge.records import sharing
from carebridge.records.models import RecordShare
from carebridge.records.views import sharing as sharing_views
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).parent / "schemas" / "cda" / "cda.xsd"
PASSCODE = re.compile(r'<p class="code">(\d{4} \d{4})</p>')
LINK = re.compile(r"http://testserver/shared/([A-Za-z0-9_\-]+)/")


@pytest.fixture
def send(patient_client, django_capture_on_commit_callbacks, settings):
    """Send a summary as Pat; return (token, passcode)."""
    settings.CAREBRIDGE_BASE_URL = "http://testserver"

    def send_summary(**data):
        form = {"recipient_email": "Dr.New@Example.org", "include": "all", **data}
        with django_capture_on_commit_callbacks(execute=True):
            response = patient_client.post(reverse("records:share"), form)
        assert response.status_code == 200
        passcode = PASSCODE.search(response.content.decode()).group(1)
        token = LINK.search(mail.outbox[-1].body).group(1)
        return token, passcode

    return send_summary


def open_url(token: str) -> str:
    return reverse("shared:shared-open", args=[token])


def recipient_events(patient):
    events = AuditEvent.objects.for_patient(patient.pk).filter(acting_as="recipient")
    return [(event.action, event.outcome, event.actor_id) for event in events.order_by("sequence")]


def test_sending_stores_only_hmacs_and_emails_only_the_link(cast_with_records, send):
    token, passcode = send(include="chosen", sections=["results"], date_from="2020-01-01")
    share = RecordShare.objects.get()
    assert (share.patient, share.recipient_email, share.sections) == (
        cast_with_records.patient,
        "dr.new@example.org",
        ["results"],
    )
    assert (share.date_from, share.date_to) == (datetime.date(2020, 1, 1), None)
    assert share.expires_at - share.created_at == datetime.timedelta(days=7)
    assert share.token_digest == sharing.token_digest(token) != token
    assert share.passcode_digest == sharing.passcode_digest(share.pk, passcode)
    assert passcode.replace(" ", "") not in share.passcode_digest
    message = mail.outbox[-1]
    assert (message.to, message.subject) == (
        ["dr.new@example.org"],
        "[Carebridge] Pat sent you a health summary",
    )
    assert "Pat sent you a health summary through Carebridge" in message.body
    assert f"http://testserver/shared/{token}/" in message.body
    for secret in (passcode, passcode.replace(" ", ""), "Hemoglobin", "7.2", "RFC-1001", "1956"):
        assert not mentions(message.body, secret)
    assert "Patient" not in message.body.replace("patient portal", "")
    event = AuditEvent.objects.get(action="share")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "record_share",
        str(share.pk),
        cast_with_records.patient_user.pk,
    )


def test_the_passcode_is_shown_once_and_never_again(cast, send, patient_client):
    _token, passcode = send()
    assert passcode not in patient_client.get(reverse("records:share")).content.decode()


def test_a_bad_address_sends_nothing(cast, patient_client):
    response = patient_client.post(
        reverse("records:share"), {"recipient_email": "not an address", "include": "all"}
    )
    assert "Enter a valid email address." in response.content.decode()
    assert not RecordShare.objects.exists() and mail.outbox == []


def test_the_recipient_opens_the_summary_once_with_the_passcode(cast_with_records, send):
    pat = cast_with_records.patient
    token, passcode = send()
    recipient = Client()
    first = recipient.get(open_url(token))
    assert first.status_code == 200
    assert "Pat sent you a health summary through Carebridge." in first.content.decode()
    assert "Hemoglobin" not in first.content.decode()
    opened = recipient.post(open_url(token), {"passcode": passcode.replace(" ", "-")})
    html = opened.content.decode()
    assert opened.status_code == 200
    assert "<dd>Pat Patient</dd>" in html
    assert '<th scope="row">Hemoglobin A1c</th><td data-label="Result">7.2 %</td>' in html
    assert not mentions(html, "Sam")
    assert (opened["Referrer-Policy"], "no-store" in opened["Cache-Control"]) == (
        "same-origin",
        True,
    )
    assert RecordShare.objects.get().opened_at is not None
    assert recipient_events(pat) == [("view", "success", None)]
    again = recipient.get(open_url(token))
    assert again.status_code == 404
    assert "This link is not valid" in again.content.decode()
    assert recipient.post(open_url(token), {"passcode": passcode}).status_code == 404


def test_wrong_passcodes_are_counted_and_the_fifth_locks_the_link(cast_with_records, send):
    pat = cast_with_records.patient
    token, passcode = send()
    wrong = "0000 0000" if passcode != "0000 0000" else "1111 1111"
    recipient = Client()
    response = recipient.post(open_url(token), {"passcode": wrong})
    assert response.status_code == 200
    assert "That passcode does not match. You can try 4 more times." in response.content.decode()
    for _attempt in range(3):
        recipient.post(open_url(token), {"passcode": wrong})
    locked = recipient.post(open_url(token), {"passcode": wrong})
    assert locked.status_code == 404
    share = RecordShare.objects.get()
    assert (share.failed_attempts, share.revoked_at is not None) == (5, True)
    assert recipient.post(open_url(token), {"passcode": passcode}).status_code == 404
    assert share.opened_at is None
    assert recipient_events(pat) == [("view", "denied", None)] * 5
    assert sharing.share_status(share, timezone.now()) == sharing.ShareStatus.LOCKED


def test_the_link_expires(cast, send, settings):
    token, passcode = send()
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    with time_machine.travel(later, tick=False):
        response = Client().post(open_url(token), {"passcode": passcode})
    assert response.status_code == 404
    assert RecordShare.objects.get().opened_at is None


def test_unknown_used_expired_and_revoked_links_look_the_same(cast, send, patient_client):
    used, used_code = send()
    Client().post(open_url(used), {"passcode": used_code})
    revoked, _code = send()
    patient_client.post(reverse("records:share"), {"revoke": str(RecordShare.objects.first().pk)})
    expired, _code = send()
    RecordShare.objects.filter(token_digest=sharing.token_digest(expired)).update(
        expires_at=timezone.now()
    )
    for token in ("no-such-link", used, revoked, expired):
        response = Client().get(open_url(token))
        assert response.status_code == 404
        assert "<h1>This link is not valid</h1>" in response.content.decode()


def test_revoking_stops_the_link_and_is_audited(cast_with_records, send, patient_client):
    token, passcode = send()
    share = RecordShare.objects.get()
    response = patient_client.post(reverse("records:share"), {"revoke": str(share.pk)}, follow=True)
    assert "The link is cancelled. It no longer opens." in response.content.decode()
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert Client().post(open_url(token), {"passcode": passcode}).status_code == 404
    event = AuditEvent.objects.get(action="update", object_type="record_share")
    assert event.object_id == str(share.pk)
    assert "Cancelled by you" in response.content.decode()


def test_a_patient_cannot_revoke_or_see_someone_elses_share(cast_with_records, send):
    send()
    share = RecordShare.objects.get()
    sam = Client()
    sam.force_login(cast_with_records.second_patient_user)
    page = sam.get(reverse("records:share")).content.decode()
    assert "dr.new@example.org" not in page
    response = sam.post(reverse("records:share"), {"revoke": str(share.pk)}, follow=True)
    assert "That link was already opened, cancelled or expired." in response.content.decode()
    share.refresh_from_db()
    assert share.revoked_at is None


def test_the_list_says_where_each_share_stands(cast, send, patient_client):
    for _index in range(5):
        send()
    shares = list(RecordShare.objects.order_by("created_at"))
    now = timezone.now()
    RecordShare.objects.filter(pk=shares[1].pk).update(opened_at=now)
    RecordShare.objects.filter(pk=shares[2].pk).update(expires_at=now)
    RecordShare.objects.filter(pk=shares[3].pk).update(revoked_at=now)
    RecordShare.objects.filter(pk=shares[4].pk).update(revoked_at=now, failed_attempts=5)
    statuses = [status for _share, status in sharing.list_shares(cast.patient)]
    assert statuses == ["locked", "cancelled", "expired", "opened", "waiting"]
    html = patient_client.get(reverse("records:share")).content.decode()
    for words in (
        "Waiting to be opened",
        "Opened on",
        "Expired without being opened",
        "Cancelled by you",
        "Locked after too many wrong passcodes",
    ):
        assert words in html
    assert html.count('name="revoke"') == 1


def test_the_recipient_may_download_the_ccd_once_soon_after_opening(cast_with_records, send):
    pat = cast_with_records.patient
    token, passcode = send()
    recipient = Client()
    recipient.post(open_url(token), {"passcode": passcode})
    response = recipient.post(open_url(token), {"action": "download"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="health-summary-')
    document = etree.fromstring(response.content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(document), str(schema.error_log)
    assert b'value="7.2" unit="%"' in response.content
    assert recipient.post(open_url(token), {"action": "download"}).status_code == 404
    assert recipient_events(pat) == [("view", "success", None), ("export", "success", None)]


def test_the_ccd_download_needs_the_browser_that_opened_it_within_30_minutes(cast, send):
    token, passcode = send()
    recipient = Client()
    recipient.post(open_url(token), {"passcode": passcode})
    assert Client().post(open_url(token), {"action": "download"}).status_code == 404
    later = timezone.now() + datetime.timedelta(minutes=31)
    with time_machine.travel(later, tick=False):
        assert recipient.post(open_url(token), {"action": "download"}).status_code == 404


def test_passcode_tries_are_limited_per_address(cast, send, monkeypatch):
    monkeypatch.setattr(sharing_views, "TRIES_PER_ADDRESS", 3)
    token, passcode = send()
    recipient = Client()
    for _attempt in range(3):
        recipient.post(open_url(token), {"passcode": "9999 999"})
    response = recipient.post(open_url(token), {"passcode": passcode})
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert RecordShare.objects.get().opened_at is None


def test_a_caregiver_sends_a_summary_in_her_own_name_for_pat(
    cast_with_records, django_capture_on_commit_callbacks, settings
):
    from carebridge.testing.clients import client_for

    settings.CAREBRIDGE_BASE_URL = "http://testserver"
    cora = client_for(cast_with_records.proxies.full_caregiver, cast_with_records.patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = cora.post(
            reverse("records:share"), {"recipient_email": "dr.new@example.org", "include": "all"}
        )
    assert response.status_code == 200
    message = mail.outbox[-1]
    assert message.subject == "[Carebridge] Cora (for Pat) sent you a health summary"
    assert "Cora (for Pat) sent you a health summary through Carebridge" in message.body
    share = RecordShare.objects.get()
    assert (share.created_by, sharing.scope_of(share).hides_sensitive) == (
        cast_with_records.proxies.full_caregiver,
        True,
    )
