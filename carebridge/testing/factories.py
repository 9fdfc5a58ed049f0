"""Factories for tests and the demo: plain functions that build valid, saved objects."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember, StaffRole
from carebridge.patients.models import Patient

TEST_PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_clinic(**fields: Any) -> Clinic:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "name": f"Riverside Family Clinic {n}",
        "slug": f"riverside-{n}",
        "phone": "555-0100",
    }
    return Clinic.objects.create(**(defaults | fields))


def make_location(clinic: Clinic, **fields: Any) -> Location:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "name": f"Main Street Office {n}",
        "address_line": f"{n} Main Street",
        "city": "Springfield",
        "state": "MA",
        "postal_code": "01101",
    }
    return Location.objects.create(clinic=clinic, **(defaults | fields))


def make_user(*, email: str | None = None, password: str = TEST_PASSWORD, **fields: Any) -> User:
    email = email or f"person{next(_counter)}@example.org"
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def enable_totp(user: User, secret: str | None = None) -> str:
    """Turn on TOTP for a user and return the secret (tests compute codes from it)."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_patient(
    clinic: Clinic,
    *,
    user: User | None = None,
    birth_date: datetime.date = datetime.date(1958, 4, 12),
    **fields: Any,
) -> Patient:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "mrn": f"MRN{n:06d}",
        "given_name": "Alex",
        "family_name": f"Rivera{n}",
        "sex": "female",
        "email": f"patient{n}@example.org",
    }
    return Patient.objects.create(
        clinic=clinic, user=user, birth_date=birth_date, **(defaults | fields)
    )


def make_staff(
    clinic: Clinic, role: StaffRole, *, with_mfa: bool = True, **user_fields: Any
) -> User:
    user = make_user(**user_fields)
    StaffMember.objects.create(user=user, clinic=clinic, role=role)
    user.groups.add(Group.objects.get(name=str(role)))
    if with_mfa:
        enable_totp(user)
    return user


def make_practitioner(clinic: Clinic, *, user: User | None = None, **fields: Any) -> Practitioner:
    defaults: dict[str, Any] = {"given_name": "Sam", "family_name": "Okafor", "credentials": "MD"}
    return Practitioner.objects.create(clinic=clinic, user=user, **(defaults | fields))
