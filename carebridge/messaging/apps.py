from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "carebridge.messaging"
    label = "messaging"
    verbose_name = "Messages"
