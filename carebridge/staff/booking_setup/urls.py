"""The booking set-up pages' addresses, spliced into `carebridge.staff.urls`."""

from __future__ import annotations

from django.urls import path

from carebridge.staff.booking_setup import views

urlpatterns = [
    path("setup/visit-types/", views.visit_type_list, name="setup-visit-types"),
    path("setup/visit-types/add/", views.visit_type_add, name="setup-visit-type-add"),
    path(
        "setup/visit-types/<int:visit_type_id>/",
        views.visit_type_edit,
        name="setup-visit-type-edit",
    ),
    path(
        "setup/visit-types/<int:visit_type_id>/remove/",
        views.visit_type_remove,
        name="setup-visit-type-remove",
    ),
    path("setup/hours/", views.hours_list, name="setup-hours"),
    path(
        "setup/hours/<int:practitioner_id>/",
        views.hours_clinician,
        name="setup-hours-clinician",
    ),
    path(
        "setup/hours/<int:practitioner_id>/<int:hours_id>/remove/",
        views.hours_remove,
        name="setup-hours-remove",
    ),
]
