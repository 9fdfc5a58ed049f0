"""The record as a C-CDA R2.1 Continuity of Care Document (CCD), built with ElementTree.

`build_ccd` reads the chosen rows' index columns in one query (never their JSON), and the
clinic's first office for the header's address in one more, so its cost does not grow with the
record beyond reading the rows themselves.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from carebridge.clinic.models import Location
from carebridge.records.exports.ccda.header import DocumentContext, add_header, clinic_root
from carebridge.records.exports.ccda.sections import CCD_SECTIONS, add_section
from carebridge.records.exports.ccda.xml import el, root, serialise
from carebridge.records.exports.printable import rows_by_section
from carebridge.records.exports.selection import Selection, permitted_sections

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope


def build_ccd(scope: RecordScope, selection: Selection, now: datetime.datetime) -> bytes:
    """The CCD of the chosen sections and dates, as UTF-8 XML.

    Privacy rule: reads only what the viewer's scope lets them see (see `selected_resources`).
    Sections the CCD requires but the patient left out, or the viewer may not see, are present,
    marked "Not included".
    """
    patient = scope.patient
    zone = ZoneInfo(patient.clinic.time_zone)
    context = DocumentContext(
        patient=patient,
        location=Location.objects.filter(clinic_id=patient.clinic_id).order_by("pk").first(),
        now=now,
        period_start=selection.date_from or patient.birth_date,
        period_end=selection.date_to or now.astimezone(zone).date(),
    )
    document = root("ClinicalDocument")
    title = _("Health summary for %(name)s") % {"name": patient.display_name}
    add_header(document, context, title)
    body = el(el(document, "component"), "structuredBody")
    grouped = rows_by_section(scope, selection)
    chosen = {section.name for section in permitted_sections(scope, selection)}
    id_root = clinic_root(patient.clinic, "resource")
    for spec in CCD_SECTIONS:
        if spec.name in chosen:
            add_section(body, spec, grouped.get(spec.name, []), zone, id_root)
        elif spec.is_required:
            add_section(body, spec, None, zone, id_root)
    return serialise(document)
