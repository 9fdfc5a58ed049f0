from django.urls import path

from carebridge.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.details, name="details"),
    path("contact/", views.details_contact, name="details-contact"),
    path("confirm/", views.details_confirm, name="details-confirm"),
    path("emergency-contacts/add/", views.contact_add, name="emergency-contact-add"),
    path("emergency-contacts/<int:contact_id>/", views.contact_edit, name="emergency-contact"),
    path(
        "emergency-contacts/<int:contact_id>/remove/",
        views.contact_remove,
        name="emergency-contact-remove",
    ),
    path("pharmacy/", views.pharmacy, name="pharmacy"),
    path("pharmacy/remove/", views.pharmacy_remove, name="pharmacy-remove"),
]
