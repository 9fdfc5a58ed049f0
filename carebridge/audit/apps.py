from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "carebridge.audit"
    label = "audit"
