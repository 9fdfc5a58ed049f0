"""What the record's table cells show, made cheaply: flags, badges and dates.

A results table has a row per result and a vitals page a hundred rows; including a template,
reversing a URL or formatting a date once per row took a good part of each page's time. These
do each once (per language, per day) and reuse it; a row's link is made the same way by
`records.links.record_url`. None of them holds anything about a patient: only fixed markup and
calendar days.
"""

from __future__ import annotations

import datetime
import functools

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import get_language


def flag_markup(flag: str) -> SafeString:
    """A result's flag in words and a shape, as `records/includes/result_flag.html` draws it."""
    return _snippet("records/includes/result_flag.html", flag, get_language())


def new_badge_markup() -> SafeString:
    """The "New" badge, as `records/results/new_badge.html` draws it."""
    return _snippet("records/results/new_badge.html", "", get_language())


@functools.lru_cache(maxsize=64)
def _snippet(template_name: str, flag: str, _language: str | None) -> SafeString:
    # The two templates depend on nothing but the flag and the language. (So, in development,
    # a change to either shows once the server restarts.)
    return SafeString(render_to_string(template_name, {"flag": flag}))


def day_words(day: datetime.date) -> str:
    """A day as the record's pages write it (the locale's DATE_FORMAT)."""
    return _day_words(day, get_language())


@functools.lru_cache(maxsize=4096)
def _day_words(day: datetime.date, _language: str | None) -> str:
    return formats.date_format(day, "DATE_FORMAT")
