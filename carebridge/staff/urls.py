from django.urls import path

from carebridge.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.console, name="console"),
]
