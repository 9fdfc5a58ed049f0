"""`carebridge demo [--password PW] [--json]`: load the demo clinic and list its sign-ins.

Development only: it refuses to run in production mode, where it would put well-known
passwords on accounts.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from carebridge.clinic.models import StaffRole
from carebridge.demo.accounts import PATIENT_ROLE, DemoSignIn
from carebridge.demo.proxies import CAREGIVER_ROLE, PARENT_ROLE
from carebridge.demo.services import load_demo_clinic

DEFAULT_PASSWORD = "carebridge-demo-2026"  # noqa: S105 (published on purpose: demo only)


def check_password(password: str) -> None:
    """Django's password validators, as for any account, else a CommandError naming each."""
    try:
        password_validation.validate_password(password)
    except ValidationError as error:
        problems = " ".join(error.messages)
        message = _("Choose another password. %(problems)s") % {"problems": problems}
        raise CommandError(message) from error


def role_label(role: str) -> str:
    """The sign-in table's name for a demo role: a patient, a proxy, or a staff role."""
    labels = {
        PATIENT_ROLE: _("Patient"),
        CAREGIVER_ROLE: _("Caregiver"),
        PARENT_ROLE: _("Parent or guardian"),
    }
    if role in labels:
        return labels[role]
    return str(StaffRole(role).label)


def format_table(sign_ins: list[DemoSignIn]) -> list[str]:
    """The sign-ins as aligned columns: role, name, e-mail."""
    rows = [(_("Role"), _("Name"), _("E-mail"))]
    rows += [(role_label(s.role), s.name, s.email) for s in sign_ins]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    return [f"{role:<{widths[0]}}  {name:<{widths[1]}}  {email}" for role, name, email in rows]


class Command(BaseCommand):
    help = "Create (or refresh) the demo clinic and print the accounts you can sign in with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=_("The password for every demo account (default: %(default)s)."),
        )
        parser.add_argument(
            "--json", action="store_true", help=_("Print only the sign-ins, as JSON.")
        )
        parser.add_argument(
            "--without-records",
            action="store_true",
            help=_("Create the people only, without their generated health records."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(_("The demo clinic cannot be loaded in production mode."))
        password: str = options["password"]
        check_password(password)
        sign_ins = load_demo_clinic(password, with_records=not options["without_records"])
        if options["json"]:
            self.stdout.write(json.dumps([asdict(sign_in) for sign_in in sign_ins], indent=2))
            return
        self.print_summary(sign_ins, password)

    def print_summary(self, sign_ins: list[DemoSignIn], password: str) -> None:
        self.stdout.write(_("The demo clinic, Riverside Family Clinic, is ready. Sign in as:"))
        self.stdout.write("")
        for line in format_table(sign_ins):
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(_("Password for every account: %(password)s") % {"password": password})
        self.stdout.write(
            _(
                "Staff are asked to set up two-step verification (an authenticator app) the "
                "first time they sign in."
            )
        )
        self.stdout.write(
            _(
                "Young children have no account of their own; front-desk staff can issue "
                "activation codes to patients without one (Clinic console, Patients)."
            )
        )
