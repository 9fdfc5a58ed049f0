"""Secure messages between patients (or those acting for them) and the clinic's care teams, and
the requests made from the record (refills, referrals, copies of records).

Privacy rule: subjects, message bodies, attachments, request details and notes are health
information. They are shown only through the access checks and never go into e-mails, URLs or
logs; a notification says only that there is something new.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic, Practitioner, StaffMember
from carebridge.patients.models import Patient


class Topic(models.TextChoices):
    """What a message is about, as the patient answers "What is it about?": the portal picks
    the team from the topics each team answers (`selectors.pick_team`)."""

    RESULT = "result", _("A question about a result")
    MEDICINES = "medicines", _("Medicines and refills")
    APPOINTMENTS = "appointments", _("Appointments")
    BILLING = "billing", _("Bills and insurance")
    FORMS = "forms", _("A form or letter")
    OTHER = "other", _("Something else")


class WrittenAs(models.TextChoices):
    """Who wrote or asked: the patient, a caregiver or parent for them, or the clinic."""

    SELF = "self", _("The patient")
    PROXY = "proxy", _("A caregiver or parent")
    STAFF = "staff", _("Clinic staff")


# Who started a conversation that is the patient's own: kept from a teenager's parent unless
# the teenager shares their messages (`proxies.rules.hides_patients_own_messages`). A
# conversation the clinic starts is addressed to the patient, so it is the teenager's too.
TEENS_OWN = (WrittenAs.SELF, WrittenAs.STAFF)


class CareTeam(models.Model):
    """A clinic's inbox (pool): the staff who answer it and the clinicians patients see as its
    members. Patients write only to the teams of their own clinic."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="care_teams")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what it helps with, in plain words"), blank=True)
    # The topics patients are offered when writing to this team; empty: every topic.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    practitioners = models.ManyToManyField(
        Practitioner, related_name="care_teams", blank=True, verbose_name=_("clinicians")
    )
    members = models.ManyToManyField(
        StaffMember, related_name="care_teams", blank=True, verbose_name=_("staff who answer")
    )
    is_active = models.BooleanField(_("taking messages"), default=True)

    class Meta:
        verbose_name = _("care team")
        verbose_name_plural = _("care teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="care_team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ThreadStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_ON_PATIENT = "waiting", _("Waiting for the patient")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class ThreadQuerySet(models.QuerySet["Thread"]):
    def for_patient(self, patient: Patient) -> ThreadQuerySet:
        return self.filter(patient=patient)

    def for_patient_side(self, patient: Patient, *, hides_patients_own: bool) -> ThreadQuerySet:
        """The patient's conversations one viewer on the patient's side may see: all of them,
        or, for a teenager's parent (`hides_patients_own`, from the acting context), all but
        the patient's own: those the patient started, and those the clinic started with the
        patient (addressed to the teenager, who alone is told of them)."""
        threads = self.for_patient(patient)
        return threads.exclude(created_as__in=TEENS_OWN) if hides_patients_own else threads

    def open(self) -> ThreadQuerySet:
        return self.exclude(status=ThreadStatus.CLOSED)

    def sent(self) -> ThreadQuerySet:
        """Threads whose first message has been sent: a thread that is still a draft has no
        `last_message_at` and is seen only by its writer, never by the clinic."""
        return self.filter(last_message_at__isnull=False)

    def with_read_at(self, user_id: int) -> ThreadQuerySet:
        """Each thread with `read_at`: when this user last read it (None if never)."""
        reads = ThreadRead.objects.filter(thread=OuterRef("pk"), user_id=user_id)
        return self.annotate(read_at=Subquery(reads.values("read_at")[:1]))

    def with_answered(self) -> ThreadQuerySet:
        """Each thread with `is_answered`: the clinic has replied and the patient's side has
        not written since (the last message both sides read is the clinic's, after one of the
        patient's side). A closed conversation reads "Closed", never "Answered"."""
        shared = Message.objects.for_patient_side().filter(thread=OuterRef("pk"))
        last_by = shared.order_by("-sent_at", "-created_at").values("author_as")[:1]
        patient_wrote = shared.exclude(author_as=WrittenAs.STAFF)
        return self.annotate(
            last_written_as=Subquery(last_by),
            is_answered=Q(last_written_as=WrittenAs.STAFF)
            & Exists(patient_wrote)
            & ~Q(status=ThreadStatus.CLOSED),
        )

    def unread_by(self, user_id: int) -> ThreadQuerySet:
        """Sent threads with a message newer than this user's last reading of them."""
        unread = Q(read_at__isnull=True) | Q(read_at__lt=F("last_message_at"))
        return self.sent().with_read_at(user_id).filter(unread)


class Thread(models.Model):
    """A conversation between one patient's side and one care team, on one topic."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="threads")
    team = models.ForeignKey(CareTeam, on_delete=models.PROTECT, related_name="threads")
    # The clinician the patient wrote to, when they chose one.
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="threads"
    )
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    subject = models.CharField(_("subject"), max_length=150)
    status = models.CharField(
        _("status"), max_length=12, choices=ThreadStatus.choices, default=ThreadStatus.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_as = models.CharField(_("started as"), max_length=8, choices=WrittenAs.choices)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    archived_by_patient_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The bill a question written from a statement is about ("Ask about this bill"): shown by
    # its number on both sides of the conversation, never in a notice.
    statement = models.ForeignKey(
        "billing.Statement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
        verbose_name=_("about statement"),
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at"]
        indexes = [
            models.Index(fields=["team", "status", "last_message_at"], name="thread_team_inbox"),
            # A team's open conversations, newest first, as the inbox lists them by default:
            # read in order and stopped at the page's end, where the index above (by status)
            # leaves every open thread to read and sort, and every patient and user to join.
            models.Index(
                models.F("team"),
                models.F("last_message_at").desc(),
                models.F("id"),
                condition=models.Q(last_message_at__isnull=False) & ~models.Q(status="closed"),
                name="thread_team_open",
            ),
            models.Index(fields=["patient", "last_message_at"], name="thread_patient_recent"),
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk} ({self.get_status_display()})"

    @property
    def is_sent(self) -> bool:
        """False while the thread is its writer's unsent draft of a new conversation."""
        return self.last_message_at is not None


class MessageQuerySet(models.QuerySet["Message"]):
    def sent(self) -> MessageQuerySet:
        return self.filter(sent_at__isnull=False)

    def drafts(self) -> MessageQuerySet:
        return self.filter(sent_at__isnull=True)

    def for_patient_side(self) -> MessageQuerySet:
        """What the patient and those acting for them may read: sent, never staff notes."""
        return self.sent().filter(is_internal=False)


class Message(models.Model):
    """One message of a thread; a draft until `sent_at`. An internal note is written by staff
    for staff and is never shown to the patient's side."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_as = models.CharField(_("written as"), max_length=8, choices=WrittenAs.choices)
    body = models.TextField(_("message"))
    is_internal = models.BooleanField(_("note for staff only"), default=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The sending form's one-time key: the same form posted twice (a double click, a reload)
    # is the same message, never a second one.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_internal=False) | Q(author_as=WrittenAs.STAFF),
                name="message_internal_notes_by_staff_only",
            ),
            # Each writer keeps at most one unsent draft per conversation.
            models.UniqueConstraint(
                fields=["thread", "author"],
                condition=Q(sent_at__isnull=True),
                name="message_one_draft_per_writer",
            ),
        ]
        indexes = [models.Index(fields=["thread", "sent_at"], name="message_thread_sent")]

    def __str__(self) -> str:
        return f"Message {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.sent_at is None


class ThreadRead(models.Model):
    """When a user last read a thread: what is newer is unread for them."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once_per_user")
        ]

    def __str__(self) -> str:
        return f"Read {self.read_at:%Y-%m-%d %H:%M} UTC"


class AttachmentType(models.TextChoices):
    PDF = "application/pdf", _("PDF document")
    JPEG = "image/jpeg", _("JPEG photo")
    PNG = "image/png", _("PNG image")


class Attachment(models.Model):
    """A file attached to a message, stored outside the web root under a random name and
    served only through the access checks. `content_type` is what the content was found to
    be, never what its name said."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(
        _("kind of file"), max_length=40, choices=AttachmentType.choices
    )
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_name = models.CharField(_("stored as"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Attachment {self.pk}"


class RequestKind(models.TextChoices):
    REFILL = "refill", _("Prescription refill")
    REFERRAL = "referral", _("Referral")
    RECORDS = "records", _("Copy of my records")
    # Cancel or move an appointment the clinic booked in its own system (scheduling asks).
    VISIT = "visit", _("Change to an appointment")


class CareRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Sent to the clinic")
    IN_REVIEW = "in_review", _("Being looked at")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CareRequest(models.Model):
    """A refill, referral or records request made from the record, with a status the patient
    can follow. `details` holds what was asked (medicines, pharmacy, specialty, what records and
    where to send them) and the patient's note: health information."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_requests")
    kind = models.CharField(_("kind of request"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CareRequestStatus.choices,
        default=CareRequestStatus.SUBMITTED,
    )
    details = models.JSONField(_("what was asked"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_as = models.CharField(_("asked as"), max_length=8, choices=WrittenAs.choices)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    # Who answered it and when; for a withdrawn request, who withdrew it and when.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_note = models.TextField(_("the clinic's note"), blank=True)

    class Meta:
        verbose_name = _("request from the record")
        verbose_name_plural = _("requests from the record")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "status", "created_at"], name="care_request_queue"),
            models.Index(fields=["patient", "created_at"], name="care_request_patient"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "in_review"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="care_request_answer_has_who_and_when",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
