"""The people and the clinic in a record: the Patient, the clinic's practitioners and the
clinic itself as an Organization."""

from __future__ import annotations

from carebridge.demo.clinical.bundle import BundleBuilder, PractitionerRef
from carebridge.demo.clinical.datatypes import NPI, Json, coding
from carebridge.demo.generator import PatientSpec

MRN_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
LANGUAGES = {"en": "English", "es": "Spanish"}


def patient_body(spec: PatientSpec, *, mrn_system: str, primary: Json, clinic: Json) -> Json:
    language = spec.preferred_language
    return {
        "identifier": [
            {
                "use": "usual",
                "type": {"coding": [coding(MRN_TYPE, "MR", "Medical record number")]},
                "system": mrn_system,
                "value": spec.mrn,
            }
        ],
        "active": True,
        "name": [{"use": "official", "family": spec.family_name, "given": [spec.given_name]}],
        "telecom": [
            {"system": "phone", "value": spec.phone, "use": "mobile"},
            {"system": "email", "value": spec.email},
        ],
        "gender": spec.sex,
        "birthDate": spec.birth_date.isoformat(),
        "address": [
            {
                "use": "home",
                "line": [spec.address_line],
                "city": spec.city,
                "state": spec.state,
                "postalCode": spec.postal_code,
                "country": "US",
            }
        ],
        "communication": [
            {
                "language": {
                    "coding": [coding("urn:ietf:bcp:47", language, LANGUAGES.get(language, ""))],
                    "text": LANGUAGES.get(language, language),
                },
                "preferred": True,
            }
        ],
        "generalPractitioner": [primary],
        "managingOrganization": clinic,
    }


def practitioner_body(person: PractitionerRef) -> Json:
    name: Json = {"use": "official", "family": person.family_name, "given": [person.given_name]}
    if person.credentials:
        name["suffix"] = [person.credentials]
    body: Json = {"active": True, "name": [name]}
    if person.npi:
        body["identifier"] = [{"system": NPI, "value": person.npi}]
    return body


def add_practitioners(builder: BundleBuilder, people: list[PractitionerRef]) -> list[str]:
    return [
        builder.add("Practitioner", person.key, practitioner_body(person), shared=True)
        for person in people
    ]


def add_organization(builder: BundleBuilder, name: str) -> str:
    body = {
        "active": True,
        "type": [
            {
                "coding": [
                    coding(
                        "http://terminology.hl7.org/CodeSystem/organization-type",
                        "prov",
                        "Healthcare Provider",
                    )
                ]
            }
        ],
        "name": name,
    }
    return builder.add("Organization", "clinic", body, shared=True)
