"""The patient's archive, searching their messages (words never in a URL, never matching a staff
note), and the unread count beside "Messages" in the navigation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.audit.models import AuditEvent
from carebridge.messaging import services
from carebridge.messaging.models import CareTeam, Thread
from carebridge.messaging.tests.conftest import NOW
from carebridge.messaging.tests.test_pages import staff_reply, write
from carebridge.testing.clients import client_for, flashed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

LATER = NOW + datetime.timedelta(hours=3)
LIST = "/messages/"
ARCHIVE = "/messages/?show=archived"
SEARCH = "/messages/search/"


def subjects(html: str, *candidates: str) -> list[str]:
    return [subject for subject in candidates if subject in html]


# The archive


def test_archiving_moves_a_conversation_out_of_the_list_and_back(cast, team):
    thread = write(cast, team, subject="Old question")
    write(cast, team, subject="Open question")
    client = client_for(cast.patient_user)
    response = client.post(f"/messages/{thread.pk}/archive/", {"action": "archive"})
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert flashed(response) == ["The conversation is in your archive."]
    thread.refresh_from_db()
    assert thread.archived_by_patient_at == NOW
    assert subjects(client.get(LIST).content.decode(), "Old question", "Open question") == [
        "Open question"
    ]
    archive = client.get(ARCHIVE).content.decode()
    assert subjects(archive, "Old question", "Open question") == ["Old question"]
    assert '<a href="/messages/?show=archived" aria-current="page">Archive</a>' in archive
    page = client.get(f"/messages/{thread.pk}/").content.decode()
    assert "This conversation is in your archive." in page
    response = client.post(f"/messages/{thread.pk}/archive/", {"action": "restore"})
    assert response["Location"] == f"/messages/{thread.pk}/"
    thread.refresh_from_db()
    assert thread.archived_by_patient_at is None
    events = AuditEvent.objects.filter(object_type="message_folder").order_by("pk")
    assert [(e.action, e.object_id, e.acting_as) for e in events] == [
        ("update", str(thread.pk), "self"),
        ("update", str(thread.pk), "self"),
    ]


def test_the_clinic_still_sees_an_archived_conversation(cast, team):
    thread = write(cast, team, subject="Old question")
    client_for(cast.patient_user).post(f"/messages/{thread.pk}/archive/", {"action": "archive"})
    assert "Old question" in client_for(cast.nurse).get("/staff/inbox/").content.decode()


def test_a_new_message_brings_a_conversation_back_from_the_archive(cast, team):
    thread = write(cast, team, subject="Old question")
    Thread.objects.filter(pk=thread.pk).update(archived_by_patient_at=NOW)
    staff_reply(cast, thread, "One more thing.", now=LATER)
    thread.refresh_from_db()
    assert thread.archived_by_patient_at is None
    html = client_for(cast.patient_user).get(LIST).content.decode()
    assert "Old question" in html


def test_an_empty_archive_says_so(cast, team):
    write(cast, team)
    html = client_for(cast.patient_user).get(ARCHIVE).content.decode()
    assert "There is nothing in your archive." in html


def test_archiving_someone_elses_conversation_is_not_found(cast, team):
    thread = write(cast, team)
    for user, acting_for in (
        (cast.second_patient_user, None),
        (cast.proxies.appointments_caregiver, cast.patient),
        (cast.nurse, None),
    ):
        response = client_for(user, acting_for=acting_for).post(
            f"/messages/{thread.pk}/archive/", {"action": "archive"}
        )
        assert response.status_code == 404
    thread.refresh_from_db()
    assert thread.archived_by_patient_at is None
    assert not AuditEvent.objects.filter(object_type="message_folder").exists()


def test_a_caregiver_with_messaging_archives_for_the_patient(cast, team):
    thread = write(cast, team)
    cora = cast.proxies.full_caregiver
    client_for(cora, acting_for=cast.patient).post(
        f"/messages/{thread.pk}/archive/", {"action": "archive"}
    )
    thread.refresh_from_db()
    assert thread.archived_by_patient_at == NOW
    event = AuditEvent.objects.get(object_type="message_folder")
    assert (event.actor_id, event.acting_as, event.patient_id) == (
        cora.pk,
        "proxy",
        cast.patient.pk,
    )


# Search


def search(client: Any, text: str) -> str:
    response = client.post(SEARCH, {"text": text})
    assert response.status_code == 302
    assert response["Location"] == SEARCH
    page = client.get(SEARCH)
    assert page.status_code == 200
    assert text.split()[0] not in page.wsgi_request.get_full_path()
    return page.content.decode()


def test_search_finds_subjects_and_messages_but_never_staff_notes(cast, team):
    rash = write(cast, team, subject="Rash on my arm", body="It itches at night.")
    write(cast, team, subject="Blood test", body="When are the results ready?")
    knee = write(cast, team, subject="Knee", body="It hurts.")
    staff_reply(cast, knee, "Try ice and rest.")
    services.reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=rash,
        body="Possible eczema, check at visit",
        internal=True,
        now=LATER,
    )
    client = client_for(cast.patient_user)
    candidates = ("Rash on my arm", "Blood test", "Knee")
    assert subjects(search(client, "rash"), *candidates) == ["Rash on my arm"]
    assert subjects(search(client, "RESULTS"), *candidates) == ["Blood test"]
    assert subjects(search(client, "ice"), *candidates) == ["Knee"]
    html = search(client, "eczema")
    assert subjects(html, *candidates) == []
    assert "Nothing was found. Try fewer or other words." in html
    # Every word must be found, in the subject or the messages.
    assert subjects(search(client, "itches arm"), *candidates) == ["Rash on my arm"]
    assert subjects(search(client, "itches knee"), *candidates) == []


def test_search_results_say_how_many_and_keep_the_words_in_the_box(cast, team):
    write(cast, team, subject="Question one", body="About my pills")
    write(cast, team, subject="Question two", body="About my pills again")
    html = search(client_for(cast.patient_user), "pills")
    assert "2 conversations have “pills”" in html
    assert 'value="pills"' in html


def test_search_includes_the_archive_and_only_the_patients_own(cast, team):
    thread = write(cast, team, subject="Archived pills question")
    Thread.objects.filter(pk=thread.pk).update(archived_by_patient_at=NOW)
    sams_team = CareTeam.objects.create(clinic=cast.clinic, name="Other team")
    services.start_thread(
        actor=cast.second_patient_user,
        acting_as="self",
        patient=cast.second_patient,
        team=sams_team,
        topic="other",
        subject="Sam's pills question",
        body="Pills",
        now=NOW,
    )
    html = search(client_for(cast.patient_user), "pills")
    assert "Archived pills question" in html
    assert "Sam" not in html.split("<main", 1)[1]


def test_clearing_the_search_goes_back_to_the_list(cast, team):
    write(cast, team)
    client = client_for(cast.patient_user)
    search(client, "rash")
    response = client.post(SEARCH, {"text": ""})
    assert response["Location"] == LIST
    assert client.get(SEARCH)["Location"] == LIST


def test_a_caregivers_search_is_kept_per_patient(cast, team):
    write(cast, team, subject="Rash on my arm")
    cora = cast.proxies.full_caregiver
    client = client_for(cora, acting_for=cast.patient)
    assert "Rash on my arm" in search(client, "rash")
    assert client.session["messaging_search"] == {str(cast.patient.pk): "rash"}


def test_search_is_audited_as_a_view_and_refused_without_the_scope(cast, team):
    write(cast, team)
    search(client_for(cast.patient_user), "rash")
    views = AuditEvent.objects.filter(object_type="message_thread", action="view")
    assert views.count() == 2
    abe = client_for(cast.proxies.appointments_caregiver, acting_for=cast.patient)
    assert abe.post(SEARCH, {"text": "rash"}).status_code == 404
    assert "messaging_search" not in abe.session


def search_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(SEARCH).status_code == 200
    return len(captured.captured_queries)


def test_search_queries_do_not_grow_with_threads(cast, team):
    write(cast, team, subject="Pills 0")
    client = client_for(cast.patient_user)
    search(client, "pills")
    few = search_queries(client)
    for number in range(12):
        thread = write(cast, team, subject=f"Pills {number + 1}")
        staff_reply(cast, thread, "Answer about pills")
    # The new messages renewed the count kept for Pat: it is counted once, then kept again.
    search_queries(client)
    assert search_queries(client) == few


# The navigation's count


def nav_entry(html: str) -> str:
    start = html.index('<nav class="site-nav"')
    nav = html[start : html.index("</nav>", start)]
    entry_start = nav.index('<a href="/messages/"')
    return nav[entry_start : nav.index("</a>", entry_start) + 4]


def test_the_navigation_counts_unread_conversations(cast, team):
    client = client_for(cast.patient_user)
    assert nav_entry(client.get("/").content.decode()) == '<a href="/messages/">Messages</a>'
    first = write(cast, team, subject="One")
    second = write(cast, team, subject="Two")
    staff_reply(cast, first, "Answer one", now=LATER)
    staff_reply(cast, second, "Answer two", now=LATER)
    client.get(f"/messages/{first.pk}/")  # read before the replies: still unread
    expected = (
        '<a href="/messages/">Messages <span class="nav-count">2'
        '<span class="visually-hidden"> unread</span></span></a>'
    )
    assert nav_entry(client.get("/").content.decode()) == expected


def test_the_count_is_the_viewers_own(cast, team):
    thread = write(cast, team)
    staff_reply(cast, thread, "Answer")
    cora = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    assert 'class="nav-count">1<' in cora.get("/").content.decode()
    pat = client_for(cast.patient_user)
    pat.get(f"/messages/{thread.pk}/")
    assert "nav-count" not in pat.get("/").content.decode()
    assert 'class="nav-count">1<' in cora.get("/").content.decode()
