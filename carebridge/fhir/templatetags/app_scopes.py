"""What an app may see, in plain words, from the scopes it was granted (`fhir.scopes`).

`{{ connection.scope|scope_words }}` gives one line per part of the record, in the order the
scopes name them, without repeats; `{{ connection.scope|keeps_access }}` whether the app may go
on reading without the person signing in again (`offline_access`).
"""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.fhir.scopes import ResourceScope, ScopeSet

register = template.Library()

# Each resource type's part of the record. Several types share one part (a medicine and its
# prescriptions), so it is said once.
_PARTS: dict[str, Promise] = {
    "Patient": _("Name, date of birth and contact details"),
    "AllergyIntolerance": _("Allergies"),
    "Condition": _("Health problems"),
    "MedicationRequest": _("Medicines"),
    "Medication": _("Medicines"),
    "MedicationDispense": _("Medicines"),
    "Observation": _("Test results, vital signs and other measurements"),
    "DiagnosticReport": _("Test reports"),
    "Specimen": _("Samples taken for tests"),
    "Immunization": _("Immunizations"),
    "Procedure": _("Procedures"),
    "Encounter": _("Visits"),
    "DocumentReference": _("Documents and notes"),
    "CarePlan": _("Goals and care plans"),
    "Goal": _("Goals and care plans"),
    "CareTeam": _("Care team"),
    "ServiceRequest": _("Referrals and orders"),
    "Device": _("Implanted devices"),
    "Coverage": _("Insurance"),
    "QuestionnaireResponse": _("Answers to forms"),
    "RelatedPerson": _("Family members and other contacts"),
    "Practitioner": _("Clinicians, clinics and places of care"),
    "PractitionerRole": _("Clinicians, clinics and places of care"),
    "Organization": _("Clinicians, clinics and places of care"),
    "Location": _("Clinicians, clinics and places of care"),
    "Provenance": _("Where each entry in the record came from"),
}
_OBSERVATION_CATEGORIES: dict[str, Promise] = {
    "laboratory": _("Test results"),
    "vital-signs": _("Vital signs"),
    "social-history": _("Smoking and other habits"),
    "survey": _("Answers to health questionnaires"),
    "sdoh": _("Housing, food and other needs"),
    "imaging": _("Imaging results"),
    "exam": _("Examination findings"),
}
_WHOLE_RECORD = _("The whole health record")
_IDENTITY = _("Who is signed in (name only)")
_OTHER_PARTS = _("Other parts of the record")


@register.filter
def scope_words(scope: str) -> list[str]:
    """The parts of the record a scope string lets an app read, in plain words."""
    scopes = ScopeSet.parse(scope)
    words: list[str] = []
    if scopes.has_fhir_user or scopes.has_openid:
        words.append(str(_IDENTITY))
    if "*" in scopes.resource_types() and scopes.categories_for("*", "read") is None:
        return [str(_WHOLE_RECORD), *words]
    for resource in scopes.resources:
        for phrase in _resource_words(resource):
            if phrase not in words:
                words.append(phrase)
    return words


@register.filter
def keeps_access(scope: str) -> bool:
    """Whether the app may keep reading without the person signing in again."""
    return ScopeSet.parse(scope).has_offline_access


def _resource_words(resource: ResourceScope) -> list[str]:
    if resource.resource_type == "*":
        return [str(_WHOLE_RECORD)]
    if resource.resource_type == "Observation" and resource.categories is not None:
        return [
            str(_OBSERVATION_CATEGORIES.get(code, _OTHER_PARTS))
            for code in sorted(resource.categories)
        ]
    return [str(_PARTS.get(resource.resource_type, _OTHER_PARTS))]
