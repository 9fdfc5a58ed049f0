"""The CCD's header (US Realm Header, C-CDA R2.1): who the document is about, who made it, who
keeps it, and the period it covers."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carebridge.records.exports.ccda.xml import (
    LOINC,
    Element,
    coded,
    el,
    new_id,
    template,
    ts_text,
)
from carebridge.records.identifiers import mrn_system

if TYPE_CHECKING:
    from carebridge.clinic.models import Clinic, Location
    from carebridge.patients.models import Patient

US_REALM_HEADER = "2.16.840.1.113883.10.20.22.1.1"
CCD_TEMPLATE = "2.16.840.1.113883.10.20.22.1.2"
R21 = "2015-08-01"
GENDER_SYSTEM = ("2.16.840.1.113883.5.1", "AdministrativeGender")
GENDERS = {"female": ("F", "Female"), "male": ("M", "Male")}
CONFIDENTIALITY = ("2.16.840.1.113883.5.25", "Confidentiality")
_PHONE = re.compile(r"[^0-9+\-().]")


@dataclass(frozen=True)
class DocumentContext:
    """What the header needs: the patient, their clinic and its first office, and when."""

    patient: Patient
    location: Location | None
    now: datetime.datetime
    period_start: datetime.date
    period_end: datetime.date

    @property
    def clinic(self) -> Clinic:
        return self.patient.clinic


def clinic_root(clinic: Clinic, what: str = "") -> str:
    """A stable UUID naming one of the clinic's id spaces (its own id, its resources)."""
    name = f"urn:carebridge:{clinic.slug}" + (f":{what}" if what else "")
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name)).upper()


def add_header(document: Element, context: DocumentContext, title: str) -> None:
    """Everything before the body, in the order the CDA schema requires."""
    el(document, "realmCode", code="US")
    el(document, "typeId", root="2.16.840.1.113883.1.3", extension="POCD_HD000040")
    template(document, US_REALM_HEADER, R21)
    template(document, CCD_TEMPLATE, R21)
    new_id(document)
    coded(document, "code", "34133-9", LOINC, "Summarization of Episode Note")
    el(document, "title", title)
    el(document, "effectiveTime", value=ts_text(context.now))
    coded(document, "confidentialityCode", "N", CONFIDENTIALITY, "Normal")
    el(document, "languageCode", code="en-US")
    _record_target(document, context.patient)
    _author(document, context)
    _custodian(document, context)
    _documentation_of(document, context)


def _record_target(document: Element, patient: Patient) -> None:
    role = el(el(document, "recordTarget"), "patientRole")
    el(
        role,
        "id",
        root=str(uuid.uuid5(uuid.NAMESPACE_URL, mrn_system(patient.clinic))).upper(),
        extension=patient.mrn,
        assigningAuthorityName=patient.clinic.name,
    )
    _address(role, "HP", patient if patient.address_line or patient.city else None)
    _telecoms(role, [("HP", _tel(patient.phone)), ("HP", _mailto(patient.email))])
    person = el(role, "patient")
    name = el(person, "name", use="L")
    el(name, "given", patient.given_name)
    el(name, "family", patient.family_name)
    gender = GENDERS.get(patient.sex)
    if gender is not None:
        coded(person, "administrativeGenderCode", gender[0], GENDER_SYSTEM, gender[1])
    else:
        coded(person, "administrativeGenderCode", "UN", GENDER_SYSTEM, "Undifferentiated")
    el(person, "birthTime", value=ts_text(patient.birth_date))
    language = el(person, "languageCommunication")
    el(language, "languageCode", code=patient.preferred_language or "en")


def _address(parent: Element, use: str, place: Patient | Location | None) -> None:
    """A US address (`use`: home "HP" or work "WP"), or "no information" without a place."""
    if place is None:
        el(parent, "addr", nullFlavor="NI")
        return
    address = el(parent, "addr", use=use)
    el(address, "streetAddressLine", place.address_line)
    el(address, "city", place.city)
    el(address, "state", place.state)
    el(address, "postalCode", place.postal_code)
    el(address, "country", "US")


def _tel(phone: str) -> str:
    digits = _PHONE.sub("", phone)
    return f"tel:{digits}" if digits else ""


def _mailto(email: str) -> str:
    return f"mailto:{email}" if email and " " not in email else ""


def _telecoms(parent: Element, entries: list[tuple[str, str]]) -> None:
    present = [(use, value) for use, value in entries if value]
    for use, value in present:
        el(parent, "telecom", use=use, value=value)
    if not present:
        el(parent, "telecom", nullFlavor="NI")


def _organization(parent: Element, tag: str, context: DocumentContext) -> Element:
    organization = el(parent, tag)
    el(organization, "id", root=clinic_root(context.clinic))
    el(organization, "name", context.clinic.name)
    _telecoms(organization, [("WP", _tel(context.clinic.phone))])
    _address(organization, "WP", context.location)
    return organization


def _author(document: Element, context: DocumentContext) -> None:
    """Carebridge wrote this document, on behalf of the clinic."""
    author = el(document, "author")
    el(author, "time", value=ts_text(context.now))
    assigned = el(author, "assignedAuthor")
    el(assigned, "id", root=clinic_root(context.clinic, "carebridge"))
    _address(assigned, "WP", context.location)
    _telecoms(assigned, [("WP", _tel(context.clinic.phone))])
    device = el(assigned, "assignedAuthoringDevice")
    el(device, "manufacturerModelName", "Carebridge")
    el(device, "softwareName", "Carebridge")
    _organization(assigned, "representedOrganization", context)


def _custodian(document: Element, context: DocumentContext) -> None:
    assigned = el(el(document, "custodian"), "assignedCustodian")
    _organization(assigned, "representedCustodianOrganization", context)


def _documentation_of(document: Element, context: DocumentContext) -> None:
    """The care the summary covers: the chosen dates, or the patient's life so far."""
    event = el(el(document, "documentationOf"), "serviceEvent", classCode="PCPR")
    period = el(event, "effectiveTime")
    el(period, "low", value=ts_text(context.period_start))
    el(period, "high", value=ts_text(context.period_end))
