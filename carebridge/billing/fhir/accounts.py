"""FHIR R4 `Account`: the account the clinic's billing system keeps for the patient.

Carebridge keeps three things from it on the patient's `BillingAccount`: the account number
(the first identifier's value), whom the bills go to (the first guarantor not on hold, by its
display or the stored resource's name, else the patient), and whether billing is on hold
(`status` "on-hold", or every guarantor on hold). Of several accounts for one patient, an active
one is preferred, the last in the batch. Amounts are never read from it (R4's Account has none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from carebridge.billing.fhir.details import Names
from carebridge.billing.models import BillingAccount

Json = Mapping[str, Any]
USABLE = ("active", "on-hold")


def chosen_account(accounts: Sequence[Json]) -> Json | None:
    """The account to show: the last active (or on-hold) one, else none."""
    usable = [account for account in accounts if account.get("status") in USABLE]
    return usable[-1] if usable else None


def account_fields(account: Json, names: Names) -> dict[str, Any]:
    identifiers = [item for item in account.get("identifier") or [] if isinstance(item, Mapping)]
    number = str(identifiers[0].get("value") or "") if identifiers else ""
    guarantors = [item for item in account.get("guarantor") or [] if isinstance(item, Mapping)]
    paying = [item for item in guarantors if not item.get("onHold")]
    guarantor = names.of(paying[0].get("party")) if paying else ""
    on_hold = account.get("status") == "on-hold" or bool(guarantors and not paying)
    return {
        "account_number": number[:64],
        "guarantor": guarantor[:200],
        "is_on_hold": on_hold,
    }


def save_account(account_row: BillingAccount, fields: Mapping[str, Any]) -> bool:
    """Put the fields on the (locked) billing account; whether anything changed."""
    changed = [name for name, value in fields.items() if getattr(account_row, name) != value]
    for name in changed:
        setattr(account_row, name, fields[name])
    if changed:
        account_row.save(update_fields=changed)
    return bool(changed)
