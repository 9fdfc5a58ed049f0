"""Links between the record's pages that stay in the frame the page is shown in.

`{% record_url 'result-detail' row.pk %}` is `{% url 'records:result-detail' row.pk %}` on the
patient's own pages, and the same page of the clinic console's chart when a member of staff
reads the record there (see `records.links`). `{% record_owner as owner %}` is whose record a
member of staff is reading (None on the patient's own pages), for the banner and headings.
"""

from __future__ import annotations

from django import template

from carebridge.records.links import RecordOwner, current_links, record_url

register = template.Library()


@register.simple_tag(name="record_url")
def record_url_tag(name: str, pk: int | None = None) -> str:
    return record_url(name, pk)


@register.simple_tag
def record_owner() -> RecordOwner | None:
    return current_links().owner
