"""The clinic administrator's staff-accounts and care-team pages, spliced into `staff:`."""

from django.urls import path

from carebridge.staff.people import staff_views, team_views

urlpatterns = [
    path("setup/staff/", staff_views.staff_list, name="setup-staff-list"),
    path("setup/staff/invite/", staff_views.staff_invite, name="setup-staff-invite"),
    path("setup/staff/<int:member_id>/", staff_views.staff_detail, name="setup-staff-detail"),
    path("setup/staff/<int:member_id>/role/", staff_views.staff_role, name="setup-staff-role"),
    path(
        "setup/staff/<int:member_id>/deactivate/",
        staff_views.staff_deactivate,
        name="setup-staff-deactivate",
    ),
    path(
        "setup/staff/<int:member_id>/reactivate/",
        staff_views.staff_reactivate,
        name="setup-staff-reactivate",
    ),
    path(
        "setup/staff/<int:member_id>/two-step/",
        staff_views.staff_two_step,
        name="setup-staff-two-step",
    ),
    path(
        "setup/staff/<int:member_id>/invitation/",
        staff_views.staff_resend,
        name="setup-staff-resend",
    ),
    path("setup/teams/", team_views.team_list, name="setup-team-list"),
    path("setup/teams/new/", team_views.team_add, name="setup-team-add"),
    path("setup/teams/<int:team_id>/", team_views.team_edit, name="setup-team-edit"),
]
