from allauth.account.decorators import reauthentication_required
from allauth.account.views import password_change
from django.contrib.auth.decorators import login_required
from django.urls import path

from carebridge.accounts import checklist_views, language_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enrol/", views.enrol_start, name="enrol"),
    path("enrol/email/", views.enrol_email, name="enrol-email"),
    path("enrol/verify/<str:token>/", views.enrol_verify, name="enrol-verify"),
    path("enrol/done/", views.enrol_done, name="enrol-done"),
    path("welcome/", checklist_views.welcome, name="welcome"),
    path("session/status/", views.session_status, name="session-status"),
    path("session/keepalive/", views.session_keepalive, name="session-keepalive"),
    path("language/", language_views.language_settings, name="language"),
    path("language/switch/", language_views.switch_language, name="language-switch"),
    # allauth's own change-password page, served here first (same address, so it keeps its
    # name `account_change_password`) so that, like a change of e-mail or of two-step
    # verification, it needs a recent confirmation of the password.
    path(
        "password/change/",
        login_required(reauthentication_required(password_change, app="allauth.account")),
    ),
]
