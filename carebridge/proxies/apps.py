from django.apps import AppConfig


class ProxiesConfig(AppConfig):
    name = "carebridge.proxies"
    label = "proxies"
