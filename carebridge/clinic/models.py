"""The organisation: clinics, their locations and practitioners, staff and their roles."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MESSAGE_REPLY_DAYS_MOST = 30
# The portal's own blue, used until a clinic chooses its colour (7.8:1 against white).
DEFAULT_BRAND_COLOUR = "#0b5394"


class VitalUnits(models.TextChoices):
    """The units a clinic shows vital signs in."""

    METRIC = "metric", _("Metric (kg, cm, °C)")
    US_CUSTOMARY = "us", _("US customary (lb, in, °F) with the metric value beside it")


class Clinic(models.Model):
    """A clinic (practice) and the settings it chooses for its portal."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The postal address as it is written on an envelope, one line per line.
    address = models.TextField(_("postal address"), max_length=500, blank=True)
    opening_hours = models.TextField(_("opening hours"), max_length=1000, blank=True)
    # Shown on the help page under "Contact the clinic".
    help_for_patients = models.TextField(_("help for patients"), max_length=2000, blank=True)
    # Shown in the emergency band on every page; empty means the portal's standard wording,
    # in the reader's language.
    emergency_wording = models.CharField(_("emergency wording"), max_length=300, blank=True)
    # The logo, re-encoded as PNG: a file name under CAREBRIDGE_ATTACHMENT_DIR/logos/.
    logo = models.CharField(max_length=255, blank=True)
    # #rrggbb behind white text (header, buttons) and for links on white: at least 4.5:1.
    brand_colour = models.CharField(_("brand colour"), max_length=7, default=DEFAULT_BRAND_COLOUR)
    # Goes up with every change of logo or colour, so their long-cached addresses change too.
    branding_version = models.PositiveIntegerField(default=1)
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    # How vital signs are shown to patients and in the console's chart: US customary (lb, in,
    # °F) with the metric value beside it, or metric only. The stored (FHIR) values never change.
    vital_units = models.CharField(
        _("units for vital signs"),
        max_length=8,
        choices=VitalUnits.choices,
        default=VitalUnits.US_CUSTOMARY,
    )
    require_patient_mfa = models.BooleanField(
        _("require two-step verification for patients"), default=False
    )
    activation_code_days = models.PositiveSmallIntegerField(
        _("activation codes last (days)"), default=30
    )
    # Result categories (FHIR Observation/DiagnosticReport category codes, such as "laboratory"
    # or "imaging") that wait for a clinician to release them. Everything else is released at once.
    held_result_categories = models.JSONField(
        _("result categories held for clinician release"), default=list, blank=True
    )
    # Proxy age rules: a parent or guardian has full access under the first age, limited access
    # (appointments, billing, messages, allergies, immunizations) until the second, none after.
    proxy_full_access_under_age = models.PositiveSmallIntegerField(
        _("parents have full access to a child's record under this age"), default=12
    )
    proxy_parental_access_until_age = models.PositiveSmallIntegerField(
        _("parental access ends at this age"), default=18
    )
    # A child below this age cannot have a portal account of their own (no activation code, no
    # enrolment): their parent or guardian acts for them through a grant staff give.
    own_account_from_age = models.PositiveSmallIntegerField(
        _("patients may have their own portal account from this age"),
        default=13,
        validators=[MaxValueValidator(18)],
    )
    # Shown to patients before they write: "The clinic answers messages within N working days."
    message_reply_days = models.PositiveSmallIntegerField(
        _("working days the clinic takes to answer a message"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MESSAGE_REPLY_DAYS_MOST)],
    )

    class Meta:
        ordering = ["name"]
        permissions = [
            ("use_staff_console", "Can use the clinic console"),
            ("invite_patient", "Can issue portal activation codes"),
            ("view_audit_report", "Can read and export the audit report"),
            ("manage_clinic", "Can change clinic settings, locations and staff"),
            ("import_records", "Can import health records from EHR exports"),
            ("review_patient_matches", "Can decide uncertain patient matches from imports"),
            ("release_results", "Can release held test results to patients"),
            ("view_chart", "Can open a patient's clinical record in the console"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    address_line = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=50)
    postal_code = models.CharField(_("postal code"), max_length=20)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="location_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Practitioner(models.Model):
    """A clinician who sees patients; may also have a staff sign-in."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="practitioners")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    credentials = models.CharField(_("credentials"), max_length=40, blank=True)
    specialty = models.CharField(_("specialty"), max_length=100, blank=True)
    npi = models.CharField(_("NPI"), max_length=10, blank=True)
    locations = models.ManyToManyField(Location, related_name="practitioners", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practitioner",
    )

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.given_name} {self.family_name}"
        return f"{name}, {self.credentials}" if self.credentials else name


class StaffRole(models.TextChoices):
    """Staff roles. Each is a Django group of the same name holding its permissions."""

    CLINICIAN = "clinician", _("Clinician")
    NURSE = "nurse", _("Nurse")
    FRONT_DESK = "front_desk", _("Front desk")
    BILLING = "billing", _("Billing")
    CLINIC_ADMIN = "clinic_admin", _("Clinic administrator")


# The permissions each role's group holds (codenames on clinic.Clinic).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    StaffRole.CLINICIAN: ["use_staff_console", "release_results", "view_chart"],
    StaffRole.NURSE: ["use_staff_console", "view_chart"],
    StaffRole.FRONT_DESK: ["use_staff_console", "invite_patient"],
    StaffRole.BILLING: ["use_staff_console"],
    StaffRole.CLINIC_ADMIN: [
        "use_staff_console",
        "invite_patient",
        "view_audit_report",
        "manage_clinic",
        "import_records",
        "review_patient_matches",
    ],
}


class StaffMember(models.Model):
    """A portal user who works for a clinic. Their role is their group membership."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__last_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
