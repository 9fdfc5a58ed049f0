"""Setting up a clinic on a new installation: the clinic, its first place and its first
administrator, who chooses a password through a one-time link and then two-step verification.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carebridge.accounts.models import User
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic, Location, StaffMember, StaffRole
from carebridge.clinic.selectors import forget_only_clinic


@dataclass(frozen=True)
class ClinicDetails:
    name: str
    time_zone: str
    phone: str = ""
    address_line: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""


@dataclass(frozen=True)
class FirstAdministrator:
    email: str
    given_name: str
    family_name: str


@dataclass(frozen=True)
class SetUp:
    clinic: Clinic
    administrator: User
    # Where the administrator chooses their password (once; it stops working after).
    link: str


def set_up_clinic(
    *, clinic: ClinicDetails, administrator: FirstAdministrator, another: bool = False
) -> SetUp:
    """Create the clinic, its first place (when an address is given) and its first clinic
    administrator, with no password yet, and return the one-time link to choose one.

    Refused (ValidationError, nothing created) when a clinic already exists and `another` is
    not given, for a time zone that does not exist, a missing name, or an e-mail address that is
    not one or already has an account. Audit: "clinic_setup" created, by the system.
    """
    _check(clinic, administrator, another)
    with transaction.atomic():
        created = Clinic.objects.create(
            name=clinic.name.strip(),
            slug=_free_slug(clinic.name),
            phone=clinic.phone.strip(),
            time_zone=clinic.time_zone,
        )
        if clinic.address_line.strip():
            Location.objects.create(
                clinic=created,
                name=_("Main office"),
                address_line=clinic.address_line.strip(),
                city=clinic.city.strip(),
                state=clinic.state.strip(),
                postal_code=clinic.postal_code.strip(),
                phone=clinic.phone.strip(),
            )
        user = _administrator(created, administrator)
        record_event(
            actor=None,
            action=AuditAction.CREATE,
            object_type="clinic_setup",
            object_id=created.pk,
            acting_as="system",
        )
        # Signed-out pages show the only clinic's name: there may now be one, or two.
        transaction.on_commit(forget_only_clinic)
    return SetUp(clinic=created, administrator=user, link=password_link(user))


def password_link(user: User) -> str:
    """A link with which `user` chooses a password: allauth's password-reset key, which stops
    working once the password is set (and after PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.CAREBRIDGE_BASE_URL + path


def _check(clinic: ClinicDetails, administrator: FirstAdministrator, another: bool) -> None:
    if Clinic.objects.exists() and not another:
        raise ValidationError(
            _(
                "A clinic is already set up here. To add another clinic to this installation, "
                "run the command again with --another-clinic."
            )
        )
    if not clinic.name.strip():
        raise ValidationError(_("Give the clinic's name."))
    if clinic.time_zone not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone; use a name such as America/New_York.")
            % {"zone": clinic.time_zone}
        )
    try:
        validate_email(administrator.email)
    except ValidationError as error:
        raise ValidationError(_("Give the administrator's e-mail address.")) from error
    if not (administrator.given_name.strip() and administrator.family_name.strip()):
        raise ValidationError(_("Give the administrator's first and last names."))
    if User.objects.filter(email__iexact=administrator.email).exists():
        raise ValidationError(_("That e-mail address already has an account here."))


def _free_slug(name: str) -> str:
    base = slugify(name)[:40] or "clinic"
    slug, number = base, 2
    while Clinic.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _administrator(clinic: Clinic, administrator: FirstAdministrator) -> User:
    user = User.objects.create_user(
        email=administrator.email.strip(),
        password=None,
        first_name=administrator.given_name.strip(),
        last_name=administrator.family_name.strip(),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    StaffMember.objects.create(user=user, clinic=clinic, role=StaffRole.CLINIC_ADMIN)
    user.groups.set([Group.objects.get(name=str(StaffRole.CLINIC_ADMIN))])
    return user
