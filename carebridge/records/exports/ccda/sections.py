"""The CCD's sections: each with its C-CDA R2.1 template, LOINC code, title, readable table
and coded entries; a section with nothing to say says so with nullFlavor "NI"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from carebridge.records.exports.ccda import entries
from carebridge.records.exports.ccda.entries import EntryBuilder
from carebridge.records.exports.ccda.xml import LOINC, Element, coded, el, template
from carebridge.records.exports.printable import PrintSection, section_table
from carebridge.records.models import ClinicalResource


@dataclass(frozen=True)
class CcdSection:
    name: str
    template_oid: str
    template_version: str
    loinc: str
    loinc_display: str
    build_entry: EntryBuilder
    # The CCD template requires these four sections, chosen or not.
    is_required: bool = False


# In the order C-CDA examples give them.
CCD_SECTIONS = (
    CcdSection(
        "allergies",
        "2.16.840.1.113883.10.20.22.2.6.1",
        "2015-08-01",
        "48765-2",
        "Allergies and adverse reactions Document",
        entries.allergy_entry,
        is_required=True,
    ),
    CcdSection(
        "medications",
        "2.16.840.1.113883.10.20.22.2.1.1",
        "2014-06-09",
        "10160-0",
        "History of Medication use Narrative",
        entries.medication_entry,
        is_required=True,
    ),
    CcdSection(
        "problems",
        "2.16.840.1.113883.10.20.22.2.5.1",
        "2015-08-01",
        "11450-4",
        "Problem list - Reported",
        entries.problem_entry,
        is_required=True,
    ),
    CcdSection(
        "procedures",
        "2.16.840.1.113883.10.20.22.2.7.1",
        "2014-06-09",
        "47519-4",
        "History of Procedures Document",
        entries.procedure_entry,
    ),
    CcdSection(
        "results",
        "2.16.840.1.113883.10.20.22.2.3.1",
        "2015-08-01",
        "30954-2",
        "Relevant diagnostic tests/laboratory data Narrative",
        entries.result_entry,
        is_required=True,
    ),
    CcdSection(
        "vitals",
        "2.16.840.1.113883.10.20.22.2.4.1",
        "2015-08-01",
        "8716-3",
        "Vital signs",
        entries.vital_entry,
    ),
    CcdSection(
        "immunizations",
        "2.16.840.1.113883.10.20.22.2.2.1",
        "2015-08-01",
        "11369-6",
        "History of Immunization Narrative",
        entries.immunization_entry,
    ),
    CcdSection(
        "visits",
        "2.16.840.1.113883.10.20.22.2.22.1",
        "2015-08-01",
        "46240-8",
        "History of Hospitalizations+Outpatient visits Narrative",
        entries.encounter_entry,
    ),
)


def add_section(
    body: Element,
    spec: CcdSection,
    rows: Sequence[ClinicalResource] | None,
    zone: ZoneInfo,
    id_root: str,
) -> None:
    """One section. `rows` is None when the patient left the section out of the summary."""
    table = section_table(spec.name, rows or [], zone)
    section = el(el(body, "component"), "section")
    if not table.rows:
        section.set("nullFlavor", "NI")
    template(section, spec.template_oid, spec.template_version)
    coded(section, "code", spec.loinc, LOINC, spec.loinc_display)
    el(section, "title", table.title)
    text = el(section, "text")
    if rows is None:
        el(text, "paragraph", _("Not included: the patient chose to leave this out."))
        return
    if not table.rows:
        el(text, "paragraph", _("No information"))
        return
    _narrative_table(text, table)
    for row in rows:
        spec.build_entry(section, row, id_root)


def _narrative_table(text: Element, table: PrintSection) -> None:
    """The section's human-readable text: the same table the printed summary shows."""
    element = el(text, "table", border="1", width="100%")
    head_row = el(el(element, "thead"), "tr")
    for column in table.columns:
        el(head_row, "th", column)
    body = el(element, "tbody")
    for row in table.rows:
        table_row = el(body, "tr")
        for cell in row.cells:
            el(table_row, "td", cell)
