"""`carebridge grant-proxy`: give a parent or guardian access to a minor's record.

For clinic staff who have checked the parent's identity and relationship. The parent must
already have their own portal account; the grant is made and audited in the staff member's
name, exactly as from the console, and the parent is told by e-mail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from carebridge.accounts.management.commands.invite_patient import find_patient
from carebridge.accounts.models import User
from carebridge.proxies.models import ProxyRelationship, ProxyScope
from carebridge.proxies.services import grant_parental_access


def find_user(email: str, *, role: str) -> User:
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is not None:
        return user
    if role == "proxy":
        raise CommandError(
            _(
                "No portal account uses %(email)s. The parent or guardian needs their own "
                "portal account first (a patient of the clinic enrols with an activation code "
                "from `carebridge invite-patient`); then run this command again."
            )
            % {"email": email}
        )
    raise CommandError(_("No staff account uses %(email)s.") % {"email": email})


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
    help = "Give a parent or legal guardian (with a portal account) access to a minor's record."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient-mrn", required=True, help=_("The child's record number."))
        parser.add_argument("--proxy-email", required=True, help=_("The parent's account e-mail."))
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
        staff = find_user(options["staff_email"], role="staff")
        proxy = find_user(options["proxy_email"], role="proxy")
        try:
            grant = grant_parental_access(
                actor=staff,
                patient=patient,
                proxy=proxy,
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
        self.stdout.write(
            _("Granted %(relationship)s access to %(email)s for patient %(mrn)s: %(scopes)s.")
            % {
                "relationship": ProxyRelationship(grant.relationship).label.lower(),
                "email": proxy.email,
                "mrn": patient.mrn,
                "scopes": labels,
            }
        )
        self.stdout.write(_("Age rules apply: from age 12 the access narrows, at 18 it ends."))
