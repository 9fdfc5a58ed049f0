from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "carebridge.clinic"
    label = "clinic"
