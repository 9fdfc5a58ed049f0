"""The patient in the clinic console: the patient's page (demographics and appointments, for
every member of staff) and their chart (the record's own pages, read-only, for clinicians and
nurses)."""
