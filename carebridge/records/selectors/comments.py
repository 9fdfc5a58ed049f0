"""The clinician's comments on results, for the result and report pages, the home page and
the console's chart.

Privacy rule: the comment of a resource the viewer reached through `access_resource`, or, for
lists, only comments on resources within the viewer's `RecordScope` (released, not entered in
error, never a sensitive one hidden from a proxy). Reading a comment is part of the page that
shows it, which the access layer audits.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from carebridge.records.models import ClinicalResource, ResourceType, ResultComment
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.wording import calendar_day

# The home page lists this many of the newest comments on results the patient has not opened.
HOME_COMMENTS = 5


@dataclass(frozen=True)
class CommentView:
    """A comment ready to show: who wrote it, on which day (the clinic's calendar), the words,
    and the result or report it is on."""

    author: str
    day: datetime.date | None
    text: str
    resource_pk: int
    resource_name: str
    is_report: bool


def _view(comment: ResultComment, resource: ClinicalResource, zone: ZoneInfo) -> CommentView:
    return CommentView(
        author=comment.written_by.display_name,
        day=calendar_day(comment.written_at, zone),
        text=comment.text,
        resource_pk=resource.pk,
        resource_name=resource.code_display,
        is_report=resource.resource_type == ResourceType.DIAGNOSTIC_REPORT,
    )


def get_comment(resource: ClinicalResource, zone: ZoneInfo) -> CommentView | None:
    """The comment on one resource the caller already may show (one query), or None."""
    comment = ResultComment.objects.filter(resource=resource).select_related("written_by").first()
    return _view(comment, resource, zone) if comment is not None else None


def list_new_comments(scope: RecordScope, zone: ZoneInfo) -> list[CommentView]:
    """Comments on the results the patient has not opened yet that this viewer may see, newest
    first (one query, index columns of the resources only)."""
    visible = scope.resources().filter(seen_at__isnull=True).values("pk")
    comments = (
        ResultComment.objects.filter(patient=scope.patient, resource__in=visible)
        .select_related("written_by", "resource")
        .defer("resource__resource")
        .order_by("-written_at", "-pk")[:HOME_COMMENTS]
    )
    return [_view(comment, comment.resource, zone) for comment in comments]


# The trend page shows this many of the newest comments on the test's results.
TEST_COMMENTS = 10


def list_test_comments(
    scope: RecordScope, *, code_system: str, code: str, zone: ZoneInfo
) -> list[CommentView]:
    """The clinician's comments on this viewer's visible results of one test, newest first
    (one query, at most `TEST_COMMENTS`)."""
    visible = scope.resources().filter(code_system=code_system, code=code).values("pk")
    comments = (
        ResultComment.objects.filter(patient=scope.patient, resource__in=visible)
        .select_related("written_by", "resource")
        .defer("resource__resource")
        .order_by("-written_at", "-pk")[:TEST_COMMENTS]
    )
    return [_view(comment, comment.resource, zone) for comment in comments]
