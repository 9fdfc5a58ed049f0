"""Synthetic FHIR R4 health records for the demo clinic and the benchmarks.

`generate_record_bundle` gives one demo patient's record (visits with notes and instructions,
vital signs, lab results, problems, medicines, allergies, immunizations, procedures, goals and
care plans, and appointments: attended, cancelled and upcoming) as a transaction Bundle;
`generate_large_record` gives one very long record for benchmarks. Both are made entirely from
a seeded `random.Random`: no real person's data.
"""

from carebridge.demo.clinical.bundle import PractitionerRef
from carebridge.demo.clinical.large import generate_large_record
from carebridge.demo.clinical.record import DEFAULT_CLINIC_NAME, generate_record_bundle

__all__ = [
    "DEFAULT_CLINIC_NAME",
    "PractitionerRef",
    "generate_large_record",
    "generate_record_bundle",
]
