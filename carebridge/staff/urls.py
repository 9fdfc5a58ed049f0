from django.urls import include, path

from carebridge.staff import (
    billing_plan_views,
    comment_views,
    import_views,
    inbox_views,
    message_views,
    notice_views,
    proxy_views,
    release_views,
    reports,
    schedule_booking_views,
    schedule_views,
    views,
)
from carebridge.staff.apps_setup.urls import urlpatterns as apps_setup_urls
from carebridge.staff.billing import reports as billing_reports
from carebridge.staff.billing import views as billing_views
from carebridge.staff.booking_setup.urls import urlpatterns as booking_setup_urls
from carebridge.staff.chart import urls as chart_urls
from carebridge.staff.details import views as details_views
from carebridge.staff.insurance import views as insurance_views
from carebridge.staff.people.urls import urlpatterns as people_urlpatterns

app_name = "staff"

urlpatterns = [
    path("", views.console, name="console"),
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/<uuid:patient_id>/invite/", views.patient_invite, name="patient-invite"),
    path("patients/<uuid:patient_id>/access/", proxy_views.patient_access, name="patient-access"),
    path(
        "patients/<uuid:patient_id>/message/",
        message_views.patient_message,
        name="patient-message",
    ),
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
    path("setup/", include("carebridge.staff.setup.urls")),
    *chart_urls.urlpatterns,
    path("audit/", reports.audit_report, name="audit-report"),
    path("audit/export.csv", reports.audit_report_csv, name="audit-report-csv"),
    path("imports/", import_views.import_upload, name="import-upload"),
    path("imports/<uuid:job_id>/", import_views.import_detail, name="import-detail"),
    path("imports/<uuid:job_id>/retry/", import_views.import_retry, name="import-retry"),
    path("imports/matches/", import_views.match_review_list, name="match-review-list"),
    path("imports/matches/<int:review_id>/", import_views.match_review, name="match-review"),
    path("results/held/", release_views.held_results, name="held-results"),
    path("results/held/<int:resource_id>/", comment_views.held_result, name="held-result"),
    path("results/settings/", release_views.release_settings, name="release-settings"),
    path("setup/quick-comments/", comment_views.quick_comments, name="setup-quick-comments"),
    path("schedule/", schedule_views.schedule_day, name="schedule-day"),
    path("schedule/week/", schedule_views.schedule_week, name="schedule-week"),
    path(
        "schedule/appointments/<uuid:appointment_id>/",
        schedule_views.schedule_appointment,
        name="schedule-appointment",
    ),
    path("schedule/book/", schedule_booking_views.schedule_book, name="schedule-book"),
    path("schedule/requests/", schedule_booking_views.schedule_requests, name="schedule-requests"),
    path(
        "schedule/requests/<uuid:request_id>/",
        schedule_booking_views.schedule_request,
        name="schedule-request",
    ),
    path("schedule/block/", schedule_views.schedule_block, name="schedule-block"),
    path(
        "schedule/block/<int:time_off_id>/remove/",
        schedule_views.schedule_block_remove,
        name="schedule-block-remove",
    ),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/threads/<uuid:thread_id>/", inbox_views.inbox_thread, name="inbox-thread"),
    path(
        "inbox/threads/<uuid:thread_id>/attachments/<uuid:attachment_id>/",
        inbox_views.inbox_attachment,
        name="inbox-attachment",
    ),
    path("inbox/requests/", inbox_views.request_queue, name="inbox-requests"),
    path("inbox/settings/", inbox_views.message_settings, name="message-settings"),
    path("notices/", notice_views.notices, name="notices"),
    path("notices/retry/", notice_views.notices_retry_all, name="notices-retry-all"),
    path("notices/<int:notice_id>/retry/", notice_views.notice_retry, name="notice-retry"),
    path("inbox/requests/<uuid:request_id>/", inbox_views.request_detail, name="inbox-request"),
    # Insurance review (front desk) and payment plans from the billing console.
    path("insurance/", insurance_views.review_list, name="insurance-review-list"),
    path("insurance/<uuid:coverage_id>/", insurance_views.review, name="insurance-review"),
    path(
        "insurance/<uuid:coverage_id>/card/<str:side>/",
        insurance_views.card,
        name="insurance-card",
    ),
    # Address changes patients send from My details (front desk).
    path("details/", details_views.review_list, name="details-review-list"),
    path("details/<uuid:change_id>/", details_views.review, name="details-review"),
    path(
        "billing/patients/<uuid:patient_id>/plan/",
        billing_plan_views.billing_plan,
        name="billing-plan",
    ),
    # The billing office (helper D): balances, a patient's account and its actions, the day.
    path("billing/", billing_views.balances, name="billing-balances"),
    path("billing/patients/<uuid:patient_id>/", billing_views.account, name="billing-account"),
    path(
        "billing/patients/<uuid:patient_id>/charge/",
        billing_views.post_charge,
        name="billing-charge",
    ),
    path(
        "billing/patients/<uuid:patient_id>/payment/",
        billing_views.desk_payment,
        name="billing-desk-payment",
    ),
    path("billing/patients/<uuid:patient_id>/adjust/", billing_views.adjust, name="billing-adjust"),
    path(
        "billing/patients/<uuid:patient_id>/statement/",
        billing_views.send_statement,
        name="billing-send-statement",
    ),
    path("billing/payments/<uuid:payment_id>/refund/", billing_views.refund, name="billing-refund"),
    path(
        "billing/reconciliation/",
        billing_reports.reconciliation,
        name="billing-reconciliation",
    ),
    path(
        "billing/reconciliation/export.csv",
        billing_reports.reconciliation_csv,
        name="billing-reconciliation-csv",
    ),
    *people_urlpatterns,
    *booking_setup_urls,
    *apps_setup_urls,
]
