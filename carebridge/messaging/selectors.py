"""Reading conversations for the patient's side: the list with unread marks, one thread's
messages (never staff notes) with who wrote them in words, and the care teams to write to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from carebridge.clinic.models import Practitioner
from carebridge.messaging.models import (
    CareTeam,
    Message,
    Thread,
    ThreadRead,
    Topic,
    WrittenAs,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

THREADS_PER_PAGE = 20
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
    patient: Patient, viewer: User, page_number: str | None, *, archived: bool = False
) -> ThreadListing:
    """The patient's sent conversations in the inbox (or the archive), newest activity first,
    20 a page; each row says whether the viewer has read its last message (a fixed number of
    queries)."""
    threads = Thread.objects.for_patient(patient).sent()
    threads = threads.filter(archived_by_patient_at__isnull=not archived)
    return paged_rows(threads, viewer, page_number)


def search_threads(
    patient: Patient, viewer: User, text: str, page_number: str | None
) -> ThreadListing:
    """The patient's sent conversations, archived ones included, in which every word of `text`
    is in the subject or in a message the patient's side may read (never in a staff note),
    newest first, 20 a page, in a fixed number of queries."""
    threads = Thread.objects.for_patient(patient).sent()
    for word in search_words(text):
        bodies = Message.objects.for_patient_side().filter(body__icontains=word)
        threads = threads.filter(Q(subject__icontains=word) | Q(pk__in=bodies.values("thread")))
    return paged_rows(threads, viewer, page_number)


def search_words(text: str) -> list[str]:
    """The distinct words searched for, at most ten of them."""
    return list(dict.fromkeys(text.split()))[:SEARCH_WORDS_MOST]


def paged_rows(threads: QuerySet[Thread], viewer: User, page_number: str | None) -> ThreadListing:
    read_at = ThreadRead.objects.filter(thread=OuterRef("pk"), user=viewer).values("read_at")[:1]
    threads = (
        threads.select_related("team")
        .annotate(viewer_read_at=Subquery(read_at))
        .order_by("-last_message_at", "-created_at", "pk")
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(page_number)
    rows = [
        ThreadRow(thread=thread, unread=is_unread(thread, thread.viewer_read_at))
        for thread in page.object_list
    ]
    return ThreadListing(page=page, rows=rows)


def is_unread(thread: Thread, read_at: object) -> bool:
    if thread.last_message_at is None:
        return False
    return read_at is None or read_at < thread.last_message_at  # type: ignore[operator]


@dataclass(frozen=True)
class ShownMessage:
    message: Message
    author: str


def thread_messages(thread: Thread) -> list[ShownMessage]:
    """The thread's messages the patient's side may read, oldest first, with their files."""
    messages = (
        Message.objects.for_patient_side()
        .filter(thread=thread)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("sent_at", "created_at")
    )
    return [ShownMessage(message=m, author=author_words(m, thread)) for m in messages]


def author_words(message: Message, thread: Thread) -> str:
    if message.author_as == WrittenAs.STAFF:
        return _("%(name)s (care team)") % {"name": message.author.display_name}
    if message.author_as == WrittenAs.PROXY:
        return _("%(proxy)s on behalf of %(patient)s") % {
            "proxy": message.author.display_name,
            "patient": thread.patient.display_name,
        }
    return thread.patient.display_name


def teams_for(patient: Patient) -> QuerySet[CareTeam]:
    """The care teams of the patient's clinic taking messages, with their clinicians."""
    active = CareTeam.objects.filter(clinic_id=patient.clinic_id, is_active=True)
    clinicians = Practitioner.objects.order_by("family_name", "given_name", "pk")
    return active.prefetch_related(Prefetch("practitioners", queryset=clinicians)).order_by("name")


@dataclass(frozen=True)
class TeamGuide:
    """What the writing page says about a team, to help choose: who is in it, what it answers."""

    team: CareTeam
    clinicians: list[Practitioner]
    topics: list[str]


def team_guides(teams: QuerySet[CareTeam]) -> list[TeamGuide]:
    return [
        TeamGuide(
            team=team,
            clinicians=list(team.practitioners.all()),
            topics=[str(Topic(value).label) for value in team.topics if value in Topic.values],
        )
        for team in teams
    ]


def practitioners_for(patient: Patient) -> QuerySet[Practitioner]:
    """Every clinician of the clinic's active care teams."""
    return (
        Practitioner.objects.filter(
            Q(care_teams__clinic_id=patient.clinic_id) & Q(care_teams__is_active=True)
        )
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


@dataclass(frozen=True)
class DraftRow:
    draft: Message
    is_reply: bool


def list_drafts(patient: Patient, viewer: User) -> list[DraftRow]:
    """The viewer's own unsent drafts for this patient, newest first (one query): a draft is
    never shown to anyone but its writer."""
    drafts = (
        Message.objects.drafts()
        .filter(author=viewer, thread__patient=patient)
        .select_related("thread__team")
        .order_by("-created_at", "pk")
    )
    return [DraftRow(draft=d, is_reply=d.thread.last_message_at is not None) for d in drafts]


def count_unread(patient: Patient, viewer: User) -> int:
    """How many of the patient's conversations have a message the viewer has not read (one
    query)."""
    read_at = ThreadRead.objects.filter(thread=OuterRef("pk"), user=viewer).values("read_at")[:1]
    threads = Thread.objects.for_patient(patient).annotate(viewer_read_at=Subquery(read_at))
    unread = threads.filter(last_message_at__isnull=False).filter(
        Q(viewer_read_at__isnull=True) | Q(viewer_read_at__lt=F("last_message_at"))
    )
    return unread.count()
