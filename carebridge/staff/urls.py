from django.urls import path

from carebridge.staff import reports, views

app_name = "staff"

urlpatterns = [
    path("", views.console, name="console"),
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/<uuid:patient_id>/invite/", views.patient_invite, name="patient-invite"),
    path("audit/", reports.audit_report, name="audit-report"),
    path("audit/export.csv", reports.audit_report_csv, name="audit-report-csv"),
]
