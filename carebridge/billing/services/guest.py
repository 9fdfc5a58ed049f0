"""Guest pay: someone without an account pays one statement with its number and the patient's
date of birth or ZIP code.

Every try is counted first, per device (the address it comes from) and per statement number
(carebridge.lib.ratelimit), and a right answer gives its counts back. A wrong number, wrong
details, guest pay switched off by the clinic and a spent limit all give the same answer (None)
and write nothing about any patient: a wrong guess is not a view of a patient's bill.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings

from carebridge.billing.models import Statement
from carebridge.billing.selectors.rules import rules_for
from carebridge.lib import ratelimit

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

_PER_DEVICE = "guest-pay-device"
_PER_STATEMENT = "guest-pay-statement"


def find_guest_statement(
    *, device: str, number: str, birth_date: datetime.date | None, postal_code: str
) -> Statement | None:
    """The statement numbered `number` whose patient has that birth date or ZIP code, when
    its clinic allows guest pay and neither this device nor this number has used its tries."""
    counters = [
        (_PER_DEVICE, device, settings.CAREBRIDGE_GUEST_PAY_TRIES_PER_DEVICE),
        (_PER_STATEMENT, number, settings.CAREBRIDGE_GUEST_PAY_TRIES_PER_STATEMENT),
    ]
    taken: list[tuple[str, str]] = []
    for action, subject, limit in counters:
        window = settings.CAREBRIDGE_GUEST_PAY_WINDOW_SECONDS
        if not ratelimit.take(action, subject, limit=limit, window_seconds=window):
            for given_action, given_subject in taken:
                ratelimit.give_back(given_action, given_subject)
            return None
        taken.append((action, subject))
    statement = _matching_statement(number, birth_date, postal_code)
    if statement is not None:
        for action, subject in taken:
            ratelimit.give_back(action, subject)
    return statement


def _matching_statement(
    number: str, birth_date: datetime.date | None, postal_code: str
) -> Statement | None:
    if not number.isdigit():
        return None
    candidates = Statement.objects.filter(number=number).select_related("patient", "clinic")
    matches = [
        statement
        for statement in candidates
        if _details_match(statement.patient, birth_date, postal_code) and is_guest_pay_on(statement)
    ]
    return matches[0] if len(matches) == 1 else None


def _details_match(patient: Patient, birth_date: datetime.date | None, postal_code: str) -> bool:
    if birth_date is not None and patient.birth_date == birth_date:
        return True
    typed = postal_code.strip()[:5]
    return len(typed) == 5 and typed.isdigit() and patient.postal_code.strip()[:5] == typed


def is_guest_pay_on(statement: Statement) -> bool:
    """Whether the statement's clinic lets others pay as guests (on without a rules row)."""
    return rules_for(statement.clinic_id).guest_pay_enabled
