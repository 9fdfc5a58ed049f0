from django.urls import path

from carebridge.scheduling.views import (
    appointments,
    booking,
    checkin,
    clinic_booked,
    clinic_checkin,
    requesting,
    rescheduling,
)
from carebridge.scheduling.views import waitlist as waitlist_views

app_name = "scheduling"

urlpatterns = [
    path("", appointments.appointments, name="appointments"),
    path("book/", booking.book, name="book"),
    path("book/times/", booking.book_times, name="book-times"),
    path("book/confirm/", booking.book_confirm, name="book-confirm"),
    path("request/", requesting.request_visit, name="request"),
    path("<uuid:appointment_id>/", appointments.appointment_detail, name="appointment-detail"),
    path(
        "<uuid:appointment_id>/calendar.ics", appointments.appointment_ics, name="appointment-ics"
    ),
    path("<uuid:appointment_id>/join/", appointments.appointment_join, name="appointment-join"),
    path(
        "<uuid:appointment_id>/cancel/",
        appointments.appointment_cancel,
        name="appointment-cancel",
    ),
    path(
        "<uuid:appointment_id>/reschedule/",
        rescheduling.appointment_reschedule,
        name="appointment-reschedule",
    ),
    path(
        "<uuid:appointment_id>/check-in/",
        checkin.appointment_check_in,
        name="appointment-check-in",
    ),
    # Appointments the clinic booked in its own system (the EHR's), by their record id.
    path("clinic/<uuid:api_id>/", clinic_booked.clinic_appointment, name="clinic-appointment"),
    path(
        "clinic/<uuid:api_id>/calendar.ics",
        clinic_booked.clinic_appointment_ics,
        name="clinic-appointment-ics",
    ),
    path(
        "clinic/<uuid:api_id>/change/",
        clinic_booked.clinic_appointment_change,
        name="clinic-appointment-change",
    ),
    path(
        "clinic/<uuid:api_id>/check-in/",
        clinic_checkin.clinic_appointment_check_in,
        name="clinic-appointment-check-in",
    ),
    # The waiting list (issue 5).
    path("waitlist/join/", waitlist_views.waitlist_join, name="waitlist-join"),
    path(
        "<uuid:appointment_id>/waitlist/",
        waitlist_views.appointment_waitlist,
        name="appointment-waitlist",
    ),
    path("waitlist/<uuid:entry_id>/leave/", waitlist_views.waitlist_leave, name="waitlist-leave"),
    path("offers/<uuid:offer_id>/", waitlist_views.waitlist_offer, name="waitlist-offer"),
]
