"""`carebridge invite_patient --mrn MRN [--clinic SLUG]`: issue a patient's activation code.

For clinics without a console user to hand (first set-up, support). The code is printed once,
to this terminal only; like every activation code it is audited, as issued by the system.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.accounts.models import ActivationCode
from carebridge.accounts.services import issue_activation_code
from carebridge.patients.models import Patient


def find_patient(mrn: str, clinic_slug: str | None) -> Patient:
    """The one patient with this MRN (at this clinic, if given), else a CommandError."""
    patients = Patient.objects.select_related("clinic").filter(mrn=mrn.strip())
    if clinic_slug:
        patients = patients.filter(clinic__slug=clinic_slug)
    found = list(patients[:10])
    if not found:
        raise CommandError(_("No patient has the medical record number %(mrn)s.") % {"mrn": mrn})
    if len(found) > 1:
        slugs = ", ".join(sorted(patient.clinic.slug for patient in found))
        raise CommandError(
            _(
                "Several clinics have a patient with the medical record number %(mrn)s "
                "(%(slugs)s). Choose one with --clinic."
            )
            % {"mrn": mrn, "slugs": slugs}
        )
    return found[0]


def expiry_date(patient: Patient) -> datetime.date:
    """The day the patient's usable code expires, in the clinic's time zone."""
    activation = ActivationCode.objects.usable().filter(patient=patient).first()
    assert activation is not None
    clinic_zone = zoneinfo.ZoneInfo(patient.clinic.time_zone)
    return timezone.localtime(activation.expires_at, clinic_zone).date()


class Command(BaseCommand):
    help = "Issue a new portal activation code for a patient and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mrn", required=True, help=_("The patient's medical record number."))
        parser.add_argument(
            "--clinic", help=_("The clinic's short name, when several clinics use this number.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        patient = find_patient(options["mrn"], options["clinic"])
        try:
            code = issue_activation_code(actor=None, patient=patient)
        except ValidationError as error:
            if error.code == "too_young":
                raise CommandError(error.message) from error
            raise CommandError(
                _("The patient with this medical record number already has a portal account.")
            ) from error
        self.stdout.write(_("Activation code: %(code)s") % {"code": code})
        self.stdout.write(
            _("Expires: %(date)s. Any earlier code for this patient no longer works.")
            % {"date": expiry_date(patient).isoformat()}
        )
        self.stdout.write(
            _("The patient goes to /account/enrol/ and enters the code and their date of birth.")
        )
