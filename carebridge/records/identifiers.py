"""How Carebridge names things in FHIR: the clinic's MRN system and its own resource ids."""

from __future__ import annotations

from carebridge.clinic.models import Clinic

# The identifier type code FHIR uses for a medical record number.
MRN_TYPE_CODE = "MR"
MRN_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203"


def mrn_system(clinic: Clinic) -> str:
    """The identifier system of a clinic's own medical record numbers.

    A Patient resource carrying `{"system": mrn_system(clinic), "value": mrn}` is matched to the
    clinic's patient with that MRN; the demo generator and Carebridge's exports use it.
    """
    return f"urn:carebridge:{clinic.slug}:mrn"
