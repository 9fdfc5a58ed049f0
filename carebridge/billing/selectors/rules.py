"""A clinic's billing rules, or the defaults when its administrators have set none."""

from __future__ import annotations

from carebridge.billing.models import BillingRules
from carebridge.clinic.models import Clinic


def rules_for(clinic: Clinic | int) -> BillingRules:
    """The clinic's rules (given as a clinic or its id); an unsaved row with the model's
    defaults when it has none (one query)."""
    clinic_id = clinic if isinstance(clinic, int) else clinic.pk
    found = BillingRules.objects.filter(clinic_id=clinic_id).first()
    return found if found is not None else BillingRules(clinic_id=clinic_id)
