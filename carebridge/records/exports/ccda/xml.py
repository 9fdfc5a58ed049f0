"""Small builders for CDA R2 XML: elements in the HL7 v3 namespace and the data types we use.

Every text and attribute value goes through ElementTree, which escapes it, after characters
XML cannot carry at all have been dropped: nothing from the record is ever pasted into markup.
"""

from __future__ import annotations

import datetime
import re
import uuid

# Only ever used to build and write XML: nothing here parses untrusted input.
from xml.etree import ElementTree as ET

from carebridge.records.exports.printable import number_text

V3 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSI_TYPE = f"{{{XSI}}}type"
# FHIR code systems and their HL7 OIDs.
CODE_SYSTEMS = {
    "http://loinc.org": ("2.16.840.1.113883.6.1", "LOINC"),
    "http://snomed.info/sct": ("2.16.840.1.113883.6.96", "SNOMED CT"),
    "http://www.nlm.nih.gov/research/umls/rxnorm": ("2.16.840.1.113883.6.88", "RxNorm"),
    "http://hl7.org/fhir/sid/cvx": ("2.16.840.1.113883.12.292", "CVX"),
    "http://hl7.org/fhir/sid/icd-10-cm": ("2.16.840.1.113883.6.90", "ICD-10-CM"),
    "http://www.ama-assn.org/go/cpt": ("2.16.840.1.113883.6.12", "CPT"),
    "http://hl7.org/fhir/sid/ndc": ("2.16.840.1.113883.6.69", "NDC"),
}
LOINC = CODE_SYSTEMS["http://loinc.org"]
SNOMED = CODE_SYSTEMS["http://snomed.info/sct"]
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TOKEN = re.compile(r"^\S+$")

Element = ET.Element


def clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def root(tag: str) -> Element:
    """The document element. Children are written with plain names under its default namespace
    (ElementTree's own default-namespace option refuses plain attribute names, and xsi:type
    values such as "PQ" must resolve in the v3 namespace, so it has to be the default)."""
    return ET.Element(tag, {"xmlns": V3})


def el(parent: Element, tag: str, text: str | None = None, **attrs: str) -> Element:
    """A child element (in the document's default v3 namespace); empty attributes are left out."""
    child = ET.SubElement(
        parent,
        tag,
        {name.rstrip("_"): clean(value) for name, value in attrs.items() if value},
    )
    if text:
        child.text = clean(text)
    return child


def typed(
    parent: Element, tag: str, xsi_type: str, text: str | None = None, **attrs: str
) -> Element:
    """An element whose data type is given by xsi:type (an observation's value, say)."""
    child = el(parent, tag, text, **attrs)
    child.set(XSI_TYPE, xsi_type)
    return child


def serialise(document: Element) -> bytes:
    return ET.tostring(document, encoding="utf-8", xml_declaration=True)


def template(parent: Element, oid: str, extension: str = "") -> None:
    """A templateId; versioned templates also carry the unversioned id for older readers."""
    if extension:
        el(parent, "templateId", root=oid)
    el(parent, "templateId", root=oid, extension=extension)


def new_id(parent: Element) -> None:
    el(parent, "id", root=str(uuid.uuid4()).upper())


def resource_id(parent: Element, namespace: str, fhir_id: str) -> None:
    """A stable id for a resource: its Carebridge id, under the clinic's id root."""
    el(parent, "id", root=namespace, extension=fhir_id)


def coded(
    parent: Element, tag: str, code: str, system: tuple[str, str], display: str = ""
) -> Element:
    """A CD/CE element with a known code system."""
    return el(
        parent, tag, code=code, codeSystem=system[0], codeSystemName=system[1], displayName=display
    )


def fhir_coded(
    parent: Element, tag: str, system_uri: str, code: str, display: str, xsi_type: str = ""
) -> Element:
    """A FHIR coding as CD; a code system with no OID we know gives a code of unknown value,
    with the words kept as its original text."""
    system = CODE_SYSTEMS.get(system_uri)
    if system_uri.startswith("urn:oid:"):
        system = (system_uri.removeprefix("urn:oid:"), "")
    if system is not None and code:
        child = coded(parent, tag, code, system, display)
    else:
        child = el(parent, tag, nullFlavor="UNK")
        if display:
            el(child, "originalText", display)
    if xsi_type:
        child.set(XSI_TYPE, xsi_type)
    return child


def ts_text(moment: datetime.datetime | datetime.date) -> str:
    """An HL7 TS: a day for dates (and for instants at midnight UTC, which is how dates without
    a time are stored), else the instant in UTC to the second."""
    if isinstance(moment, datetime.datetime):
        moment = moment.astimezone(datetime.UTC)
        if moment.time() == datetime.time(0):
            return moment.strftime("%Y%m%d")
        return moment.strftime("%Y%m%d%H%M%S+0000")
    return moment.strftime("%Y%m%d")


def time_range(
    parent: Element,
    start: datetime.datetime | None,
    end: datetime.datetime | None = None,
    *,
    tag: str = "effectiveTime",
    xsi_type: str = "",
) -> Element:
    """An IVL_TS with low and high; an unknown start is said to be unknown."""
    child = el(parent, tag)
    if xsi_type:
        child.set(XSI_TYPE, xsi_type)
    if start is not None:
        el(child, "low", value=ts_text(start))
    else:
        el(child, "low", nullFlavor="UNK")
    if end is not None:
        el(child, "high", value=ts_text(end))
    return child


def is_unit(unit: str) -> bool:
    """Whether a unit can be written as a PQ's unit (empty, or a single token)."""
    return not unit.strip() or bool(_TOKEN.match(unit.strip()))


def quantity(parent: Element, tag: str, value: float, unit: str, xsi_type: str = "PQ") -> Element:
    """A PQ (typed by xsi:type unless `xsi_type` is empty, as for an interval's bounds).

    A unit that is not a single token (UCUM units never hold spaces) is written as words.
    """
    unit = unit.strip()
    if not is_unit(unit):
        return typed(parent, tag, "ST", f"{number_text(value)} {unit}")
    child = el(parent, tag, value=number_text(value), unit=unit)
    if xsi_type:
        child.set(XSI_TYPE, xsi_type)
    return child
