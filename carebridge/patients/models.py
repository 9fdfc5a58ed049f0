"""Patients: who the record belongs to, how to reach them, and their identifiers."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic
from carebridge.lib.dates import age_on


class AdministrativeSex(models.TextChoices):
    """FHIR administrative gender."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class PatientQuerySet(models.QuerySet["Patient"]):
    def with_portal_account(self) -> PatientQuerySet:
        return self.filter(user__isnull=False)

    def search(self, text: str) -> PatientQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(mrn__iexact=text)
            | models.Q(family_name__istartswith=text)
            | models.Q(given_name__istartswith=text)
        )


class Patient(models.Model):
    """A patient of a clinic. `user` is their own portal account, once they have enrolled."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField(_("medical record number"), max_length=40)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=AdministrativeSex.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address_line = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=50, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=20, default="en")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "mrn"], name="patient_unique_mrn"),
        ]
        indexes = [models.Index(fields=["family_name", "given_name", "birth_date"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def first_name(self) -> str:
        """The name the patient goes by, for the portal's own words about them ("Aaron's
        health record")."""
        return self.preferred_name or self.given_name

    @property
    def notice_address(self) -> str:
        """Where notices to the patient go: their portal account's address, else the address
        on file (a patient without an account)."""
        return self.user.email if self.user is not None else self.email

    @property
    def initial(self) -> str:
        return (self.preferred_name or self.given_name or "?")[:1].upper()

    def age(self, on: datetime.date | None = None) -> int:
        return age_on(self.birth_date, on or datetime.date.today())


class PatientIdentifier(models.Model):
    """Other identifiers for a patient (an EHR's id, a payer's member id, ...)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(_("system"), max_length=200)
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="identifier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"


class EmergencyContact(models.Model):
    """Someone the clinic may call in an emergency, kept by the patient on My details."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    name = models.CharField(_("name"), max_length=120)
    relationship = models.CharField(_("relationship"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class PreferredPharmacy(models.Model):
    """The pharmacy the patient wants prescriptions sent to; refill requests start from it."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="preferred_pharmacy"
    )
    name = models.CharField(_("pharmacy name"), max_length=120)
    address = models.CharField(_("pharmacy address"), max_length=200, blank=True)
    phone = models.CharField(_("pharmacy phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """How a refill request names it: the name, and the address when there is one."""
        return f"{self.name}, {self.address}" if self.address else self.name


class DetailsChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the clinic")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REPLACED = "replaced", _("Replaced by a newer change")


class DetailsChange(models.Model):
    """A change of postal address the patient sent, waiting for the front desk to accept it.

    The address is part of the clinic's record (statements, insurance claims, identity checks),
    so it changes only once the front desk accepts; a newer change replaces a waiting one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="details_changes")
    address_line = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=50)
    postal_code = models.CharField(_("postal code"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DetailsChangeStatus.choices,
        default=DetailsChangeStatus.PENDING,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("note for the patient"), max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["clinic", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="pending"),
                name="details_change_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.status}"
