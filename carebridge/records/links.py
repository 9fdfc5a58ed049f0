"""Where the record pages' links lead: the patient's own pages, or the same pages elsewhere.

The record pages are shown in two frames: the patient's (and a caregiver's) `/record/…`, and a
clinician's chart in the clinic console, which calls the same views. A link on a record page
must stay in the frame it was opened in, so every record link is made by `record_url`, which
reverses `records:<name>` unless the view runs inside `links_into(...)` (the console's chart
sets it for one request). The records app never names the console: the caller says where.

A results table has a row per result; each row's link costs string formatting, not a
`reverse` (see `selectors.cells`): the URL pattern is reversed once, then split around the id.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# An id no row has, for reversing a URL pattern once and splitting it around the id.
_ID_MARK = 9_876_543_210


@dataclass(frozen=True)
class RecordOwner:
    """Whose record a member of staff is reading, for the banner on every page of it (the
    wrong-patient guard) and for headings that would otherwise say "Your"."""

    name: str
    birth_date: datetime.date
    mrn: str
    # The page about the patient the banner links back to.
    back_url: str


@dataclass(frozen=True)
class RecordLinks:
    """The URL names of the record's pages in one frame: `namespace` + a records URL name
    ("result-detail"), reversed with `leading` arguments before the page's own id."""

    namespace: str = "records:"
    leading: tuple[str, ...] = ()
    # Set when someone other than the patient or their proxy reads the record (staff).
    owner: RecordOwner | None = None


OWN_RECORD = RecordLinks()
_current: ContextVar[RecordLinks] = ContextVar("record_links", default=OWN_RECORD)


@contextlib.contextmanager
def links_into(links: RecordLinks) -> Iterator[None]:
    """Make the record pages rendered inside this block link into `links`' frame."""
    token = _current.set(links)
    try:
        yield
    finally:
        _current.reset(token)


def current_links() -> RecordLinks:
    """The frame the record page being rendered is in."""
    return _current.get()


def record_url(name: str, pk: int | None = None) -> str:
    """The URL of the record page `name` (a `records:` URL name without its namespace), for
    the resource `pk` when the page is about one, in the frame of the page being rendered."""
    links = _current.get()
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    full_name = links.namespace + name
    if pk is None:
        return _list_url(full_name, links.leading, urlconf, get_script_prefix())
    prefix, suffix = _id_url_parts(full_name, links.leading, urlconf, get_script_prefix())
    return f"{prefix}{pk}{suffix}"


@functools.lru_cache(maxsize=256)
def _list_url(name: str, leading: tuple[str, ...], urlconf: str, _script_prefix: str) -> str:
    return reverse(name, urlconf=urlconf, args=list(leading))


@functools.lru_cache(maxsize=256)
def _id_url_parts(
    name: str, leading: tuple[str, ...], urlconf: str, _script_prefix: str
) -> tuple[str, str]:
    url = reverse(name, urlconf=urlconf, args=[*leading, _ID_MARK])
    prefix, suffix = url.rsplit(str(_ID_MARK), 1)
    return prefix, suffix
