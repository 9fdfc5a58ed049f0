"""Whatever is typed into the Pay form's amount: never a server error, and either exactly that
amount (to the cent, never more than is owed) is started, or nothing at all is.

Cast: Pat owes $125.00.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.billing.forms.pay_forms import cents_from_typed
from carebridge.billing.models import Payment
from carebridge.billing.tests.paying import bill, money_state, pay_url
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

OWED = 12500
AMOUNTS = st.one_of(
    st.text(max_size=24),
    st.from_regex(r"\A\$?-?[0-9,]{0,12}(\.[0-9]{0,4})?\Z"),
    st.integers(min_value=-10, max_value=20000).map(lambda cents: f"{cents / 100:.2f}"),
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(amount=AMOUNTS)
def test_any_typed_amount_starts_exactly_that_payment_or_nothing(cast: Cast, amount: str) -> None:
    if not Payment.objects.exists() and money_state(cast.patient)[0] == 0:
        bill(cast.patient, OWED)
    before = money_state(cast.patient)
    client = client_for(cast.patient_user)
    response = client.post(pay_url(), {"choice": "other", "amount": amount, "key": "k" * 20})
    assert response.status_code in (200, 302)
    expected = cents_from_typed(amount) if "\x00" not in amount else None
    if response.status_code == 302:
        payment = Payment.objects.get()
        assert expected is not None and 0 < expected <= OWED
        assert (payment.amount_cents, payment.status) == (expected, "pending")
        Payment.objects.all().delete()
    else:
        assert expected is None or expected <= 0 or expected > OWED
    assert money_state(cast.patient) == before
