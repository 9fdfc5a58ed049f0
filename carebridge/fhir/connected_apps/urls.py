"""The connected apps pages, under /account/apps/."""

from django.urls import path

from carebridge.fhir.connected_apps import views

app_name = "connected_apps"

urlpatterns = [
    path("", views.app_list, name="list"),
    path("<uuid:connection_id>/disconnect/", views.app_disconnect, name="disconnect"),
]
