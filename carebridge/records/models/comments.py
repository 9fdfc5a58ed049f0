"""A clinician's comment for the patient on a released result, and the clinic's quick comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A comment for the patient is short plain text: 1 to 1000 characters once stripped.
COMMENT_MAX_LENGTH = 1000


class QuickComment(models.Model):
    """One of the clinic's ready-made comments, offered to a clinician releasing a result
    ("Normal, no action needed"). Managed by the clinic's administrators; audited as
    configuration ("quick_comment")."""

    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["clinic", "position", "pk"]

    def __str__(self) -> str:
        return f"Quick comment {self.pk}"


class ResultComment(models.Model):
    """A clinician's comment for the patient on one released result or report (at most one).

    Health information: shown only through the record's access checks, never in an e-mail,
    a log or an address. `patient` repeats the resource's so the home page's panel is one
    indexed query.
    """

    resource = models.OneToOneField(
        "records.ClinicalResource", on_delete=models.CASCADE, related_name="clinician_comment"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["patient", "written_at"], name="result_comment_recent")]

    def __str__(self) -> str:
        return f"Comment on {self.resource_id}"
