from django.urls import path

from carebridge.proxies.views import switching

app_name = "proxies"

urlpatterns = [
    path("acting-for/", switching.switch, name="switch"),
]
