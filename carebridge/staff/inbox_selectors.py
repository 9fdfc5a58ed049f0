"""What the staff inbox reads: the teams a member answers for, their threads, one thread with
its messages, and the open requests from the record.

A member of staff sees only the teams they answer for, in their own clinic; a thread of any
other team, or a request of another clinic, is not found (the views turn that into a 404).
Lists run a constant number of queries however many threads or requests there are.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.timesince import timesince

from carebridge.clinic.models import StaffMember
from carebridge.lib.paging import EarlierPage, newest_page, page_number
from carebridge.messaging.care_requests import ANSWERED_BY, OPEN_STATUSES
from carebridge.messaging.models import (
    Attachment,
    CareRequest,
    CareTeam,
    Message,
    Thread,
    ThreadStatus,
    WrittenAs,
)
from carebridge.messaging.selectors import (
    MESSAGES_PER_PAGE,
    is_unread,
    once_per_writer,
    writer_words,
)

ALL_OPEN = "open"


def member_teams(staff: StaffMember) -> list[CareTeam]:
    """The teams this member answers for, in their own clinic, by name."""
    return list(CareTeam.objects.filter(members=staff, clinic_id=staff.clinic_id).order_by("name"))


def inbox_threads(
    *, team: CareTeam, user_id: int, status: str = ALL_OPEN, mine: bool = False
) -> QuerySet[Thread]:
    """The team's threads, newest activity first, with whether this user has read the latest.

    `status` is a thread status, "open" (every status but closed) or "" (all)."""
    # A conversation that is still a patient's draft is not the clinic's to see.
    threads = Thread.objects.sent().filter(team=team)
    if status == ALL_OPEN:
        threads = threads.exclude(status=ThreadStatus.CLOSED)
    elif status:
        threads = threads.filter(status=status)
    if mine:
        threads = threads.filter(assigned_to_id=user_id)
    return (
        threads.with_read_at(user_id)
        .select_related("patient", "assigned_to")
        .order_by("-last_message_at", "pk")
    )


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    age: str
    unread: bool


def thread_rows(threads: list[Thread], now: datetime.datetime) -> list[ThreadRow]:
    """The list's rows: the age of each thread in words, and whether it is unread."""
    return [
        ThreadRow(
            thread=thread,
            age=age_words(thread.last_message_at, now),  # type: ignore[arg-type]
            unread=is_unread(thread, thread.read_at),  # type: ignore[attr-defined]
        )
        for thread in threads
    ]


def age_words(moment: datetime.datetime, now: datetime.datetime) -> str:
    """How long ago, in the largest unit only: "3 days", "2 hours"."""
    return timesince(moment, now, depth=1)


def get_member_thread(staff: StaffMember, thread_id: uuid.UUID) -> Thread:
    """A thread of one of the member's teams, or 404."""
    found = (
        Thread.objects.sent()
        .filter(pk=thread_id, team__members=staff, team__clinic_id=staff.clinic_id)
        .select_related(
            "patient__clinic", "patient__user", "team", "assigned_to", "practitioner", "statement"
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class MessageView:
    message: Message
    author: str
    attachments: list[Attachment]


def author_words(message: Message, thread: Thread) -> str:
    """Who wrote it, in words: the patient, "X on behalf of Y", or the member of staff."""
    if message.author_as == WrittenAs.STAFF:
        return message.author.display_name
    return writer_words(message.author_as, message.author, thread.patient)


def list_thread_entries(thread: Thread, page: str | None) -> EarlierPage[MessageView]:
    """One page of the sent messages, internal notes included (two queries): the newest
    `MESSAGES_PER_PAGE` (page 1), or as many before those for each page further back, shown
    oldest first. A bad page number, or one past the first message, is page 1. Who wrote
    each is put in words once per writer, not once a message."""
    rows = (
        Message.objects.sent()
        .filter(thread=thread)
        .select_related("author")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at"))
        )
        .order_by("-sent_at", "-created_at", "-pk")
    )
    found = newest_page(rows, page_number(page), MESSAGES_PER_PAGE)
    author = once_per_writer(author_words, thread)

    entries = [
        MessageView(message=row, author=author(row), attachments=list(row.attachments.all()))
        for row in found.rows
    ]
    return EarlierPage(rows=entries, number=found.number, has_earlier=found.has_earlier)


def get_thread_attachment(thread: Thread, attachment_id: uuid.UUID) -> Attachment:
    found = Attachment.objects.filter(
        pk=attachment_id, message__thread=thread, message__sent_at__isnull=False
    ).first()
    if found is None:
        raise Http404
    return found


def team_members(team: CareTeam) -> list[StaffMember]:
    return list(team.members.filter(is_active=True).select_related("user").order_by("user__email"))


def other_teams(thread: Thread) -> list[CareTeam]:
    return list(
        CareTeam.objects.filter(clinic_id=thread.team.clinic_id, is_active=True)
        .exclude(pk=thread.team_id)
        .order_by("name")
    )


def kinds_answered_by(staff: StaffMember) -> list[str]:
    return [kind for kind, roles in ANSWERED_BY.items() if staff.role in roles]


def open_requests(staff: StaffMember, kind: str) -> QuerySet[CareRequest]:
    """The clinic's open requests of one kind, oldest first."""
    return (
        CareRequest.objects.filter(
            kind=kind, status__in=OPEN_STATUSES, patient__clinic_id=staff.clinic_id
        )
        .select_related("patient", "created_by")
        .order_by("created_at", "pk")
    )


def count_member_unread(staff: StaffMember, user_id: int) -> int:
    """How many open threads of the member's teams have activity this user has not read (one
    query), for the console's link to the inbox."""
    threads = Thread.objects.open().filter(team__members=staff, team__clinic_id=staff.clinic_id)
    return threads.unread_by(user_id).count()


def count_open_requests(staff: StaffMember) -> int:
    """How many of the clinic's requests of the kinds this member answers are still open (one
    query)."""
    return CareRequest.objects.filter(
        kind__in=kinds_answered_by(staff),
        status__in=OPEN_STATUSES,
        patient__clinic_id=staff.clinic_id,
    ).count()


def get_clinic_request(staff: StaffMember, request_id: uuid.UUID) -> CareRequest:
    """A request of the member's clinic of a kind their role answers, or 404."""
    found = (
        CareRequest.objects.filter(
            pk=request_id,
            patient__clinic_id=staff.clinic_id,
            kind__in=kinds_answered_by(staff),
        )
        .select_related("patient", "created_by", "decided_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def asked_by_words(care_request: CareRequest) -> str:
    return writer_words(care_request.created_as, care_request.created_by, care_request.patient)
