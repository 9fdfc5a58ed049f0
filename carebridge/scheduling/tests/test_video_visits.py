"""Video visits: the join button appears `CAREBRIDGE_VIDEO_JOIN_MINUTES` before the start and
leads, through an audited redirect, to the provider's room made from
`CAREBRIDGE_VIDEO_URL_PATTERN`; never before, never after the end, never once cancelled."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import AppointmentStatus, VisitMode
from carebridge.scheduling.pages import video_join_url, video_visit
from carebridge.scheduling.tests.factories import local, make_appointment, make_schedule
from carebridge.scheduling.tests.pages import words
from carebridge.testing.clients import client_for, flashed

pytestmark = pytest.mark.django_db

JOIN = "Join the video visit"


@pytest.fixture
def video(cast):
    """Pat's video visit on Monday, March 9, 2026 at 9:30 in New York."""
    schedule = make_schedule(cast.clinic, name="Video check-in", mode=VisitMode.VIDEO)
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(cast.patient, *visit, local(2026, 3, 9, 9, 30))


def signed_in(user, acting_for=None):
    """Signed in at the travelled-to moment (a session of the fixtures' day has expired)."""
    return client_for(user, acting_for)


def detail(user, appointment) -> str:
    url = reverse("scheduling:appointment-detail", args=[appointment.pk])
    return signed_in(user).get(url).content.decode()


def join(user, appointment, acting_for=None):
    url = reverse("scheduling:appointment-join", args=[appointment.pk])
    return signed_in(user, acting_for).get(url)


def video_section(html: str) -> str:
    if 'id="video-heading"' not in html:
        return ""
    return words(html.split('id="video-heading"', 1)[1].split("</section>", 1)[0])


def joined() -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(object_type="video_visit").order_by("sequence")
    return [(e.actor.email, e.acting_as, e.object_id) for e in rows]


def test_before_the_window_the_page_says_when_the_button_appears(cast, video):
    with time_machine.travel(local(2026, 3, 9, 9, 14), tick=False):
        html = detail(cast.patient.user, video)
        response = join(cast.patient.user, video)
    assert video_section(html) == (
        ">Video visit A button to join the visit appears here 15 minutes before it starts, "
        "at 9:15 a.m. on Monday, March 9, 2026."
    )
    assert JOIN not in html
    assert video.video_room not in html
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{video.pk}/"
    assert flashed(response) == ["This video visit cannot be joined now."]
    assert joined() == []


def test_from_the_window_the_button_leads_to_the_providers_room(cast, video, settings):
    settings.CAREBRIDGE_VIDEO_URL_PATTERN = "https://video.example.org/rooms/{room}?lang=en"
    with time_machine.travel(local(2026, 3, 9, 9, 15), tick=False):
        html = detail(cast.patient.user, video)
        response = join(cast.patient.user, video)
    assert JOIN in video_section(html)
    assert f'href="/appointments/{video.pk}/join/"' in html
    assert video.video_room not in html
    assert response.status_code == 302
    assert response["Location"] == (f"https://video.example.org/rooms/{video.video_room}?lang=en")
    assert joined() == [(cast.patient.user.email, "self", str(video.pk))]


def test_a_caregiver_with_the_appointments_scope_may_join(cast, video):
    with time_machine.travel(local(2026, 3, 9, 9, 40), tick=False):
        response = join(cast.proxies.appointments_caregiver, video, cast.patient)
    assert response["Location"] == video_join_url(video)
    assert joined() == [(cast.proxies.appointments_caregiver.email, "proxy", str(video.pk))]


def test_the_join_time_is_a_setting(cast, video, settings):
    settings.CAREBRIDGE_VIDEO_JOIN_MINUTES = 30
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        assert JOIN in video_section(detail(cast.patient.user, video))
    with time_machine.travel(local(2026, 3, 9, 8, 59), tick=False):
        assert "appears here 30 minutes before it starts, at 9:00 a.m." in video_section(
            detail(cast.patient.user, video)
        )


def test_after_the_end_or_once_cancelled_there_is_nothing_to_join(cast, video):
    with time_machine.travel(video.ends_at, tick=False):
        assert video_section(detail(cast.patient.user, video)) == ""
        assert join(cast.patient.user, video)["Location"] == f"/appointments/{video.pk}/"
    video.status = AppointmentStatus.CANCELLED
    video.save()
    with time_machine.travel(local(2026, 3, 9, 9, 20), tick=False):
        assert video_section(detail(cast.patient.user, video)) == ""
        assert join(cast.patient.user, video)["Location"] == f"/appointments/{video.pk}/"
    assert joined() == []


def test_an_in_person_visit_has_no_video_section(cast):
    schedule = make_schedule(cast.clinic, name="Check-up", mode=VisitMode.IN_PERSON)
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    in_person = make_appointment(cast.patient, *visit, local(2026, 3, 9, 9, 30))
    with time_machine.travel(local(2026, 3, 9, 9, 20), tick=False):
        assert video_section(detail(cast.patient.user, in_person)) == ""
    assert video_visit(in_person, local(2026, 3, 9, 9, 20)) is None


def test_each_appointment_has_its_own_unguessable_room(cast, video):
    schedule = make_schedule(cast.clinic, name="Video follow-up", mode=VisitMode.VIDEO)
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    other = make_appointment(cast.patient, *visit, local(2026, 3, 9, 10, 30))
    assert video.video_room != other.video_room
    assert len(video.video_room) == 32
    window = video_visit(video, local(2026, 3, 9, 9, 15))
    assert window is not None
    assert (window.opens_at, window.is_open) == (
        local(2026, 3, 9, 9, 15).astimezone(datetime.UTC),
        True,
    )
