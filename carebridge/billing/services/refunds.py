"""Refunds by billing staff: through the provider for online payments, directly for money
taken at the desk (given back in cash or by check, outside Carebridge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carebridge.billing.models import Provider
from carebridge.billing.providers import ProviderError, provider_for
from carebridge.billing.services.payments import record_refund, refundable_cents

if TYPE_CHECKING:
    from carebridge.billing.models import Payment, Refund
    from carebridge.core.actor import Actor


def refund_payment(*, actor: Actor, payment: Payment, amount_cents: int, reason: str) -> Refund:
    """Give back part or all of a payment, with a reason the patient sees.

    An online payment is refunded through its provider first; when the provider refuses or
    cannot be reached, nothing is recorded and a plain ValidationError says so. Audit and the
    balance: see `record_refund`.
    """
    if not reason.strip():
        raise ValidationError(_("Say why the money is given back."))
    if amount_cents <= 0 or amount_cents > refundable_cents(payment):
        raise ValidationError(_("Enter an amount no more than what is left of this payment."))
    reference = ""
    if payment.provider != Provider.DESK:
        try:
            reference = provider_for(payment.provider).refund(payment, amount_cents=amount_cents)
        except ProviderError as error:
            raise ValidationError(
                _("The card company did not accept the refund. Nothing was changed; try again.")
            ) from error
    return record_refund(
        actor=actor,
        payment=payment,
        amount_cents=amount_cents,
        reason=reason,
        provider_reference=reference,
    )
