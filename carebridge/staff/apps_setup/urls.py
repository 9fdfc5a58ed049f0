"""The app register's addresses, spliced into `carebridge.staff.urls`."""

from __future__ import annotations

from django.urls import path

from carebridge.staff.apps_setup import views

urlpatterns = [
    path("setup/apps/", views.app_list, name="setup-apps"),
    path("setup/apps/add/", views.app_add, name="setup-app-add"),
    path("setup/apps/<int:app_id>/", views.app_change, name="setup-app"),
    path("setup/apps/<int:app_id>/withdraw/", views.app_withdraw, name="setup-app-withdraw"),
]
