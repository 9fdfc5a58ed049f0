from django.urls import path

from carebridge.home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("help/results/", views.help_results, name="help-results"),
]
