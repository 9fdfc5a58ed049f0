"""The CapabilityStatement at `/fhir/metadata`: exactly what this server does, from `SERVED`."""

from __future__ import annotations

from django.conf import settings

from carebridge.fhir.api.errors import Json
from carebridge.fhir.api.includes import includes_of, revincludes_of
from carebridge.fhir.api.search import SearchParam
from carebridge.fhir.api.types import SERVED, ServedType
from carebridge.fhir.smart.configuration import smart_security

US_CORE = "http://hl7.org/fhir/us/core"
US_CORE_SERVER = f"{US_CORE}/CapabilityStatement/us-core-server|6.1.0"
US_CORE_IG = f"{US_CORE}/ImplementationGuide/hl7.fhir.us.core|6.1.0"
EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"
# Profiles US Core gives each type (the base profile; Observation has one per kind).
_PROFILES = {
    "Patient": "us-core-patient",
    "Observation": "us-core-observation-clinical-result",
    "Condition": "us-core-condition-problems-health-concerns",
    "AllergyIntolerance": "us-core-allergyintolerance",
    "MedicationRequest": "us-core-medicationrequest",
    "Immunization": "us-core-immunization",
    "Procedure": "us-core-procedure",
    "Encounter": "us-core-encounter",
    "DiagnosticReport": "us-core-diagnosticreport-lab",
    "DocumentReference": "us-core-documentreference",
    "CarePlan": "us-core-careplan",
    "CareTeam": "us-core-careteam",
    "Goal": "us-core-goal",
    "Device": "us-core-implantable-device",
    "Coverage": "us-core-coverage",
    "MedicationDispense": "us-core-medicationdispense",
    "Provenance": "us-core-provenance",
    "QuestionnaireResponse": "us-core-questionnaireresponse",
    "RelatedPerson": "us-core-relatedperson",
    "ServiceRequest": "us-core-servicerequest",
    "Specimen": "us-core-specimen",
    "Practitioner": "us-core-practitioner",
    "PractitionerRole": "us-core-practitionerrole",
    "Organization": "us-core-organization",
    "Location": "us-core-location",
    "Medication": "us-core-medication",
}
# The types for which US Core defines its own `_id` parameter (the others use FHIR's).
_OWN_ID = frozenset(
    {
        "DocumentReference", "Encounter", "Patient", "Practitioner", "QuestionnaireResponse",
        "RelatedPerson", "ServiceRequest", "Specimen",
    }
)  # fmt: skip
_DEFINITIONS = {
    "_id": "http://hl7.org/fhir/SearchParameter/Resource-id",
    "_lastUpdated": "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated",
}


def capability_statement() -> Json:
    """R4 `kind: instance`, US Core 6.1, JSON only, read and search for each served type."""
    base = f"{settings.CAREBRIDGE_BASE_URL}/fhir"
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-07",
        "publisher": "Carebridge",
        "kind": "instance",
        "instantiates": [US_CORE_SERVER],
        "software": {"name": "Carebridge"},
        "implementation": {"description": "Carebridge patient access API", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "implementationGuide": [US_CORE_IG],
        "rest": [
            {
                "mode": "server",
                "security": smart_security(),
                "resource": [_resource(served) for served in SERVED.values()],
            }
        ],
    }


def _resource(served: ServedType) -> Json:
    resource: Json = {
        "type": served.name,
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": [_param(served.name, name, param) for name, param in served.params.items()],
    }
    if includes_of(served.name):
        resource["searchInclude"] = includes_of(served.name)
    if revincludes_of(served.name):
        resource["searchRevInclude"] = revincludes_of(served.name)
    if served.name == "Patient":
        resource["operation"] = [{"name": "everything", "definition": EVERYTHING}]
    profile = _PROFILES.get(served.name)
    if profile:
        resource["supportedProfile"] = [f"{US_CORE}/StructureDefinition/{profile}"]
    return resource


def _param(resource_type: str, name: str, param: SearchParam) -> Json:
    own = f"{US_CORE}/SearchParameter/us-core-{resource_type.lower()}-{name}"
    if name == "_id":
        # US Core defines `_id` itself for a few types only.
        own = f"{US_CORE}/SearchParameter/us-core-{resource_type.lower()}-id"
        definition = own if resource_type in _OWN_ID else _DEFINITIONS[name]
    else:
        definition = _DEFINITIONS.get(name, own)
    return {"name": name, "definition": definition, "type": param.kind}
