"""Reading conversations for the patient's side: the list with unread marks, one thread's
messages (never staff notes) with who wrote them in words, and the care teams to write to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from carebridge.clinic.models import Practitioner
from carebridge.lib.paging import EarlierPage, newest_page, page_number
from carebridge.messaging.models import (
    CareTeam,
    Message,
    Thread,
    ThreadQuerySet,
    Topic,
    WrittenAs,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

THREADS_PER_PAGE = 20
# A conversation shows its newest messages; earlier ones are a page back each.
MESSAGES_PER_PAGE = 20
SEARCH_WORDS_MOST = 10


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    unread: bool


@dataclass(frozen=True)
class ThreadListing:
    page: Page
    rows: list[ThreadRow]


def list_threads(
    patient: Patient,
    viewer: User,
    page_number: str | None,
    *,
    hides_patients_own: bool,
    archived: bool = False,
) -> ThreadListing:
    """The patient's sent conversations in the inbox (or the archive), newest activity first,
    20 a page; each row says whether the viewer has read its last message (a fixed number of
    queries). A teenager's own conversations are left out for their parent
    (`hides_patients_own`, from the acting context)."""
    threads = Thread.objects.for_patient_side(patient, hides_patients_own=hides_patients_own)
    threads = threads.sent()
    threads = threads.filter(archived_by_patient_at__isnull=not archived)
    return paged_rows(threads, viewer, page_number)


def search_threads(
    patient: Patient, viewer: User, text: str, page_number: str | None, *, hides_patients_own: bool
) -> ThreadListing:
    """The patient's sent conversations, archived ones included, in which every word of `text`
    is in the subject or in a message the patient's side may read (never in a staff note),
    newest first, 20 a page, in a fixed number of queries. A teenager's own conversations are
    left out for their parent (`hides_patients_own`)."""
    threads = Thread.objects.for_patient_side(patient, hides_patients_own=hides_patients_own)
    threads = threads.sent()
    for word in search_words(text):
        bodies = Message.objects.for_patient_side().filter(body__icontains=word)
        threads = threads.filter(Q(subject__icontains=word) | Q(pk__in=bodies.values("thread")))
    return paged_rows(threads, viewer, page_number)


def search_words(text: str) -> list[str]:
    """The distinct words searched for, at most ten of them."""
    return list(dict.fromkeys(text.split()))[:SEARCH_WORDS_MOST]


def paged_rows(threads: ThreadQuerySet, viewer: User, page_number: str | None) -> ThreadListing:
    threads = (
        threads.with_read_at(viewer.pk)
        .with_answered()
        .select_related("team")
        .order_by("-last_message_at", "-created_at", "pk")
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(page_number)
    rows = [
        ThreadRow(thread=thread, unread=is_unread(thread, thread.read_at))
        for thread in page.object_list
    ]
    return ThreadListing(page=page, rows=rows)


def is_unread(thread: Thread, read_at: object) -> bool:
    if thread.last_message_at is None:
        return False
    return read_at is None or read_at < thread.last_message_at  # type: ignore[operator]


def get_team_for_message(
    patient: Patient, topic: str, practitioner: Practitioner | None
) -> CareTeam:
    """The team the portal picks for a new message (`pick_team`); ValidationError, in words for
    the writing form, when no team answers it."""
    team = pick_team(patient, topic, practitioner)
    if team is not None:
        return team
    if practitioner is None:
        raise ValidationError(
            _("The clinic is not taking messages here at the moment. Please call them."),
            code="no_team",
        )
    raise ValidationError(
        _(
            "%(clinician)s does not answer messages about this. Choose “Anyone who can "
            "answer”, or another topic."
        )
        % {"clinician": practitioner.display_name},
        code="not_this_clinician",
    )


@dataclass(frozen=True)
class ShownMessage:
    message: Message
    author: str


def is_answered(thread: Thread) -> bool:
    """The clinic has replied and the patient's side has not written since, over the whole
    conversation, not only the page shown (one query, as the list's `with_answered`); a closed
    conversation is not "Answered"."""
    found = Thread.objects.filter(pk=thread.pk).only("status").with_answered().first()
    return bool(getattr(found, "is_answered", False))


def list_thread_messages(thread: Thread, page: str | None) -> EarlierPage[ShownMessage]:
    """One page of the messages the patient's side may read, with their files (two queries):
    the newest `MESSAGES_PER_PAGE` (page 1), or as many before those for each page further
    back, shown oldest first. A bad page number, or one past the first message, is page 1.
    Who wrote each is put in words once per writer, not once a message."""
    messages = (
        Message.objects.for_patient_side()
        .filter(thread=thread)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("-sent_at", "-created_at", "-pk")
    )
    found = newest_page(messages, page_number(page), MESSAGES_PER_PAGE)
    author = once_per_writer(author_words, thread)

    rows = [ShownMessage(message=m, author=author(m)) for m in found.rows]
    return EarlierPage(rows=rows, number=found.number, has_earlier=found.has_earlier)


def once_per_writer(
    words: Callable[[Message, Thread], str], thread: Thread
) -> Callable[[Message], str]:
    """`words(message, thread)` for each message, worked out once per writer (who wrote, and
    as what), not once a message."""
    names: dict[tuple[str, int], str] = {}

    def author(message: Message) -> str:
        key = (message.author_as, message.author_id)
        if key not in names:
            names[key] = words(message, thread)
        return names[key]

    return author


def author_words(message: Message, thread: Thread) -> str:
    if message.author_as == WrittenAs.STAFF:
        return _("%(name)s (care team)") % {"name": message.author.display_name}
    return writer_words(message.author_as, message.author, thread.patient)


def writer_words(written_as: str, writer: User, patient: Patient) -> str:
    """Who wrote or asked on the patient's side, in words: the patient's name, or "Cora
    Caregiver on behalf of Pat Patient" for a caregiver or parent."""
    if written_as == WrittenAs.PROXY:
        return _("%(writer)s on behalf of %(patient)s") % {
            "writer": writer.display_name,
            "patient": patient.display_name,
        }
    return patient.display_name


def teams_for(patient: Patient) -> QuerySet[CareTeam]:
    """The care teams of the patient's clinic taking messages."""
    return CareTeam.objects.filter(clinic_id=patient.clinic_id, is_active=True).order_by("name")


def pick_team(patient: Patient, topic: str, practitioner: Practitioner | None) -> CareTeam | None:
    """The team that answers a message about `topic`, from the topics the clinic gave each
    team: a team listing the topic, else a team answering every topic (none listed), else the
    clinic's default team (the one answering "Something else"), else any team taking messages
    (a clinic with one team: everything to it). Among equals, a team with the chosen clinician,
    then by name. None if no team is taking messages, or if the chosen clinician is in none
    of the first teams found (one query)."""
    teams = list(teams_for(patient).prefetch_related("practitioners"))
    tiers = [
        [team for team in teams if topic in team.topics],
        [team for team in teams if not team.topics],
        [team for team in teams if Topic.OTHER in team.topics],
        teams,
    ]
    first = next((tier for tier in tiers if tier), [])
    if practitioner is None:
        return first[0] if first else None
    return next((team for team in first if practitioner in team.practitioners.all()), None)


def practitioners_for(patient: Patient) -> QuerySet[Practitioner]:
    """Every clinician of the clinic's active care teams."""
    return (
        Practitioner.objects.filter(
            Q(care_teams__clinic_id=patient.clinic_id) & Q(care_teams__is_active=True)
        )
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


def list_drafts(patient: Patient, viewer: User, *, hides_patients_own: bool) -> list[Message]:
    """The viewer's own unsent drafts for this patient, newest first, with their conversation
    (one query): a draft is never shown to anyone but its writer, nor one in a conversation
    the viewer may no longer see (a teenager's own, for their parent)."""
    threads = Thread.objects.for_patient_side(patient, hides_patients_own=hides_patients_own)
    drafts = (
        Message.objects.drafts()
        .filter(author=viewer, thread__in=threads)
        .select_related("thread__team")
        .order_by("-created_at", "pk")
    )
    return list(drafts)


def count_unread(patient: Patient, viewer: User, *, hides_patients_own: bool) -> int:
    """How many of the patient's conversations the viewer may see have a message the viewer
    has not read (one query)."""
    threads = Thread.objects.for_patient_side(patient, hides_patients_own=hides_patients_own)
    return threads.unread_by(viewer.pk).count()
