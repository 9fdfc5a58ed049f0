"""A clinic's billing rules, or the defaults when its administrators have set none."""

from __future__ import annotations

from carebridge.billing.models import BillingRules
from carebridge.clinic.models import Clinic


def rules_for(clinic: Clinic) -> BillingRules:
    """The clinic's rules; an unsaved row with the defaults when it has none (one query)."""
    found = BillingRules.objects.filter(clinic=clinic).first()
    return found if found is not None else BillingRules(clinic=clinic)
