"""Set-up of booking in Django admin (visit types, weekly hours, time off) until the clinic's own
pages come. Appointments are listed read-only: they are made and changed through the services,
which audit them. The reason for a visit is health information and is not shown in lists."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from carebridge.scheduling.models import (
    Appointment,
    AppointmentRequest,
    TimeOff,
    VisitType,
    WeeklyHours,
)


@admin.register(VisitType)
class VisitTypeAdmin(admin.ModelAdmin[VisitType]):
    list_display = ["name", "clinic", "duration_minutes", "mode", "online_booking", "is_active"]
    list_filter = ["clinic", "mode", "online_booking", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["practitioners", "locations"]


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin[WeeklyHours]):
    list_display = ["practitioner", "location", "weekday", "starts_at", "ends_at"]
    list_filter = ["weekday", "location", "practitioner"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin[TimeOff]):
    list_display = ["kind", "clinic", "practitioner", "location", "starts_at", "ends_at"]
    list_filter = ["kind", "clinic"]
    date_hierarchy = "starts_at"


class ReadOnly:
    """Listed, never added, changed or deleted here: the services make and change these."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnly, admin.ModelAdmin[Appointment]):
    list_display = ["starts_at", "practitioner", "location", "status", "booked_as"]
    list_filter = ["status", "booked_as"]
    date_hierarchy = "starts_at"


@admin.register(AppointmentRequest)
class AppointmentRequestAdmin(ReadOnly, admin.ModelAdmin[AppointmentRequest]):
    """Read-only until staff answer requests in the console."""

    list_display = ["created_at", "visit_type", "status", "booked_as"]
    list_filter = ["status", "booked_as"]
    date_hierarchy = "created_at"
