"""The FHIR R4 API at `/fhir/`: read and search over the patient's record, for their apps."""
