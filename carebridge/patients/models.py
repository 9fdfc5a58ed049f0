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
