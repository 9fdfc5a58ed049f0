"""`carebridge setup`: the first step after `migrate` on a new installation.

Creates the clinic, its first place and its first clinic administrator, and prints (or, with
--email-link, e-mails through the outbox) the one-time link with which the administrator
chooses a password; at their first sign-in they set up two-step verification. Asks for what
the options do not give, unless --no-input. Refuses to run when a clinic exists already,
unless --another-clinic.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from carebridge.clinic.services import ClinicDetails, FirstAdministrator, SetUp, set_up_clinic
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import send_after_commit

# (option, question) in the order they are asked.
QUESTIONS = [
    ("clinic_name", "The clinic's name"),
    ("time_zone", "Its time zone (such as America/New_York)"),
    ("phone", "Its phone number"),
    ("address_line", "Its street address"),
    ("city", "City"),
    ("state", "State"),
    ("postal_code", "ZIP code"),
    ("admin_email", "The first administrator's e-mail address"),
    ("admin_given_name", "Their first name"),
    ("admin_family_name", "Their last name"),
]
REQUIRED = {"clinic_name", "time_zone", "admin_email", "admin_given_name", "admin_family_name"}


class Command(BaseCommand):
    help = "Set up the clinic and its first administrator on a new installation."

    def add_arguments(self, parser: CommandParser) -> None:
        for option, question in QUESTIONS:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Ask nothing; fail if a needed option is missing.",
        )
        parser.add_argument(
            "--email-link",
            action="store_true",
            help="E-mail the administrator's link (the worker sends it) instead of printing it.",
        )
        parser.add_argument(
            "--another-clinic",
            action="store_true",
            help="Add a clinic to an installation that already has one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        answers = self._answers(options)
        try:
            done = set_up_clinic(
                clinic=ClinicDetails(
                    name=answers["clinic_name"],
                    time_zone=answers["time_zone"],
                    phone=answers["phone"],
                    address_line=answers["address_line"],
                    city=answers["city"],
                    state=answers["state"],
                    postal_code=answers["postal_code"],
                ),
                administrator=FirstAdministrator(
                    email=answers["admin_email"],
                    given_name=answers["admin_given_name"],
                    family_name=answers["admin_family_name"],
                ),
                another=options["another_clinic"],
            )
        except ValidationError as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
        self._tell(done, email=options["email_link"])

    def _answers(self, options: dict[str, Any]) -> dict[str, str]:
        answers = {}
        may_ask = not options["no_input"] and sys.stdin.isatty()
        for option, question in QUESTIONS:
            value = (options.get(option) or "").strip()
            if not value and may_ask:
                value = input(f"{question}: ").strip()
            if not value and option in REQUIRED:
                flag = "--" + option.replace("_", "-")
                raise CommandError(
                    _("Give %(flag)s (%(question)s).") % {"flag": flag, "question": question}
                )
            answers[option] = value
        return answers

    def _tell(self, done: SetUp, *, email: bool) -> None:
        name = done.administrator.display_name
        self.stdout.write(
            _("Set up %(clinic)s (short name %(slug)s) with %(name)s as its administrator.")
            % {"clinic": done.clinic.name, "slug": done.clinic.slug, "name": name}
        )
        if email:
            send_after_commit(
                done.administrator.email,
                _("Your Carebridge administrator account"),
                [
                    _("An account has been made for you to run %(clinic)s on Carebridge.")
                    % {"clinic": done.clinic.name},
                    _("Choose your password here (the link works once): %(link)s")
                    % {"link": done.link},
                    _("When you first sign in, you will set up two-step verification."),
                ],
                kind=NoticeKind.ACCOUNT,
                clinic=done.clinic,
            )
            self.stdout.write(
                _("The link to choose a password was e-mailed to %(email)s.")
                % {"email": done.administrator.email}
            )
            return
        self.stdout.write(
            _("Give this link to %(name)s to choose a password (it works once):") % {"name": name}
        )
        self.stdout.write(done.link)
        self.stdout.write(
            _(
                "At their first sign-in they set up two-step verification. Then import records "
                "with `carebridge import-fhir` and invite patients from the console or with "
                "`carebridge invite-patient`."
            )
        )
