"""The demo clinic's bills: insurance and claims from its "billing system" (`claims`), then
statements, a paid and an unpaid bill, a payment plan and insurance cards (`scenarios`).
Demo only: the demo command refuses production mode.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from carebridge.accounts.models import User
from carebridge.billing.models import Statement
from carebridge.clinic.models import Clinic
from carebridge.demo.billing.claims import after_visits, billing_resources, store_billing_resources
from carebridge.demo.billing.scenarios import (
    card_on_file,
    on_a_plan,
    paid_and_unpaid,
    send_statement,
)
from carebridge.patients.models import Patient


def demo_billing_patients(clinic: Clinic, mrns: Sequence[str]) -> list[Patient]:
    """The demo's patients, those with a portal account first (in sign-in list order), so the
    first people tried have the paid and unpaid bills and the plan."""
    found = Patient.objects.filter(clinic=clinic, mrn__in=mrns).order_by("mrn")
    return sorted(found, key=lambda patient: patient.user_id is None)


def load_demo_billing(
    clinic: Clinic,
    patients: Sequence[Patient],
    *,
    billing_user: User,
    front_desk_user: User,
    today: datetime.date,
) -> None:
    """Bills for the demo: every patient's insurance and last two visits' claims; for the
    first patient a paid statement, an unpaid one and an insurance card with photos the front
    desk accepted; for the second a larger bill on a four-month payment plan; for the third a
    new card waiting for the front desk. The claims are stored again on every run; the
    statements, payments, plan and cards only for a patient who has no statement yet.
    """
    for number, patient in enumerate(patients):
        resources = billing_resources(patient, number, today)
        if not resources:
            continue
        if Statement.objects.filter(patient=patient).exists():
            # Stored again on every run (the demo's records are replaced each time); reading
            # the same claims again changes no charge.
            store_billing_resources(clinic, patient, resources)
            continue
        if number == 0:
            paid_and_unpaid(clinic, patient, resources, billing_user, today)
            card_on_file(patient, front_desk_user, accept=True)
            continue
        store_billing_resources(clinic, patient, resources)
        if number == 1:
            on_a_plan(patient, billing_user, today)
            continue
        send_statement(patient, billing_user, after_visits(resources, today))
        if number == 2:
            card_on_file(patient, front_desk_user, accept=False)


__all__ = ["demo_billing_patients", "load_demo_billing"]
