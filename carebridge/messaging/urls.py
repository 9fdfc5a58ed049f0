from django.urls import path

from carebridge.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.threads, name="threads"),
    path("new/", views.compose, name="compose"),
    path("<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("<uuid:thread_id>/reply/", views.thread_reply, name="thread-reply"),
    path(
        "<uuid:thread_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
