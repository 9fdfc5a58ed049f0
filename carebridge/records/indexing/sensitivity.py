"""Whether a resource's source labelled it sensitive (FHIR `meta.security`)."""

from __future__ import annotations

from collections.abc import Mapping

from carebridge.records.indexing.elements import Json, mappings

# Security labels (FHIR `meta.security`) that mark a resource as sensitive: restricted or very
# restricted confidentiality, and the HL7 sensitivity categories (mental health, substance
# use, sexual and reproductive health, HIV, genetic and others). Proxies never see these.
# Both the current and the older (pre-THO) system addresses count; a sensitive code with no
# system counts too, since hiding too much is the safe mistake.
CONFIDENTIALITY_SYSTEMS = frozenset(
    {
        "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
        "http://hl7.org/fhir/v3/Confidentiality",
    }
)
CONFIDENTIALITY_CODES = frozenset({"R", "V"})
SENSITIVITY_SYSTEMS = frozenset(
    {"http://terminology.hl7.org/CodeSystem/v3-ActCode", "http://hl7.org/fhir/v3/ActCode"}
)
SENSITIVITY_CODES = frozenset(
    {
        "ETH",
        "GDIS",
        "HIV",
        "PSY",
        "PSYTHPN",
        "SCA",
        "SDV",
        "SEX",
        "SICKLE",
        "STD",
        "SUD",
        "TBOO",
        "42CFRPart2",
    }
)


def is_sensitive(resource: Json) -> bool:
    """Whether the resource carries a security label that marks it sensitive."""
    meta = resource.get("meta")
    labels = mappings(meta.get("security")) if isinstance(meta, Mapping) else []
    return any(_is_sensitive_label(label) for label in labels)


def _is_sensitive_label(label: Json) -> bool:
    system, code = label.get("system") or "", label.get("code") or ""
    if code in CONFIDENTIALITY_CODES:
        return not system or system in CONFIDENTIALITY_SYSTEMS
    if code in SENSITIVITY_CODES:
        return not system or system in SENSITIVITY_SYSTEMS
    return False
