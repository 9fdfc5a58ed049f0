"""The page where a person chooses how they hear about new messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.notifications.models import NotificationPreference
from carebridge.testing.clients import flashed

pytestmark = pytest.mark.django_db

PAGE = reverse("notifications:preferences")


def test_the_page_starts_on_one_email_per_message(patient_client):
    html = patient_client.get(PAGE).content.decode()
    assert "<h1>E-mails about new messages</h1>" in html
    assert "checked" in html.split('value="each"', 1)[1].split(">", 1)[0]
    assert "checked" not in html.split('value="daily"', 1)[1].split(">", 1)[0]


def test_choosing_the_daily_email_is_saved(cast, patient_client):
    response = patient_client.post(PAGE, {"message_emails": "daily"})
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert flashed(response) == ["Your choice is saved."]
    assert NotificationPreference.objects.get(user=cast.patient_user).message_emails == "daily"
    html = patient_client.get(PAGE).content.decode()
    assert "checked" in html.split('value="daily"', 1)[1].split(">", 1)[0]


def test_a_choice_is_needed(cast, patient_client):
    response = patient_client.post(PAGE, {"message_emails": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert NotificationPreference.objects.count() == 0


def test_the_account_page_links_to_it(patient_client):
    html = patient_client.get(reverse("accounts:overview")).content.decode()
    assert f'<a href="{PAGE}">E-mails about new messages</a>' in html


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, f"/account/login/?next={PAGE}")
