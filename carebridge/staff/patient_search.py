"""Staff patient searches kept out of addresses: posted, kept in the session, read back.

A patient's name or MRN typed into a search is personal information: in a URL it would reach
the access log, the browser's history and any Referer, so (as the patients' message search
does) the words are posted, kept in the session under the page's key, and the results are
shown after a redirect, which keeps the back button and paging working.
"""

from __future__ import annotations

from django.http import HttpRequest

from carebridge.staff.forms import PatientSearchForm

SESSION_KEY = "staff_patient_searches"


def remember_search(request: HttpRequest, page: str) -> str:
    """Keep the posted search words for `page` (an empty or invalid search clears them)."""
    form = PatientSearchForm(request.POST)
    text = form.search_text()
    searches = request.session.get(SESSION_KEY, {})
    request.session[SESSION_KEY] = searches | {page: text}
    return text


def remembered_search(request: HttpRequest, page: str) -> str:
    """The search words last posted on `page` in this session, or ""."""
    searches = request.session.get(SESSION_KEY, {})
    text = searches.get(page, "") if isinstance(searches, dict) else ""
    return text if isinstance(text, str) else ""


def search_form(text: str) -> PatientSearchForm:
    """The search box, showing the words being searched for."""
    return PatientSearchForm(initial={"q": text})
