"""Which US Core profile a resource is held to.

A resource that names a US Core profile in `meta.profile` is held to it (the first one the package
has). Otherwise the type's profile; Observations, Conditions and DiagnosticReports have several,
told apart by the code (a blood pressure's LOINC code picks the blood pressure profile) and then
by the category, as the IG describes them.
"""

from __future__ import annotations

from typing import Any

from carebridge.testing.uscore.checker import matches_pattern
from carebridge.testing.uscore.package import UsCorePackage

Json = dict[str, Any]
BASE = "http://hl7.org/fhir/us/core/StructureDefinition/"
OBSERVATION_BY_CATEGORY = {
    "laboratory": "us-core-observation-lab",
    "vital-signs": "us-core-vital-signs",
    "survey": "us-core-observation-screening-assessment",
    "sdoh": "us-core-observation-screening-assessment",
    "functional-status": "us-core-observation-screening-assessment",
    "disability-status": "us-core-observation-screening-assessment",
    "cognitive-status": "us-core-observation-screening-assessment",
    "imaging": "us-core-observation-clinical-result",
    "procedure": "us-core-observation-clinical-result",
    "exam": "us-core-observation-clinical-result",
    "pathology": "us-core-observation-clinical-result",
}
BY_TYPE = {
    "Condition": "us-core-condition-problems-health-concerns",
    "Device": "us-core-implantable-device",
    "Observation": "us-core-simple-observation",
}


def profile_for(package: UsCorePackage, resource: Json) -> Json | None:
    """The profile this resource is held to, or None when US Core has none for its type."""
    for url in resource.get("meta", {}).get("profile", []):
        if url in package.profiles:
            return package.profiles[url]
    resource_type = resource.get("resourceType", "")
    if resource_type == "Observation":
        return package.profile(BASE + _observation_profile(package, resource))
    if resource_type == "Condition" and "encounter-diagnosis" in _category_codes(resource):
        return package.profile(BASE + "us-core-condition-encounter-diagnosis")
    if resource_type == "DiagnosticReport":
        is_lab = "LAB" in _category_codes(resource)
        return package.profile_by_id(
            "us-core-diagnosticreport-lab" if is_lab else "us-core-diagnosticreport-note"
        )
    if resource_type in BY_TYPE:
        return package.profile_by_id(BY_TYPE[resource_type])
    default = BASE + f"us-core-{resource_type.lower()}"
    return package.profiles.get(default)


def _observation_profile(package: UsCorePackage, resource: Json) -> str:
    categories = _category_codes(resource)
    if "vital-signs" in categories or "social-history" in categories:
        coded = _profile_by_code(package, resource)
        if coded:
            return coded
    for category in categories:
        if category in OBSERVATION_BY_CATEGORY:
            return OBSERVATION_BY_CATEGORY[category]
    return BY_TYPE["Observation"]


def _profile_by_code(package: UsCorePackage, resource: Json) -> str:
    """The Observation profile whose `code` pattern this resource's code matches, or ""."""
    code = resource.get("code", {})
    for url, profile in package.profiles.items():
        if profile["type"] != "Observation":
            continue
        element = next(e for e in profile["snapshot"]["element"] if e["id"] == "Observation.code")
        pattern = element.get("patternCodeableConcept")
        if pattern and matches_pattern(code, pattern):
            return url.removeprefix(BASE)
    return ""


def _category_codes(resource: Json) -> list[str]:
    return [
        coding.get("code", "")
        for category in resource.get("category", [])
        if isinstance(category, dict)
        for coding in category.get("coding", [])
    ]
