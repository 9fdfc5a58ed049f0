"""The clinic set-up pages, under /staff/setup/ in the console's `staff` namespace."""

from django.urls import path

from carebridge.staff.setup import clinician_views, place_views, views

urlpatterns = [
    path("", views.hub, name="setup"),
    path("clinic/", views.profile, name="setup-clinic"),
    path("logo/", views.logo, name="setup-logo"),
    path("patients/", views.patient_settings, name="setup-patients"),
    path("places/", place_views.place_list, name="setup-places"),
    path("places/add/", place_views.place_add, name="setup-place-add"),
    path("places/<int:place_id>/", place_views.place_change, name="setup-place"),
    path("places/<int:place_id>/remove/", place_views.place_remove, name="setup-place-remove"),
    path("clinicians/", clinician_views.clinician_list, name="setup-clinicians"),
    path("clinicians/add/", clinician_views.clinician_add, name="setup-clinician-add"),
    path(
        "clinicians/<int:clinician_id>/", clinician_views.clinician_change, name="setup-clinician"
    ),
]
