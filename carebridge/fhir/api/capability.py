"""The CapabilityStatement at `/fhir/metadata`: exactly what this server does, from `SERVED`."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from carebridge.fhir.api.errors import Json
from carebridge.fhir.api.search import SearchParam
from carebridge.fhir.api.types import SERVED, ServedType

US_CORE = "http://hl7.org/fhir/us/core"
US_CORE_SERVER = f"{US_CORE}/CapabilityStatement/us-core-server|6.1.0"
US_CORE_IG = f"{US_CORE}/ImplementationGuide/hl7.fhir.us.core|6.1.0"
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
}
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
                "security": _security(),
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
    profile = _PROFILES.get(served.name)
    if profile:
        resource["supportedProfile"] = [f"{US_CORE}/StructureDefinition/{profile}"]
    return resource


def _param(resource_type: str, name: str, param: SearchParam) -> Json:
    definition = _DEFINITIONS.get(
        name, f"{US_CORE}/SearchParameter/us-core-{resource_type.lower()}-{name}"
    )
    return {"name": name, "definition": definition, "type": param.kind}


def _security() -> Any:
    try:
        from carebridge.fhir.smart import smart_security  # type: ignore[attr-defined]
    except ImportError:
        # Until the SMART endpoints are in place: what the API requires, without their addresses.
        return {
            "service": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                            "code": "SMART-on-FHIR",
                        }
                    ]
                }
            ],
            "description": "SMART App Launch 2.0 (standalone patient launch, PKCE with S256).",
        }
    return smart_security()
