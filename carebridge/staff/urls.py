from django.urls import path

from carebridge.staff import import_views, proxy_views, release_views, reports, views

app_name = "staff"

urlpatterns = [
    path("", views.console, name="console"),
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/<uuid:patient_id>/invite/", views.patient_invite, name="patient-invite"),
    path("patients/<uuid:patient_id>/access/", proxy_views.patient_access, name="patient-access"),
    path(
        "patients/<uuid:patient_id>/access/parent/",
        proxy_views.patient_access_grant,
        name="patient-access-grant",
    ),
    path(
        "patients/<uuid:patient_id>/access/<uuid:grant_id>/",
        proxy_views.patient_access_change,
        name="patient-access-change",
    ),
    path(
        "patients/<uuid:patient_id>/access/<uuid:grant_id>/end/",
        proxy_views.patient_access_end,
        name="patient-access-end",
    ),
    path("audit/", reports.audit_report, name="audit-report"),
    path("audit/export.csv", reports.audit_report_csv, name="audit-report-csv"),
    path("imports/", import_views.import_upload, name="import-upload"),
    path("imports/<uuid:job_id>/", import_views.import_detail, name="import-detail"),
    path("imports/matches/", import_views.match_review_list, name="match-review-list"),
    path("imports/matches/<int:review_id>/", import_views.match_review, name="match-review"),
    path("results/held/", release_views.held_results, name="held-results"),
    path("results/settings/", release_views.release_settings, name="release-settings"),
]
