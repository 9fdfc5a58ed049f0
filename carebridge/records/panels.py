"""The record's contributions to the home page: how many test results are new (a report or
panel counted once), or held, and the clinician's comments on new results."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carebridge.home.panels import HomePanel
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.comments import list_new_comments
from carebridge.records.selectors.groups import count_new_groups
from carebridge.records.selectors.results import result_counts
from carebridge.records.selectors.wording import clinic_zone


def results_panel(request: HttpRequest) -> HomePanel | None:
    """New and held results, counted (never named), for a viewer acting for a patient who may
    see their results; sensitive results are not counted for a viewer they are hidden from.

    No audit event: the panel shows two numbers and no health information.
    """
    scope = RecordScope.of_acting(request.acting)  # type: ignore[attr-defined]
    if scope is None or not scope.may_see("results"):
        return None
    counts = result_counts(scope)
    # A report or panel counts once, however many results it holds: one blood count, not 26.
    new = count_new_groups(scope) if counts.new else 0
    items = []
    if new and request.acting.is_proxy:  # type: ignore[attr-defined]
        items.append(
            ngettext(
                "There is %(count)d new test result.",
                "There are %(count)d new test results.",
                new,
            )
            % {"count": new}
        )
    elif new:
        items.append(
            ngettext(
                "You have %(count)d new test result.",
                "You have %(count)d new test results.",
                new,
            )
            % {"count": new}
        )
    if counts.held:
        items.append(
            ngettext(
                "%(count)d result is waiting for your clinician's review.",
                "%(count)d results are waiting for your clinician's review.",
                counts.held,
            )
            % {"count": counts.held}
        )
    return HomePanel(
        title=_("Test results"),
        template="records/results/panel.html",
        empty_text=_("You have no new test results."),
        items=items,
        link_url=reverse("records:results"),
        link_text=_("See all test results"),
    )


def comments_panel(request: HttpRequest) -> HomePanel | None:
    """The clinician's comments on results the patient has not opened yet, newest first, for a
    viewer who may see the results part: only comments on results this viewer may see (never
    a sensitive one hidden from a proxy). Shown only when there is one (one query).

    No audit event: the comments are read again, and audited, on the result's own page; the
    panel is part of the home page as the results panel is.
    """
    scope = RecordScope.of_acting(request.acting)  # type: ignore[attr-defined]
    if scope is None or not scope.may_see("results"):
        return None
    comments = list_new_comments(scope, clinic_zone(scope.patient))
    if not comments:
        return None
    # Someone helping the patient reads about the patient's results, not their own.
    is_proxy = request.acting.is_proxy  # type: ignore[attr-defined]
    return HomePanel(
        title=_("New comments on test results") if is_proxy else _("New comments on your results"),
        template="records/results/comments_panel.html",
        empty_text="",
        items=comments,
        link_url=reverse("records:results"),
        link_text=_("See all test results"),
    )
