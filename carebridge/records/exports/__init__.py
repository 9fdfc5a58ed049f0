"""The patient's record as files and pages to take elsewhere: FHIR JSON, a C-CDA CCD, and a
print-ready summary, each of the parts of the record and the dates the patient chose.

`selection` says which resources; `fhir_bundle`, `ccda` and `printable` turn them into a file or
a page; `services` records each download in the audit trail.
"""
