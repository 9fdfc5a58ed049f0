from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "carebridge.messaging"
    label = "messaging"
    verbose_name = "Messages"

    def ready(self) -> None:
        from carebridge.messaging import kept_counts

        kept_counts.connect()
