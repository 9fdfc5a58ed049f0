from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "carebridge.notifications"
    label = "notifications"
    verbose_name = "Notifications"
