from django.urls import path

from carebridge.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.threads, name="threads"),
    path("new/", views.compose, name="compose"),
    path("search/", views.search, name="search"),
    path("drafts/<uuid:message_id>/", views.draft_edit, name="draft"),
    path("drafts/<uuid:message_id>/delete/", views.draft_delete, name="draft-delete"),
    path("<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("<uuid:thread_id>/reply/", views.thread_reply, name="thread-reply"),
    path("<uuid:thread_id>/archive/", views.thread_archive, name="thread-archive"),
    path(
        "<uuid:thread_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
