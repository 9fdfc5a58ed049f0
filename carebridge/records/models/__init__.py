"""The clinical record: FHIR R4 resources, stored as JSON, with the columns pages query.

Each resource is kept whole as FHIR JSON (`ClinicalResource.resource`) together with every
earlier version (`ResourceVersion`). The other columns are extracted from the JSON when it is
stored (see `records/indexing/`), so list and summary pages read small indexed columns and
never load every resource's JSON.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The clinician's comments on results and the clinic's ready-made ones live in their own module.
from carebridge.records.models.comments import COMMENT_MAX_LENGTH as COMMENT_MAX_LENGTH
from carebridge.records.models.comments import QuickComment as QuickComment
from carebridge.records.models.comments import ResultComment as ResultComment


class ResourceType(models.TextChoices):
    """The resource types pages ask for by name. Any other FHIR type is stored as well."""

    PATIENT = "Patient"
    OBSERVATION = "Observation"
    DIAGNOSTIC_REPORT = "DiagnosticReport"
    CONDITION = "Condition"
    MEDICATION_REQUEST = "MedicationRequest"
    MEDICATION_STATEMENT = "MedicationStatement"
    ALLERGY = "AllergyIntolerance"
    IMMUNIZATION = "Immunization"
    PROCEDURE = "Procedure"
    ENCOUNTER = "Encounter"
    DOCUMENT_REFERENCE = "DocumentReference"
    CARE_TEAM = "CareTeam"
    CARE_PLAN = "CarePlan"
    GOAL = "Goal"
    PRACTITIONER = "Practitioner"
    ORGANIZATION = "Organization"
    CLAIM = "Claim"
    EOB = "ExplanationOfBenefit"


# Observation categories the portal shows as test results (vital signs, surveys and social
# history have their own pages or none).
RESULT_CATEGORIES = ("laboratory", "imaging", "pathology", "procedure", "exam")
# The same, in words, for the clinic's release settings.
RESULT_CATEGORY_CHOICES = [
    ("laboratory", _("Laboratory tests")),
    ("imaging", _("Imaging (X-rays, scans)")),
    ("pathology", _("Pathology (biopsies, tissue)")),
    ("procedure", _("Procedure results")),
    ("exam", _("Examination findings")),
]


class Release(models.TextChoices):
    """Whether the patient may see a result yet."""

    RELEASED = "released", _("Released")
    HELD = "held", _("Awaiting clinician review")


class ClinicalResourceQuerySet(models.QuerySet["ClinicalResource"]):
    def of_type(self, resource_type: str) -> ClinicalResourceQuerySet:
        return self.filter(resource_type=resource_type)

    def for_patient(self, patient_id: uuid.UUID | str) -> ClinicalResourceQuerySet:
        return self.filter(patient_id=patient_id)

    def visible_to_patient(self) -> ClinicalResourceQuerySet:
        """What the patient side may see: released, and not entered in error."""
        return self.filter(release=Release.RELEASED).exclude(status="entered-in-error")

    def held(self) -> ClinicalResourceQuerySet:
        return self.filter(release=Release.HELD)

    def without_json(self) -> ClinicalResourceQuerySet:
        """Index columns only: for lists and summaries, which never need the whole resource."""
        return self.defer("resource")

    def newest_first(self) -> ClinicalResourceQuerySet:
        return self.order_by(models.F("effective_at").desc(nulls_last=True), "-id")


class ClinicalResource(models.Model):
    """The current version of one FHIR resource, with the columns pages filter and sort on.

    `patient` is empty for shared resources (Practitioner, Organization, Location, Medication).
    `fhir_id` is the id Carebridge serves the resource under; references inside stored JSON
    use these ids, and a Patient resource's id is the portal Patient's UUID.
    """

    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clinical_resources",
    )
    resource_type = models.CharField(max_length=64)
    fhir_id = models.CharField(max_length=64)
    # The id the FHIR API serves it under, and its `urn:uuid:` in downloads: a uuid derived from
    # the clinic, type and `fhir_id` (`exports.bundle_links.entry_uuid`), so a read is one
    # indexed lookup.
    api_id = models.UUIDField(unique=True)
    version = models.PositiveIntegerField(default=1)
    # SHA-256 of the canonical JSON: a re-import of identical content changes nothing.
    content_hash = models.CharField(max_length=64)
    resource = models.JSONField()
    # Where the current version came from: the sending system or the file's name.
    source = models.CharField(max_length=255, blank=True)

    # Index columns, extracted from the JSON by `records.indexing`.
    category = models.CharField(max_length=64, blank=True)
    code_system = models.CharField(max_length=255, blank=True)
    code = models.CharField(max_length=64, blank=True)
    code_display = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=32, blank=True)
    # Clinical status where the type has one (problems, allergies, medications): active, resolved…
    clinical_status = models.CharField(max_length=32, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    effective_end = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # For Observations: the value, its unit, and the reference range and interpretation.
    value_numeric = models.FloatField(null=True, blank=True)
    value_unit = models.CharField(max_length=40, blank=True)
    value_text = models.CharField(max_length=255, blank=True)
    interpretation = models.CharField(max_length=8, blank=True)
    reference_low = models.FloatField(null=True, blank=True)
    reference_high = models.FloatField(null=True, blank=True)
    reference_text = models.CharField(max_length=255, blank=True)
    # Component values (blood pressure's systolic and diastolic): [{"code", "value", "unit"}].
    components = models.JSONField(default=list, blank=True)
    # Short display fields for lists: who ordered or prescribed it, and a one-line detail
    # (dosage instructions, an allergy's reaction and severity).
    performer = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # The visit (Encounter fhir_id) it belongs to, and the report that groups it.
    encounter_id = models.CharField(max_length=64, blank=True)
    # Labelled sensitive by its source (`meta.security`): never shown to anyone acting for
    # the patient, in pages, downloads or counts (see `records.indexing.is_sensitive`).
    is_sensitive = models.BooleanField(default=False)

    release = models.CharField(max_length=10, choices=Release.choices, default=Release.RELEASED)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the patient first opened it: results without it are shown as new.
    seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ClinicalResourceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "resource_type", "fhir_id"], name="resource_unique_id"
            ),
        ]
        indexes = [
            models.Index(
                fields=["patient", "resource_type", "effective_at"], name="resource_timeline"
            ),
            # One test's history (trend pages, a result's chart) in date order, without a sort.
            models.Index(
                fields=["patient", "resource_type", "code", "effective_at"],
                name="resource_code_time",
            ),
            # Covers the results pages' counts (all, new, held, by kind and dates): they read
            # this index alone, never the rows with their JSON.
            models.Index(
                fields=[
                    "patient",
                    "resource_type",
                    "category",
                    "effective_at",
                    "release",
                    "status",
                    "seen_at",
                ],
                name="resource_category_cover",
            ),
            models.Index(fields=["patient", "resource_type", "seen_at"], name="resource_unseen"),
            models.Index(fields=["clinic", "release"], name="resource_release"),
            # A clinic's day of one type: the console's schedule's check-ins of EHR appointments.
            models.Index(fields=["clinic", "resource_type", "effective_at"], name="resource_day"),
            models.Index(fields=["patient", "encounter_id"], name="resource_encounter"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.fhir_id}"

    @property
    def reference(self) -> str:
        return f"{self.resource_type}/{self.fhir_id}"

    @property
    def is_new(self) -> bool:
        return self.seen_at is None

    @property
    def is_abnormal(self) -> bool:
        return self.interpretation not in ("", "N")


class ResourceVersion(models.Model):
    """Every version a resource has had, the current one included, as it arrived."""

    resource = models.ForeignKey(
        ClinicalResource, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    body = models.JSONField()
    source = models.CharField(max_length=255, blank=True)
    import_job = models.ForeignKey(
        "records.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "version"], name="version_unique"),
        ]
        ordering = ["resource", "version"]

    def __str__(self) -> str:
        return f"{self.resource} v{self.version}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Finished with errors")
    # A passing fault (the database or the disk) stopped it; its files are kept for a retry.
    STOPPED = "stopped", _("Stopped — can be retried")


class ImportJob(models.Model):
    """One import run (a command or a staff upload): its progress and its summary."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The uploaded or named files' labels (never their content).
    source = models.CharField(max_length=500, blank=True)
    # Where an upload waits for the background task (under MEDIA/imports), removed afterwards.
    upload_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    units_total = models.PositiveIntegerField(default=0)
    units_done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    # The task worker running it (`carebridge worker`'s id): another worker may take over a
    # running job only once that worker's lease has expired.
    claimed_by = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.id}"

    @property
    def percent_done(self) -> int:
        if not self.units_total:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.FAILED) else 0
        return min(100, round(100 * self.units_done / self.units_total))


class UnitKind(models.TextChoices):
    FILE = "file", _("File")
    GROUP = "group", _("Group")


class ImportUnit(models.Model):
    """A finished part of an import job: a file, or one group (a patient's resources) of it.

    Written in the same transaction as the group's resources, so a job run again (after its
    worker died, was stopped, or a retry) skips exactly what was stored. `summary` is what the
    part added to the job's summary; the job's summary is the sum of its parts, never a recount.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(max_length=5, choices=UnitKind.choices)
    # A file's name, or "<file name>#<group number>" ("ndjson#<n>" for bulk-data groups).
    key = models.CharField(max_length=600)
    summary = models.JSONField(default=dict)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "kind", "key"], name="import_unit_once"),
        ]
        ordering = ["job", "finished_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    MERGED = "merged", _("Added to the existing patient")
    SEPARATE = "separate", _("Created as a new patient")


class PatientMatchReview(models.Model):
    """An uncertain patient match: same name and birth date as a patient, other identifiers.

    The importer does not guess. It keeps that patient's resources here, untouched, until a
    member of staff decides whether they belong to `candidate` or to a new patient.
    """

    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.PROTECT, related_name="+")
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews"
    )
    candidate = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    # The incoming patient's name, birth date and identifiers, for the reviewer to compare.
    incoming: models.JSONField[dict[str, Any]] = models.JSONField(default=dict)
    # The incoming resources (the whole group for that patient), imported once decided.
    resources = models.JSONField(default=list)
    source = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Match review {self.pk}"


class RecordShare(models.Model):
    """A health summary the patient sent to someone else (another doctor) by e-mail.

    The e-mail holds only a link. The link's token and the passcode (which the patient gives
    the recipient separately) are stored as HMACs; the link works once, until it expires.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recipient_email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    passcode_digest = models.CharField(max_length=64)
    # Which part of the record: section names, and an optional date range.
    sections = models.JSONField(default=list, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Record share {self.pk}"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.opened_at is None and self.revoked_at is None and now < self.expires_at
