"""Pages for signed-in users are never cached; public pages may be."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_not_stored(patient_client):
    response = patient_client.get("/")
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "must-revalidate", "private"} <= directives


def test_signed_out_pages_are_left_to_the_defaults():
    response = Client().get("/help/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
