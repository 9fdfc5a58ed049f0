"""Writes to a patient's own details: the patient's side (`details`) and the front desk's
review of changes the clinic must accept (`desk`)."""
