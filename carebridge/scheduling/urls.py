from django.urls import path

from carebridge.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.appointments, name="appointments"),
]
