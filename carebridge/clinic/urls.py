from django.urls import path

from carebridge.clinic import views

app_name = "brand"

urlpatterns = [
    path("<slug:slug>/logo-<int:version>.png", views.logo, name="logo"),
    path("<slug:slug>/colours-<int:version>.css", views.colours, name="colours"),
]
