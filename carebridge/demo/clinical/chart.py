"""The state shared while one patient's record is written: who they are, who looks after them,
their clinical story, and the bundle the resources go into."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from carebridge.demo.clinical.bundle import BundleBuilder, PractitionerRef
from carebridge.demo.clinical.datatypes import Json, reference
from carebridge.demo.clinical.growth import Body
from carebridge.demo.clinical.labvalues import LabValues
from carebridge.demo.clinical.profile import Diagnosis, Profile
from carebridge.demo.clinical.trends import Trend
from carebridge.demo.generator import PatientSpec


@dataclass(frozen=True)
class Clinician:
    person: PractitionerRef
    urn: str

    def reference(self) -> Json:
        return reference(self.urn, self.person.display)


@dataclass
class Chart:
    builder: BundleBuilder
    rng: random.Random
    spec: PatientSpec
    profile: Profile
    body: Body
    trends: dict[str, Trend]
    labs: LabValues
    # The patient's own clinician comes first.
    clinicians: tuple[Clinician, ...]
    clinic_name: str

    # Every resource refers to the patient, so their reference is worked out once.
    @functools.cached_property
    def patient_urn(self) -> str:
        return self.builder.urn("Patient", "patient")

    @functools.cached_property
    def organization_urn(self) -> str:
        return self.builder.urn("Organization", "clinic", shared=True)

    @property
    def primary(self) -> Clinician:
        return self.clinicians[0]

    def subject(self) -> Json:
        return reference(self.patient_urn, self.spec.display_name)

    def condition_reference(self, diagnosis: Diagnosis) -> Json:
        urn = self.builder.urn("Condition", diagnosis.key)
        return reference(urn, diagnosis.problem.name)

    def organization(self) -> Json:
        return reference(self.organization_urn, self.clinic_name)
