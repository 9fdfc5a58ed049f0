"""Writes about the apps a clinic offers its patients: registering, changing and withdrawing
one (the clinic administrator's console pages in `staff.apps_setup` call these).

Each registration is a django-oauth-toolkit `Application` (authorization code grant, ID tokens
signed with RS256, the consent page always shown) and the clinic's `AppRegistration` beside it.
Every change is audited with `record_change` (object type "api_app") in the same transaction:
names, description, website, client type, redirect addresses and whether it is offered, never
the client secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change
from carebridge.fhir.models import AppRegistration

if TYPE_CHECKING:
    from django.http import HttpRequest

    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic


@dataclass(frozen=True)
class AppDetails:
    """What the administrator says about an app (validated by the form)."""

    name: str
    description: str
    redirect_uris: tuple[str, ...]
    website: str = ""
    confidential: bool = False


@dataclass(frozen=True)
class RegisteredApp:
    """A new registration and its credentials: the secret exists in plain text only here, to be
    shown once (django-oauth-toolkit stores it hashed); "" for a public client."""

    registration: AppRegistration
    client_id: str
    client_secret: str


def register_api_app(
    *, actor: User, clinic: Clinic, details: AppDetails, request: HttpRequest | None
) -> RegisteredApp:
    """Register an app for the clinic's patients to connect. Audit: one CREATE "api_app" event
    with every setting (not the secret)."""
    secret = generate_client_secret() if details.confidential else ""
    with transaction.atomic():
        application = Application(
            name=details.name,
            client_type=(
                Application.CLIENT_CONFIDENTIAL
                if details.confidential
                else Application.CLIENT_PUBLIC
            ),
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(details.redirect_uris),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )
        if secret:
            application.client_secret = secret
        application.save()
        registration = AppRegistration.objects.create(
            application=application,
            clinic=clinic,
            description=details.description,
            website=details.website,
            registered_by=actor,
        )
        record_change(
            actor=actor,
            object_type="api_app",
            object_id=registration.pk,
            before={},
            after=_settings(registration),
            action=AuditAction.CREATE,
            request=request,
        )
    return RegisteredApp(registration, str(application.client_id), secret)


def change_api_app(
    *,
    actor: User,
    registration: AppRegistration,
    name: str,
    description: str,
    redirect_uris: tuple[str, ...],
    request: HttpRequest | None,
) -> None:
    """Change an app's name, description and redirect addresses. Audit: one UPDATE "api_app"
    event with the settings that changed (none when nothing did)."""
    with transaction.atomic():
        before = _settings(registration)
        application = registration.application
        application.name = name
        application.redirect_uris = " ".join(redirect_uris)
        application.save(update_fields=["name", "redirect_uris", "updated"])
        registration.description = description
        registration.save(update_fields=["description"])
        record_change(
            actor=actor,
            object_type="api_app",
            object_id=registration.pk,
            before=before,
            after=_settings(registration),
            request=request,
        )


def withdraw_api_app(
    *, actor: User, registration: AppRegistration, request: HttpRequest | None
) -> bool:
    """Stop offering an app: no new connections, and every token of it stops working at once
    (`fhir.auth` refuses an app that is not offered). False, and nothing recorded, when it was
    already withdrawn. Audit: one UPDATE "api_app" event (offered: true -> false)."""
    with transaction.atomic():
        locked = AppRegistration.objects.select_for_update().get(pk=registration.pk)
        if not locked.is_active:
            return False
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record_change(
            actor=actor,
            object_type="api_app",
            object_id=registration.pk,
            before={"is_active": True},
            after={"is_active": False},
            request=request,
        )
    registration.is_active = False
    return True


def _settings(registration: AppRegistration) -> dict[str, Any]:
    application = registration.application
    return {
        "name": application.name,
        "description": registration.description,
        "website": registration.website,
        "client_type": application.client_type,
        "redirect_uris": application.redirect_uris.split(),
        "is_active": registration.is_active,
    }
