"""The test provider itself, and the payment settings production refuses."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from carebridge.billing.models import Payment
from carebridge.billing.providers import built_in, online_provider, provider_for
from carebridge.billing.providers.built_in import BuiltInProvider
from carebridge.settings.safety import payment_problems


def test_its_checkout_is_our_own_page_with_an_unguessable_reference_stable_per_payment() -> None:
    payment = Payment()
    first = BuiltInProvider().start_checkout(payment, success_url="/ok", cancel_url="/no")
    again = BuiltInProvider().start_checkout(payment, success_url="/ok", cancel_url="/no")
    other = BuiltInProvider().start_checkout(Payment(), success_url="/ok", cancel_url="/no")
    assert re.fullmatch(r"tp_[0-9a-f]{32}", first.reference)
    assert first == again and first.reference != other.reference
    assert first.redirect_url == f"/billing/test-provider/{first.reference}/"


def test_a_refund_returns_its_own_reference() -> None:
    assert re.fullmatch(
        r"tpr_[A-Za-z0-9_-]{16}", BuiltInProvider().refund(Payment(), amount_cents=1)
    )


def test_the_provider_is_chosen_by_the_setting(settings: object) -> None:
    assert online_provider().name == "test"
    assert provider_for("stripe").name == "stripe"


def test_the_signing_secret_is_derived_from_secret_key_unless_set(settings: object) -> None:
    derived = built_in.signing_secret()
    assert len(derived) == 64 and derived != settings.SECRET_KEY  # type: ignore[attr-defined]
    settings.CAREBRIDGE_TEST_PROVIDER_SECRET = "configured-secret"  # type: ignore[attr-defined]
    assert built_in.signing_secret() == "configured-secret"


def test_events_are_signed_in_stripes_scheme() -> None:
    body = built_in.event_body(built_in.SUCCEEDED, "tp_x")
    header = built_in.sign(body, timestamp=1_700_000_000)
    assert re.fullmatch(r"t=1700000000,v1=[0-9a-f]{64}", header)


@pytest.mark.parametrize(
    ("provider", "secret_key", "webhook_secret", "allow_test", "problems"),
    [
        ("stripe", "sk_live_x", "whsec_x", False, []),
        (
            "stripe",
            "",
            "",
            False,
            [
                "STRIPE_SECRET_KEY is missing: the stripe payment provider needs it",
                "STRIPE_WEBHOOK_SECRET is missing: the stripe payment provider needs it",
            ],
        ),
        (
            "stripe",
            "sk_live_x",
            "",
            False,
            ["STRIPE_WEBHOOK_SECRET is missing: the stripe payment provider needs it"],
        ),
        ("test", "", "", True, []),
        (
            "test",
            "",
            "",
            False,
            [
                "CAREBRIDGE_PAYMENT_PROVIDER is 'test', which charges no card: use 'stripe', "
                "or set CAREBRIDGE_ALLOW_TEST_PAYMENTS=1 on a demonstration server"
            ],
        ),
        ("paypal", "", "", True, ["CAREBRIDGE_PAYMENT_PROVIDER must be 'stripe' or 'test'"]),
    ],
)
def test_production_payment_settings(
    provider: str, secret_key: str, webhook_secret: str, allow_test: bool, problems: list[str]
) -> None:
    assert (
        payment_problems(
            provider=provider,
            stripe_secret_key=secret_key,
            stripe_webhook_secret=webhook_secret,
            allow_test=allow_test,
        )
        == problems
    )


def test_development_uses_the_test_provider_with_nothing_set() -> None:
    assert settings.CAREBRIDGE_PAYMENT_PROVIDER == "test"


def test_production_refuses_to_start_with_the_test_provider_unless_allowed() -> None:
    from carebridge.core.tests.test_settings import GOOD_KEY, _start

    refused = _start(
        SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.org", CAREBRIDGE_ALLOW_TEST_PAYMENTS=""
    )
    assert refused.returncode != 0
    assert "CAREBRIDGE_PAYMENT_PROVIDER is 'test', which charges no card" in refused.stderr
    stripe_without_keys = _start(
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.org",
        CAREBRIDGE_PAYMENT_PROVIDER="stripe",
    )
    assert "STRIPE_SECRET_KEY is missing" in stripe_without_keys.stderr
    with_stripe = _start(
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.org",
        CAREBRIDGE_PAYMENT_PROVIDER="stripe",
        STRIPE_SECRET_KEY="sk_live_example",
        STRIPE_WEBHOOK_SECRET="whsec_example",
    )
    assert with_stripe.returncode == 0, with_stripe.stderr
