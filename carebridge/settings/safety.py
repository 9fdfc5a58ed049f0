"""Why a configuration is unsafe for real patients: production refuses to start with any."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The README documents this bar; production refuses shorter keys.
MINIMUM_SECRET_KEY_LENGTH = 32


def key_problems(name: str, value: str, development_value: str) -> list[str]:
    """What is wrong with a secret key: missing, the public development value, or too weak."""
    if not value:
        return [f"{name} is missing: set it to a long random value"]
    if value == development_value:
        return [f"{name} is the public development key: set a long random value"]
    if len(value) < MINIMUM_SECRET_KEY_LENGTH or len(set(value)) < 5:
        return [f"{name} is too weak: use at least {MINIMUM_SECRET_KEY_LENGTH} random characters"]
    return []


def production_config_problems(
    *,
    debug: bool,
    secret_key: str,
    development_secret_key: str,
    audit_key: str,
    development_audit_key: str,
    allowed_hosts: Sequence[str],
) -> list[str]:
    """Every reason the configuration is unsafe for real patients, each named on its own."""
    problems = ["DEBUG is on: unset it or set DEBUG=0"] if debug else []
    problems += key_problems("SECRET_KEY", secret_key, development_secret_key)
    audit = key_problems("CAREBRIDGE_AUDIT_KEY", audit_key, development_audit_key)
    if not audit and audit_key == secret_key:
        audit = ["CAREBRIDGE_AUDIT_KEY is SECRET_KEY: give the audit trail its own key"]
    problems += audit
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS is empty: list the portal's host names")
    elif "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS contains '*': list the portal's host names instead")
    return problems


def payment_problems(
    *, provider: str, stripe_secret_key: str, stripe_webhook_secret: str, allow_test: bool
) -> list[str]:
    """What is wrong with the payment settings: an unknown provider, Stripe without its keys,
    or the test provider (which charges nothing) without the explicit demonstration switch."""
    if provider == "stripe":
        missing = [
            name
            for name, value in (
                ("STRIPE_SECRET_KEY", stripe_secret_key),
                ("STRIPE_WEBHOOK_SECRET", stripe_webhook_secret),
            )
            if not value
        ]
        return [f"{name} is missing: the stripe payment provider needs it" for name in missing]
    if provider == "test":
        if allow_test:
            return []
        return [
            "CAREBRIDGE_PAYMENT_PROVIDER is 'test', which charges no card: use 'stripe', "
            "or set CAREBRIDGE_ALLOW_TEST_PAYMENTS=1 on a demonstration server"
        ]
    return ["CAREBRIDGE_PAYMENT_PROVIDER must be 'stripe' or 'test'"]


def oidc_key_problems(key: str, development_key: str) -> list[str]:
    """What is wrong with the ID-token signing key: missing, the public development key, or
    not an RSA private key in PEM form."""
    name = "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY"
    if not key.strip():
        return [f"{name} is missing: set it to an RSA private key in PEM form"]
    if key.strip() == development_key.strip():
        return [f"{name} is the public development key: make a new RSA key for production"]
    if "PRIVATE KEY-----" not in key:
        return [f"{name} is not a private key in PEM form"]
    return []


def refuse_unsafe_production_config(values: Mapping[str, Any]) -> None:
    """Raise ImproperlyConfigured naming every problem of the settings module's `values`."""
    problems = production_config_problems(
        debug=values["DEBUG"],
        secret_key=values["SECRET_KEY"],
        development_secret_key=values["DEVELOPMENT_SECRET_KEY"],
        audit_key=values["CAREBRIDGE_AUDIT_KEY"],
        development_audit_key=values["DEVELOPMENT_AUDIT_KEY"],
        allowed_hosts=values["ALLOWED_HOSTS"],
    )
    problems += payment_problems(
        provider=values["CAREBRIDGE_PAYMENT_PROVIDER"],
        stripe_secret_key=values["STRIPE_SECRET_KEY"],
        stripe_webhook_secret=values["STRIPE_WEBHOOK_SECRET"],
        allow_test=values["CAREBRIDGE_ALLOW_TEST_PAYMENTS"],
    )
    problems += oidc_key_problems(
        values["CAREBRIDGE_OIDC_RSA_PRIVATE_KEY"], values["DEVELOPMENT_OIDC_RSA_PRIVATE_KEY"]
    )
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")
