"""Links between the record's pages that stay in the frame the page is shown in.

`{% record_url 'result-detail' row.pk %}` is `{% url 'records:result-detail' row.pk %}` on the
patient's own pages, and the same page of the clinic console's chart when a member of staff
reads the record there (see `records.links`). `{% record_owner as owner %}` is whose record a
member of staff is reading (None on the patient's own pages), for the banner;
`{% record_subject as owner %}` is that, or the patient a caregiver or parent helps, for
headings and sentences that would otherwise say "Your".
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from carebridge.records.links import RecordOwner, current_links, record_url

register = template.Library()


@register.simple_tag(name="record_url")
def record_url_tag(name: str, pk: int | None = None) -> str:
    return record_url(name, pk)


@register.simple_tag
def record_owner() -> RecordOwner | None:
    return current_links().owner


@dataclass(frozen=True)
class RecordSubject:
    """Whose record the page is about, when it is not the reader's own."""

    name: str


@register.simple_tag(takes_context=True)
def record_subject(context: template.Context) -> RecordOwner | RecordSubject | None:
    """Whose record the reader is reading when it is not their own, for headings and sentences
    that would otherwise say "Your": the patient a member of staff reads (full name), or the
    one a caregiver or parent helps (first name, as the portal speaks of them). None on the
    patient's own pages."""
    owner = current_links().owner
    if owner is not None:
        return owner
    acting = context.get("acting")
    if acting is not None and acting.is_proxy and acting.patient is not None:
        return RecordSubject(name=acting.patient.first_name)
    return None
