from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "carebridge.staff"
    label = "staff"
