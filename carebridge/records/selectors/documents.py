"""Reads for documents and clinical notes: the list, one document, and links to their visits.

Privacy rule: every selector takes the viewer's `RecordScope` (from `access_record` or
`access_resource`), and reads only the resources it lets them see: released, not entered in
error, and not sensitive when the scope hides them. The list reads index columns only; a note's
text is decoded only for the one document (or the one visit's notes) being shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.records.models import ClinicalResource, ResourceType
from carebridge.records.selectors import wording
from carebridge.records.selectors.attachments import AttachmentText, attachment_text
from carebridge.records.selectors.sections import RowPage, page_of, visible_of_types
from carebridge.records.selectors.wording import calendar_day, clinic_zone

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

DOCUMENTS_PER_PAGE = 25
# A document's docStatus, when it says more than "final".
COMPOSITION_STATUS = {
    "preliminary": gettext_lazy("Draft: not final yet"),
    "amended": gettext_lazy("Corrected after it was first written"),
    "entered-in-error": gettext_lazy("Entered in error"),
}


@dataclass(frozen=True)
class VisitLink:
    """Enough of a visit to link to it: its id, day and kind."""

    pk: int
    visited_on: datetime.date | None
    kind: str


def visit_links(scope: RecordScope, encounter_ids: Iterable[str]) -> dict[str, VisitLink]:
    """The visible visits among these Encounter ids, by id (one query, or none).

    None for a viewer who may not see visits: a link would lead to a page they cannot open.
    """
    wanted = {encounter_id for encounter_id in encounter_ids if encounter_id}
    if not wanted or not scope.may_see("visits"):
        return {}
    zone = clinic_zone(scope.patient)
    rows = visible_of_types(scope, ResourceType.ENCOUNTER).filter(fhir_id__in=wanted)
    return {
        row.fhir_id: VisitLink(
            pk=row.pk,
            visited_on=calendar_day(row.effective_at, zone),
            kind=row.code_display or _("Visit"),
        )
        for row in rows.only("pk", "fhir_id", "effective_at", "code_display")
    }


@dataclass(frozen=True)
class DocumentRow:
    pk: int
    title: str
    category: str
    written_on: datetime.date | None
    author: str
    visit: VisitLink | None


def list_documents(scope: RecordScope, page_number: str | None) -> RowPage[DocumentRow]:
    """Documents and notes, newest first, one page at a time, each with its visit if known.

    Three queries: the count, the page, and the page's visits.
    """
    zone = clinic_zone(scope.patient)
    rows = visible_of_types(scope, ResourceType.DOCUMENT_REFERENCE).newest_first()
    page = page_of(rows, page_number, DOCUMENTS_PER_PAGE, lambda row: row)
    visits = visit_links(scope, (row.encounter_id for row in page.rows))
    documents = [
        DocumentRow(
            pk=row.pk,
            title=document_title(row),
            category=category_words(row),
            written_on=calendar_day(row.effective_at, zone),
            author=row.performer,
            visit=visits.get(row.encounter_id),
        )
        for row in page.rows
    ]
    return RowPage(page=page.page, rows=documents)


def document_title(row: ClinicalResource) -> str:
    return row.code_display or _("Document")


def category_words(row: ClinicalResource) -> str:
    """The document's category in words, when it is one the portal knows ("Clinical note").

    Without a category the index column holds the document's type code, which means nothing
    to a patient, so it is not shown.
    """
    words = wording.DOCUMENT_CATEGORY.get(row.category)
    return str(words) if words is not None else ""


@dataclass(frozen=True)
class DocumentDetail:
    pk: int
    title: str
    category: str
    written_on: datetime.date | None
    written_at: datetime.datetime | None
    author: str
    status: str
    description: str
    visit: VisitLink | None
    # The document's text, when the record holds it as text; else None.
    text: AttachmentText | None
    # The kinds of file the document also (or only) comes as: "PDF document".
    other_kinds: list[str]


def get_document(scope: RecordScope, row: ClinicalResource) -> DocumentDetail:
    """One document (already checked by `access_resource`), its text decoded, and its visit.

    One query: the visit it belongs to, if it names one.
    """
    zone = clinic_zone(scope.patient)
    resource = row.resource
    return DocumentDetail(
        pk=row.pk,
        title=document_title(row),
        category=category_words(row),
        written_on=calendar_day(row.effective_at, zone),
        written_at=with_time(row.effective_at),
        author=", ".join(authors(resource)) or row.performer,
        status=document_status(resource),
        description=str(resource.get("description") or ""),
        visit=visit_links(scope, [row.encounter_id]).get(row.encounter_id),
        text=readable_text(resource),
        other_kinds=sorted({part.kind for part in document_parts(resource) if not part.has_text}),
    )


def with_time(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The moment, when it has a time of day (a plain date is stored as midnight UTC)."""
    if moment is None or moment.astimezone(datetime.UTC).time() == datetime.time.min:
        return None
    return moment


def authors(resource: Mapping[str, Any]) -> list[str]:
    names = [wording.reference_text(author) for author in resource.get("author") or []]
    return [name for name in names if name]


def document_status(resource: Mapping[str, Any]) -> str:
    """The document's status in words: replaced, draft, corrected, or current."""
    if resource.get("status") == "superseded":
        return str(wording.DOCUMENT_STATUS["superseded"])
    words = COMPOSITION_STATUS.get(str(resource.get("docStatus") or ""))
    return str(words) if words is not None else str(wording.DOCUMENT_STATUS["current"])


def document_parts(resource: Mapping[str, Any]) -> list[AttachmentText]:
    """Each of a DocumentReference's attachments, as text or as the kind of file it is."""
    parts = []
    for content in resource.get("content") or []:
        attachment = content.get("attachment") if isinstance(content, Mapping) else None
        if isinstance(attachment, Mapping):
            parts.append(attachment_text(attachment))
    return parts


def readable_text(resource: Mapping[str, Any]) -> AttachmentText | None:
    """The document's text: its plain-text copy, else the text of its HTML copy.

    A DocumentReference's contents are the same document in different formats, so one
    readable copy is shown, not each of them.
    """
    readable = [part for part in document_parts(resource) if part.has_text]
    readable.sort(key=lambda part: not part.is_plain)
    return readable[0] if readable else None
