from django.apps import AppConfig


class ProxiesConfig(AppConfig):
    name = "carebridge.proxies"
    label = "proxies"

    def ready(self) -> None:
        from carebridge.proxies import kept

        kept.connect()
