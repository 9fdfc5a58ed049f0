from django.urls import path

from carebridge.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.account_activity, name="activity"),
]
