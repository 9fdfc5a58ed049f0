"""Writes to the clinic's organisation and settings: the first set-up (`first_run`), and what
its administrators change from the console (`profile`, `branding`, `places`, `clinicians`).

Audit rule: every change made from the console is recorded with `record_change` (each changed
field's value before and after) in the change's own transaction.
"""

from carebridge.clinic.services.first_run import (
    ClinicDetails,
    FirstAdministrator,
    SetUp,
    password_link,
    set_up_clinic,
)

__all__ = ["ClinicDetails", "FirstAdministrator", "SetUp", "password_link", "set_up_clinic"]
