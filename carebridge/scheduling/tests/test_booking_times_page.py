"""The booking times page as days: a heading per day with its first times, "More times on
Thursday" (a plain link), "Next days", the patient's own clinician chosen for them, and the
confirm step's warning inside the cancellation window."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from carebridge.scheduling.models import AppointmentStatus
from carebridge.scheduling.tests.factories import local, make_appointment, make_hours, make_schedule
from carebridge.scheduling.tests.pages import words

pytestmark = pytest.mark.django_db

TIMES = reverse("scheduling:book-times")
CONFIRM = reverse("scheduling:book-confirm")
WEEKDAYS = range(5)
THURSDAY = 3


@pytest.fixture
def schedule(cast):
    """Dr Okafor's check-ups, every weekday 9 a.m. to 1 p.m.: eight times a day."""
    schedule = make_schedule(cast.clinic, name="Check-up")
    for weekday in WEEKDAYS:
        make_hours(schedule.practitioner, schedule.location, weekday, "09:00", "13:00")
    return schedule


def day_headings(html: str) -> list[str]:
    return [words(h) for h in re.findall(r'<h2 class="day-heading"[^>]*>(.*?)</h2>', html)]


def day_section(html: str, iso_day: str) -> str:
    return html.split(f'id="day-{iso_day}"', 1)[1].split("</fieldset>", 1)[0]


def times_of(html: str, iso_day: str) -> list[str]:
    return re.findall(r'<time datetime="[^"]+">([^<]+)</time>', day_section(html, iso_day))


def get_times(client, schedule, **params) -> str:
    query = {"type": schedule.visit_type.pk} | params
    response = client.get(TIMES, query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_heading_per_day_and_the_first_six_times_of_each(patient_client, schedule):
    html = get_times(patient_client, schedule)
    # Today's free times start after the present moment (10 a.m.).
    assert day_headings(html) == [
        "Wednesday, March 4, 2026",
        "Thursday, March 5, 2026",
        "Friday, March 6, 2026",
        "Monday, March 9, 2026",
        "Tuesday, March 10, 2026",
    ]
    assert times_of(html, "2026-03-05") == [
        "9:00 a.m.",
        "9:30 a.m.",
        "10:00 a.m.",
        "10:30 a.m.",
        "11:00 a.m.",
        "11:30 a.m.",
    ]
    more = day_section(html, "2026-03-05").split('<p class="more-times">', 1)[1]
    assert words(more) == "More times on Thursday (2 more)"


def test_more_times_is_a_link_that_opens_the_whole_day(patient_client, schedule):
    html = get_times(patient_client, schedule)
    link = re.search(r'<p class="more-times"><a href="([^"]+)">', day_section(html, "2026-03-05"))
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    assert href == f"?type={schedule.visit_type.pk}&more=2026-03-05#day-2026-03-05"
    opened = patient_client.get(TIMES + href.split("#")[0]).content.decode()
    assert times_of(opened, "2026-03-05")[-2:] == ["12:00 p.m.", "12:30 p.m."]
    assert len(times_of(opened, "2026-03-05")) == 8
    assert len(times_of(opened, "2026-03-06")) == 6


def test_next_days_pages_on_from_the_day_after_the_last_shown(patient_client, schedule):
    html = get_times(patient_client, schedule)
    link = re.search(r'<a href="([^"]+)">Next days</a>', html)
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    assert href == f"?type={schedule.visit_type.pk}&date=2026-03-11"
    later = patient_client.get(TIMES + href).content.decode()
    assert day_headings(later)[0] == "Wednesday, March 11, 2026"
    back = re.search(r'<a href="([^"]+)">Back to the soonest times</a>', later)
    assert back is not None
    assert back.group(1).replace("&amp;", "&") == f"?type={schedule.visit_type.pk}"
    assert "Back to the soonest times" not in html


def test_the_patients_own_clinician_is_chosen_for_them(cast, patient_client, schedule):
    schedule.visit_type.practitioners.add(schedule.other_practitioner)
    make_hours(schedule.other_practitioner, schedule.location, THURSDAY, "14:00", "15:00")
    make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.other_practitioner,
        schedule.location,
        local(2026, 2, 12, 14),
        status=AppointmentStatus.COMPLETED,
    )
    html = get_times(patient_client, schedule)
    assert words(html.split('<p class="own-clinician">', 1)[1].split("</p>", 1)[0]) == (
        "Showing times with Kim Lee, MD, who saw you last. To see every clinician's times, "
        'choose "Anyone" under "With" and press "Show times".'
    )
    selected = f'<option value="{schedule.other_practitioner.pk}" selected>Kim Lee, MD</option>'
    assert selected in html
    assert day_headings(html) == [
        "Thursday, March 5, 2026",
        "Thursday, March 12, 2026",
        "Thursday, March 19, 2026",
        "Thursday, March 26, 2026",
    ]
    anyone = get_times(patient_client, schedule, practitioner="")
    assert "own-clinician" not in anyone
    assert day_headings(anyone)[0] == "Wednesday, March 4, 2026"


def test_without_an_attended_visit_nobody_is_chosen(patient_client, schedule):
    html = get_times(patient_client, schedule)
    assert "own-clinician" not in html
    assert '<option value="" selected>Anyone</option>' in html


def confirm(client, schedule, starts_at) -> str:
    time = f"{schedule.practitioner.pk}_{schedule.location.pk}_{starts_at.isoformat()}"
    query = urlencode({"visit_type": schedule.visit_type.pk, "time": time})
    return client.get(f"{CONFIRM}?{query}").content.decode()


def test_confirming_a_time_inside_the_window_warns_first(patient_client, schedule):
    html = confirm(patient_client, schedule, local(2026, 3, 5, 9))
    warning = html.split('<div class="notice window-warning" role="note">', 1)[1]
    assert words(warning.split("</div>", 1)[0]) == (
        "Please note If you book this time you will not be able to cancel it online, because "
        "it is less than 24 hours away. To cancel it, you would need to call the clinic on "
        "555-0100."
    )
    assert "Book this appointment" in html


def test_confirming_a_time_outside_the_window_does_not_warn(patient_client, schedule):
    html = confirm(patient_client, schedule, local(2026, 3, 5, 10, 30))
    assert "window-warning" not in html


def test_a_caregiver_is_told_whose_clinician_it_is(cast, act_as, schedule):
    make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 2, 12, 9),
        status=AppointmentStatus.COMPLETED,
    )
    html = get_times(act_as(cast.proxies.full_caregiver, cast.patient), schedule)
    assert words(html.split('<p class="own-clinician">', 1)[1].split("</p>", 1)[0]) == (
        "Showing times with Sam Okafor, MD, who saw Pat Patient last. To see every "
        'clinician\'s times, choose "Anyone" under "With" and press "Show times".'
    )


# The times page with the patient's own clinician chosen (see test_booking_pages' budget).
TIMES_BUDGET = 30


def _times_queries(client, schedule, assert_max_num_queries) -> int:
    with assert_max_num_queries(TIMES_BUDGET) as queries:
        get_times(client, schedule)
    return len(queries)


def test_choosing_the_clinician_costs_the_same_queries_however_many_visits(
    cast, patient_client, schedule, django_assert_max_num_queries
):
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    make_appointment(cast.patient, *visit, local(2026, 1, 8, 9), status=AppointmentStatus.COMPLETED)
    get_times(patient_client, schedule)
    few = _times_queries(patient_client, schedule, django_assert_max_num_queries)
    for week in range(1, 12):
        starts_at = local(2025, 9, 4, 9) + datetime.timedelta(weeks=week)
        make_appointment(cast.patient, *visit, starts_at, status=AppointmentStatus.COMPLETED)
    many = _times_queries(patient_client, schedule, django_assert_max_num_queries)
    assert many == few
