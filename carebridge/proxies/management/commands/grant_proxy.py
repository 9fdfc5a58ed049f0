"""`carebridge grant-proxy`: give a parent or guardian access to a minor's record.

For clinic staff who have checked the parent's identity and relationship. A parent with a
portal account gets access at once; one without is sent an invitation to create one (the
grant waits until they accept). Made and audited in the staff member's name, exactly as from
the console; the parent is told by e-mail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from carebridge.accounts.management.commands.invite_patient import find_patient
from carebridge.accounts.models import User
from carebridge.proxies.models import GrantStatus, ProxyRelationship, ProxyScope
from carebridge.proxies.services import give_guardian_access


def find_staff_user(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise CommandError(_("No staff account uses %(email)s.") % {"email": email})
    return user


def parse_scopes(text: str) -> list[str]:
    scopes = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [scope for scope in scopes if scope not in ProxyScope.values]
    if unknown or not scopes:
        raise CommandError(
            _("Unknown or missing scopes: %(unknown)s. Choose from: %(known)s.")
            % {"unknown": ", ".join(unknown) or "-", "known": ", ".join(ProxyScope.values)}
        )
    return scopes


class Command(BaseCommand):
    help = "Give a parent or legal guardian access to a minor's record (or invite them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient-mrn", required=True, help=_("The child's record number."))
        parser.add_argument("--proxy-email", required=True, help=_("The parent's e-mail address."))
        parser.add_argument(
            "--relationship",
            required=True,
            choices=["parent", "legal_guardian"],
            help=_("parent or legal_guardian."),
        )
        parser.add_argument(
            "--scopes",
            required=True,
            help=_("Comma-separated: %(known)s.") % {"known": ", ".join(ProxyScope.values)},
        )
        parser.add_argument("--clinic", help=_("The clinic's short name, if several use the MRN."))
        parser.add_argument(
            "--staff-email", required=True, help=_("The staff member who checked identity.")
        )
        parser.add_argument(
            "--note", default="", help=_("How identity and relationship were checked.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scopes = parse_scopes(options["scopes"])
        patient = find_patient(options["patient_mrn"], options["clinic"])
        staff = find_staff_user(options["staff_email"])
        try:
            grant = give_guardian_access(
                actor=staff,
                patient=patient,
                email=options["proxy_email"],
                relationship=options["relationship"],
                scopes=scopes,
                note=options["note"],
            )
        except PermissionError as error:
            raise CommandError(
                _("%(email)s is not active staff of this patient's clinic allowed to give access.")
                % {"email": options["staff_email"]}
            ) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        labels = ", ".join(str(ProxyScope(scope).label) for scope in grant.scopes)
        done = (
            _("Invited %(email)s, who has no portal account yet, to take %(relationship)s access")
            if grant.status == GrantStatus.INVITED
            else _("Granted %(relationship)s access to %(email)s")
        )
        self.stdout.write(
            (done + _(" for patient %(mrn)s: %(scopes)s."))
            % {
                "relationship": ProxyRelationship(grant.relationship).label.lower(),
                "email": grant.proxy.email if grant.proxy else grant.invite_email,
                "mrn": patient.mrn,
                "scopes": labels,
            }
        )
        self.stdout.write(_("Age rules apply: from age 12 the access narrows, at 18 it ends."))
