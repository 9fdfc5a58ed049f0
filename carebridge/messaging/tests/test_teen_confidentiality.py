"""A teenager's own conversations with the clinic are the teenager's.

Cast: Tess (15) writes to the clinic herself; Terry, her father, holds a parent's grant with
every scope (so the teen rules apply) and writes about her in a conversation of his own; Nora
(nurse) answers for the team. Terry never sees Tess's conversation (list, search, counts, the
thread page and everything under it: 404) until Tess shares her messages; he keeps his own, which
Tess sees too. A staff reply in Tess's conversation is e-mailed to Tess, never to Terry. The
same holds for the refill, referral and records requests Tess makes herself.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from carebridge.messaging.care_requests import submit_request, withdraw_request
from carebridge.messaging.models import CareTeam, Message, Thread, WrittenAs
from carebridge.messaging.selectors import count_unread
from carebridge.messaging.services import reply, start_thread
from carebridge.proxies.services.grants import set_teen_sharing
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def tess_writes(cast: Cast, team: CareTeam, frozen: object) -> Thread:
    return start_thread(
        actor=cast.proxies.teen_user,
        acting_as=WrittenAs.SELF,
        patient=cast.proxies.teen,
        team=team,
        topic="other",
        subject="Private question",
        body="Something only for my nurse",
        files=[("photo.png", png())],
        now=frozen,  # type: ignore[arg-type]
    )


def terry_writes(cast: Cast, team: CareTeam, frozen: object) -> Thread:
    return start_thread(
        actor=cast.proxies.parent_of_teen,
        acting_as=WrittenAs.PROXY,
        patient=cast.proxies.teen,
        team=team,
        topic="appointments",
        subject="Sports physical form",
        body="Could you fill in the school form?",
        now=frozen,  # type: ignore[arg-type]
    )


def terry(cast: Cast) -> Client:
    return client_for(cast.proxies.parent_of_teen, acting_for=cast.proxies.teen)


def thread_urls(thread: Thread) -> dict[str, str]:
    attachment = thread.messages.get().attachments.get()
    return {
        "thread": reverse("messaging:thread", args=[thread.pk]),
        "thread-reply": reverse("messaging:thread-reply", args=[thread.pk]),
        "thread-archive": reverse("messaging:thread-archive", args=[thread.pk]),
        "attachment": reverse("messaging:attachment", args=[thread.pk, attachment.pk]),
    }


def subjects(client: Client, url: str = "/messages/") -> list[str]:
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return [row.thread.subject for row in response.context["listing"].rows]


def test_the_teens_own_thread_is_404_for_the_parent_on_every_url(
    cast: Cast, team: CareTeam, frozen: object
) -> None:
    thread = tess_writes(cast, team, frozen)
    client = terry(cast)
    urls = thread_urls(thread)
    for name in ("thread", "attachment"):
        assert client.get(urls[name]).status_code == 404, name
    posts = {"thread-reply": {"body": "Hello"}, "thread-archive": {"archived": "1"}}
    for name, data in posts.items():
        assert client.post(urls[name], data).status_code == 404, name
    thread.refresh_from_db()
    assert (thread.messages.count(), thread.archived_by_patient_at) == (1, None)
    # Tess herself still sees everything.
    tess = client_for(cast.proxies.teen_user)
    assert [tess.get(urls[name]).status_code for name in ("thread", "attachment")] == [200, 200]


def test_the_teens_own_thread_is_missing_from_list_search_and_count(
    cast: Cast, team: CareTeam, frozen: object
) -> None:
    tess_writes(cast, team, frozen)
    own = terry_writes(cast, team, frozen)
    reply(
        actor=cast.nurse,
        acting_as=WrittenAs.STAFF,
        thread=Thread.objects.get(subject="Private question"),
        body="Answer for Tess",
        now=frozen,  # type: ignore[arg-type]
    )
    client = terry(cast)
    assert subjects(client) == ["Sports physical form"]
    client.post(reverse("messaging:search"), {"text": "form question"})
    assert subjects(client, reverse("messaging:search")) == []
    client.post(reverse("messaging:search"), {"text": "Private"})
    assert subjects(client, reverse("messaging:search")) == []
    client.post(reverse("messaging:search"), {"text": "school"})
    assert subjects(client, reverse("messaging:search")) == ["Sports physical form"]
    terry_user, tess = cast.proxies.parent_of_teen, cast.proxies.teen
    assert count_unread(tess, terry_user, hides_patients_own=True) == 1
    assert count_unread(tess, terry_user, hides_patients_own=False) == 2
    home = client.get("/")
    assert home.wsgi_request.acting.hides_patients_own_messages is True
    # The parent's own conversation stays his to read, and Tess sees it too.
    assert client.get(reverse("messaging:thread", args=[own.pk])).status_code == 200
    tess_client = client_for(cast.proxies.teen_user)
    assert sorted(subjects(tess_client)) == ["Private question", "Sports physical form"]


def test_sharing_messages_opens_them_to_the_parent(
    cast: Cast, team: CareTeam, frozen: object
) -> None:
    thread = tess_writes(cast, team, frozen)
    set_teen_sharing(
        actor=cast.proxies.teen_user,
        grant=cast.proxies.grants["parent_of_teen"],
        scopes=["messaging"],
    )
    client = terry(cast)
    assert subjects(client) == ["Private question"]
    urls = thread_urls(thread)
    for name in ("thread", "attachment"):
        assert client.get(urls[name]).status_code == 200, name
    set_teen_sharing(
        actor=cast.proxies.teen_user, grant=cast.proxies.grants["parent_of_teen"], scopes=[]
    )
    assert client.get(reverse("messaging:thread", args=[thread.pk])).status_code == 404


def test_a_parent_of_a_younger_child_sees_the_childs_threads(
    cast: Cast, team: CareTeam, frozen: object
) -> None:
    # Kit (9) has no account: threads on her record are written by her parent or the clinic.
    kit, paula = cast.proxies.child, cast.proxies.parent_of_child
    thread = Thread.objects.create(
        patient=kit,
        team=team,
        topic="other",
        subject="Started as Kit",
        created_by=paula,
        created_as=WrittenAs.SELF,
        last_message_at=frozen,
    )
    Message.objects.create(
        thread=thread, author=paula, author_as=WrittenAs.PROXY, body="x", sent_at=frozen
    )
    client = client_for(paula, acting_for=kit)
    assert client.get(reverse("messaging:thread", args=[thread.pk])).status_code == 200


def test_the_parent_cannot_reply_through_the_service_either(
    cast: Cast, team: CareTeam, frozen: object
) -> None:
    thread = tess_writes(cast, team, frozen)
    with pytest.raises(PermissionDenied):
        reply(
            actor=cast.proxies.parent_of_teen,
            acting_as=WrittenAs.PROXY,
            thread=thread,
            body="Reading along",
            now=frozen,  # type: ignore[arg-type]
        )
    assert thread.messages.count() == 1


def test_a_staff_reply_in_the_teens_thread_tells_the_teen_not_the_parent(
    cast: Cast, team: CareTeam, frozen: object, django_capture_on_commit_callbacks, tmp_path: Path
) -> None:
    thread = tess_writes(cast, team, frozen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply(
            actor=cast.nurse,
            acting_as=WrittenAs.STAFF,
            thread=thread,
            body="Answer for Tess",
            now=frozen,  # type: ignore[arg-type]
        )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["tess@example.org"], "[Carebridge] You have a new message")
    ]


# Requests from the record (refills, referrals, copies) are messages to the clinic too.


def test_the_teens_own_requests_are_hers(cast: Cast) -> None:
    tess, terry_user = cast.proxies.teen, cast.proxies.parent_of_teen
    hers = submit_request(
        actor=cast.proxies.teen_user,
        acting_as=WrittenAs.SELF,
        patient=tess,
        kind="refill",
        details={"medicines": ["Private pill 1 mg"], "pharmacy": "Corner Pharmacy", "note": ""},
    )
    his = submit_request(
        actor=terry_user,
        acting_as=WrittenAs.PROXY,
        patient=tess,
        kind="records",
        details={"records": "Vaccination record for school", "send_to": "", "note": ""},
    )
    client = terry(cast)
    listing = client.get(reverse("messaging:requests")).context["listing"]
    assert [row.care_request.pk for row in listing.rows] == [his.pk]
    assert client.get(reverse("messaging:request", args=[hers.pk])).status_code == 404
    withdraw = reverse("messaging:request-withdraw", args=[hers.pk])
    assert client.post(withdraw).status_code == 404
    hers.refresh_from_db()
    assert hers.status == "submitted"
    refill = client.get(reverse("messaging:request-refill"))
    assert refill.context["form"].initial == {"pharmacy": ""}
    with pytest.raises(PermissionDenied):
        withdraw_request(
            actor=terry_user, acting_as=WrittenAs.PROXY, care_request=hers, now=timezone.now()
        )
    tess_client = client_for(cast.proxies.teen_user)
    assert tess_client.get(reverse("messaging:request", args=[hers.pk])).status_code == 200
