"""The `with_columns` filter that labels each cell of a data-built table for stacked rows."""

from __future__ import annotations

from carebridge.records.templatetags.record_tables import with_columns


def test_each_cell_is_paired_with_its_column_heading() -> None:
    assert with_columns(("Hemoglobin A1c", "7.2 %"), ("Test", "Result")) == [
        ("Hemoglobin A1c", "Test"),
        ("7.2 %", "Result"),
    ]


def test_a_cell_beyond_the_headings_keeps_its_place_with_an_empty_label() -> None:
    assert with_columns(("Lisinopril", "Active"), ("Medication",)) == [
        ("Lisinopril", "Medication"),
        ("Active", ""),
    ]
