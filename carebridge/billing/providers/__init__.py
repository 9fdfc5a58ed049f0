"""The payment providers, by name (`Payment.provider`): "stripe" and "test".

`online_provider()` is the one the clinic uses for online payments, from the setting
`CAREBRIDGE_PAYMENT_PROVIDER`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from carebridge.billing.providers.base import (
    Checkout,
    PaymentProvider,
    ProviderError,
    SignatureError,
    WebhookOutcome,
)

PROVIDERS = {
    "test": "carebridge.billing.providers.built_in.BuiltInProvider",
    "stripe": "carebridge.billing.providers.stripe_provider.StripeProvider",
}


def provider_for(name: str) -> PaymentProvider:
    """The provider called `name`; KeyError for one Carebridge does not have."""
    provider: PaymentProvider = import_string(PROVIDERS[name])()
    return provider


def online_provider() -> PaymentProvider:
    return provider_for(getattr(settings, "CAREBRIDGE_PAYMENT_PROVIDER", "test"))


__all__ = [
    "Checkout",
    "PaymentProvider",
    "ProviderError",
    "SignatureError",
    "WebhookOutcome",
    "online_provider",
    "provider_for",
]
