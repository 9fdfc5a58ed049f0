from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "carebridge.backups"
    label = "backups"
    verbose_name = "Backups"
