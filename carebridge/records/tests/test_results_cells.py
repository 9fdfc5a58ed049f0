"""The pieces long tables reuse instead of making once per row: links, flags, badges, days.

Each must give exactly what the per-row way gave (a reversed URL, the included template, the
`date` filter), in the language and URL configuration in force when it is asked for.
"""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from carebridge.records.links import record_url
from carebridge.records.selectors.cells import day_words, flag_markup, new_badge_markup

FLAGS = ("H", "L", "HH", "LL", "A", "AA", "N", "", "X")


@pytest.mark.parametrize("pk", [1, 42, 9_876_543_210, 12_345_678_901])
@pytest.mark.parametrize("name", ["result-detail", "report-detail"])
def test_a_link_is_the_reversed_url(name, pk):
    assert record_url(name, pk) == reverse(f"records:{name}", args=[pk])


def test_a_link_follows_the_script_prefix():
    from django.urls import set_script_prefix

    set_script_prefix("/portal/")
    try:
        assert record_url("result-detail", 7) == "/portal/record/results/7/"
    finally:
        set_script_prefix("/")
    assert record_url("result-detail", 7) == "/record/results/7/"


@override_settings(ROOT_URLCONF="bench.urls")
def test_a_link_follows_the_url_configuration():
    assert record_url("result-detail", 7) == reverse("records:result-detail", args=[7])


@pytest.mark.parametrize("flag", FLAGS)
def test_a_flag_is_the_included_template(flag):
    expected = render_to_string("records/includes/result_flag.html", {"flag": flag})
    assert flag_markup(flag) == expected
    # Drawn once, then the same markup again.
    assert flag_markup(flag) is flag_markup(flag)


def test_the_flag_is_in_words_and_a_shape():
    assert flag_markup("H") == (
        '<span class="flag flag-high"><span class="flag-icon" aria-hidden="true">▲</span> '
        "High</span>\n"
    )
    assert flag_markup("") == "\n"


def test_the_new_badge_is_the_included_template():
    assert new_badge_markup() == render_to_string("records/results/new_badge.html")
    assert new_badge_markup() == '<span class="badge badge-new">New</span>\n'


def test_a_day_is_written_as_the_date_filter_writes_it():
    day = datetime.date(2025, 3, 4)
    assert day_words(day) == date_format(day, "DATE_FORMAT") == "March 4, 2025"


def test_a_day_is_written_in_the_language_in_force():
    day = datetime.date(2025, 3, 4)
    assert day_words(day) == "March 4, 2025"
    with translation.override("es"):
        assert day_words(day) == date_format(day, "DATE_FORMAT") == "4 de marzo de 2025"
    assert day_words(day) == "March 4, 2025"
