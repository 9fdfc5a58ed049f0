"""The plain-language notes on results are read in the reader's language: our own notes come
from the catalogue, and the MedlinePlus Connect link asks for MedlinePlus's Spanish pages."""

from __future__ import annotations

from django.utils import translation

from carebridge.records.lab_notes import LOINC, LabNote, note_for


def test_our_note_on_a1c_is_in_spanish_for_a_spanish_reader() -> None:
    with translation.override("es"):
        note = note_for(LOINC, "4548-4")
    assert note == LabNote(
        text="Muestra el nivel promedio de azúcar en la sangre durante los últimos dos o tres "
        "meses. Se usa para detectar la diabetes y darle seguimiento."
    )


def test_the_medlineplus_link_asks_for_the_readers_language() -> None:
    with translation.override("es"):
        spanish = note_for(LOINC, "1234-5").link
    with translation.override("en"):
        english = note_for(LOINC, "1234-5").link
    assert spanish == (
        "https://connect.medlineplus.gov/application?mainSearchCriteria.v.cs=2.16.840.1.113883.6.1"
        "&mainSearchCriteria.v.c=1234-5&informationRecipient.languageCode.c=es"
    )
    assert english == spanish.replace("languageCode.c=es", "languageCode.c=en")
