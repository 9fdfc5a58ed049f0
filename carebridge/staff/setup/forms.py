"""Forms of the set-up pages. Each checks what the service would refuse, so the administrator
reads the reason beside the field; the services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.logos import LOGO_MAX_BYTES
from carebridge.clinic.models import Clinic, Location, StaffMember, VitalUnits
from carebridge.clinic.services.clinicians import ClinicianDetails, clinician_refusal
from carebridge.clinic.services.places import PlaceDetails, name_taken_refusal
from carebridge.clinic.services.profile import (
    ACTIVATION_DAYS_MOST,
    ADULT_AGE,
    ClinicProfile,
    PatientSettings,
    colour_refusal,
    patient_settings_refusal,
    time_zone_refusal,
)
from carebridge.lib.npi import is_valid_npi

_LINES = {"rows": 4}


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Clinic name"), max_length=200)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        help_text=_("As you would write it on an envelope, one line per line."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs=_LINES),
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        help_text=_("For example: Monday to Friday, 8 am to 6 pm."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs=_LINES),
    )
    help_for_patients = forms.CharField(
        label=_("Help for patients"),
        help_text=_("Shown on the help page, under the clinic's phone number."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=_LINES),
    )
    emergency_wording = forms.CharField(
        label=_("Emergency wording"),
        help_text=_(
            "Shown at the top of every page. Leave it empty for the standard wording: "
            "“In an emergency, call 911. This portal is not watched around the clock.”"
        ),
        max_length=300,
        required=False,
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        help_text=_("Appointments and reports use it. For example: America/Chicago."),
        max_length=64,
    )
    vital_units = forms.ChoiceField(
        label=_("Units for vital signs"),
        help_text=_(
            "How patients and staff see weight, height and temperature. The record keeps the "
            "values the clinic's system sent."
        ),
        choices=VitalUnits.choices,
        widget=forms.RadioSelect,
    )
    brand_colour = forms.CharField(
        label=_("Brand colour"),
        help_text=_(
            "Used for the top of every page, buttons and links, with white text on it. "
            "Write it as # and six hexadecimal digits, such as #0b5394. It must be dark "
            "enough for white text to be read (a contrast of at least 4.5 to 1)."
        ),
        max_length=7,
    )

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data["time_zone"]
        refusal = time_zone_refusal(zone)
        if refusal:
            raise forms.ValidationError(refusal, code="time_zone")
        return zone

    def clean_brand_colour(self) -> str:
        colour: str = self.cleaned_data["brand_colour"]
        refusal = colour_refusal(colour)
        if refusal:
            raise forms.ValidationError(refusal, code="contrast")
        return colour.lower()

    @classmethod
    def initial_for(cls, clinic: Clinic) -> dict[str, str]:
        return {name: getattr(clinic, name) for name in cls.base_fields}

    def profile(self) -> ClinicProfile:
        return ClinicProfile(**self.cleaned_data)


class LogoForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_(
            "A PNG, JPEG or WebP picture of at most 2 MB. It is shown up to 1000 pixels wide, "
            "on a white tile at the top of every page."
        ),
        error_messages={"required": _("Choose a picture file for the logo.")},
    )

    def clean_logo(self) -> bytes:
        upload = self.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo file is too large. Choose one of at most 2 MB."), code="too_large"
            )
        data: bytes = upload.read()
        return data


class PatientSettingsForm(forms.Form):
    proxy_full_access_under_age = forms.IntegerField(
        label=_("Parents see their child's whole record until the child is"),
        help_text=_(
            "Below this age a parent or guardian with access sees everything in the child's "
            "record. From this age they see only appointments, bills, messages, allergies and "
            "immunizations, unless the teenager chooses to share more."
        ),
        min_value=1,
        max_value=ADULT_AGE,
    )
    proxy_parental_access_until_age = forms.IntegerField(
        label=_("Parents' access ends when the child is"),
        help_text=_("From this age the patient is an adult in the portal: parents see nothing."),
        min_value=1,
        max_value=ADULT_AGE,
    )
    own_account_from_age = forms.IntegerField(
        label=_("Patients may have their own account from the age of"),
        help_text=_(
            "Younger children cannot be given an activation code; a parent or guardian uses "
            "the portal for them."
        ),
        min_value=0,
        max_value=ADULT_AGE,
    )
    require_patient_mfa = forms.BooleanField(
        label=_("Patients must use two-step verification"),
        help_text=_(
            "When ticked, every patient and caregiver sets up a code from an app on their "
            "phone before they can use the portal. It keeps a stolen password from being "
            "enough, but some older patients may need help."
        ),
        required=False,
    )
    activation_code_days = forms.IntegerField(
        label=_("Activation codes last (days)"),
        help_text=_("How long a patient has to create their account with the code staff give."),
        min_value=1,
        max_value=ACTIVATION_DAYS_MOST,
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is not None and not self.errors:
            refusal = patient_settings_refusal(self.settings())
            if refusal:
                raise forms.ValidationError(refusal, code="ages")
        return cleaned

    @classmethod
    def initial_for(cls, clinic: Clinic) -> dict[str, object]:
        return {name: getattr(clinic, name) for name in cls.base_fields}

    def settings(self) -> PatientSettings:
        return PatientSettings(**self.cleaned_data)


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address_line = forms.CharField(label=_("Street address"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.CharField(label=_("State"), max_length=50)
    postal_code = forms.CharField(label=_("ZIP code"), max_length=20)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)

    def __init__(self, *args: Any, clinic: Clinic, place: Location | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.place = place

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        besides = self.place.pk if self.place is not None else None
        refusal = name_taken_refusal(self.clinic, name, besides=besides)
        if refusal:
            raise forms.ValidationError(refusal, code="name_taken")
        return name

    def details(self) -> PlaceDetails:
        return PlaceDetails(**self.cleaned_data)


class ClinicianForm(forms.Form):
    given_name = forms.CharField(label=_("First name"), max_length=100)
    family_name = forms.CharField(label=_("Last name"), max_length=100)
    credentials = forms.CharField(
        label=_("Credentials"), help_text=_("For example: MD, NP."), max_length=40, required=False
    )
    specialty = forms.CharField(label=_("Specialty"), max_length=100, required=False)
    npi = forms.CharField(
        label=_("NPI"),
        help_text=_("The clinician's ten-digit National Provider Identifier."),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Places they work at"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff = forms.ModelChoiceField(
        label=_("Their staff account"),
        help_text=_("The account they sign in with, if they have one."),
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, clinic: Clinic, clinician_id: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.clinician_id = clinician_id
        places: Any = self.fields["places"]
        places.queryset = Location.objects.filter(clinic=clinic)
        staff: Any = self.fields["staff"]
        # Active staff, and whoever is linked now (even if no longer active), so that saving
        # the form unchanged keeps the link.
        linked = Q(user__practitioner__pk=clinician_id) if clinician_id is not None else Q()
        staff.queryset = StaffMember.objects.filter(
            Q(is_active=True) | linked, clinic=clinic
        ).select_related("user")
        staff.label_from_instance = lambda member: (
            f"{member.user.display_name} ({member.user.email})"
        )

    def clean_npi(self) -> str:
        npi: str = self.cleaned_data["npi"]
        if npi and not is_valid_npi(npi):
            raise forms.ValidationError(
                _("That NPI is not right: it has ten digits, the last a check digit."), code="npi"
            )
        return npi

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is not None and not self.errors:
            refusal = clinician_refusal(self.clinic, self.details(), self.clinician_id)
            if refusal:
                raise forms.ValidationError(refusal, code="clinician")
        return cleaned

    def details(self) -> ClinicianDetails:
        data = self.cleaned_data
        return ClinicianDetails(
            given_name=data["given_name"],
            family_name=data["family_name"],
            credentials=data["credentials"],
            specialty=data["specialty"],
            npi=data["npi"],
            places=tuple(data["places"]),
            staff=data["staff"],
        )
