from django.urls import path

from carebridge.records.views import downloads, results, sections, sharing, summary

app_name = "records"

urlpatterns = [
    path("", summary.health_summary, name="summary"),
    path("results/", results.result_list, name="results"),
    path("results/<int:resource_id>/", results.result_detail, name="result-detail"),
    path("results/reports/<int:resource_id>/", results.report_detail, name="report-detail"),
    path("results/<int:resource_id>/trend/", results.test_trend, name="test-trend"),
    path("vitals/", results.vitals, name="vitals"),
    path("medications/", sections.medications, name="medications"),
    path("allergies/", sections.allergies, name="allergies"),
    path("immunizations/", sections.immunizations, name="immunizations"),
    path("problems/", sections.problems, name="problems"),
    path("procedures/", sections.procedures, name="procedures"),
    path("visits/", sections.visits, name="visits"),
    path("visits/<int:resource_id>/", sections.visit_detail, name="visit-detail"),
    path("documents/", sections.documents, name="documents"),
    path("documents/<int:resource_id>/", sections.document_detail, name="document-detail"),
    path("care-team/", sections.care_team, name="care-team"),
    path("care-plans/", sections.care_plans, name="care-plans"),
    path("download/", downloads.download, name="download"),
    path("download/print/", downloads.print_summary, name="print"),
    path("share/", sharing.share, name="share"),
]

# The page a summary's recipient opens from the e-mailed link (no portal account needed).
shared_urlpatterns = [
    path("<str:token>/", sharing.open_shared, name="shared-open"),
]
