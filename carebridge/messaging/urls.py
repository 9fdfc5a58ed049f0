from django.urls import path

from carebridge.messaging import request_views, thread_views, views

app_name = "messaging"

urlpatterns = [
    path("", views.threads, name="threads"),
    path("new/", views.compose, name="compose"),
    # Requests from the record: before the thread patterns, which take any id after /messages/.
    path("requests/", request_views.request_list, name="requests"),
    path("requests/new/", request_views.request_new, name="request-new"),
    path("requests/new/refill/", request_views.request_refill, name="request-refill"),
    path("requests/new/referral/", request_views.request_referral, name="request-referral"),
    path("requests/new/records/", request_views.request_records, name="request-records"),
    path("requests/<uuid:request_id>/", request_views.request_detail, name="request"),
    path(
        "requests/<uuid:request_id>/withdraw/",
        request_views.request_withdraw,
        name="request-withdraw",
    ),
    path("search/", views.search, name="search"),
    path("drafts/<uuid:message_id>/", views.draft_edit, name="draft"),
    path("drafts/<uuid:message_id>/delete/", views.draft_delete, name="draft-delete"),
    path("<uuid:thread_id>/", thread_views.thread_detail, name="thread"),
    path("<uuid:thread_id>/reply/", thread_views.thread_reply, name="thread-reply"),
    path("<uuid:thread_id>/archive/", thread_views.thread_archive, name="thread-archive"),
    path(
        "<uuid:thread_id>/attachments/<uuid:attachment_id>/",
        thread_views.attachment_download,
        name="attachment",
    ),
]
