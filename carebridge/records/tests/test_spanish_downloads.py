"""The record's copies in the requester's language: the print-ready summary (what the browser
saves as a PDF) and the readable text of the C-CDA file follow the language the person chose,
with dates in Spanish form. There is no server-made PDF in the portal: printing is the
browser's, from this page, in the page's language."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from carebridge.accounts.models import User
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

CDA = "{urn:hl7-org:v3}"


@pytest.fixture
def spanish_client(cast_with_records: Cast, patient_client: Client) -> Client:
    User.objects.filter(pk=cast_with_records.patient_user.pk).update(language="es")
    return patient_client


def test_the_print_ready_summary_is_in_spanish(spanish_client: Client) -> None:
    html = spanish_client.get(reverse("records:print")).content.decode()
    assert re.search(r'<html lang="([^"]+)">', html)[1] == "es"  # type: ignore[index]
    assert '<h1 id="summary-title">Resumen de salud</h1>' in html
    assert "<dt>Fecha de nacimiento</dt><dd>14 de marzo de 1956</dd>" in html
    assert ">Medicamentos</h2>" in html
    assert ">Alergias</h2>" in html


def test_the_ccda_files_readable_text_is_in_spanish(spanish_client: Client) -> None:
    response = spanish_client.get(reverse("records:download"), {"format": "ccda", "include": "all"})
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    titles = [title.text for title in document.iter(f"{CDA}title")]
    assert "Medicamentos" in titles
    assert "Alergias" in titles
