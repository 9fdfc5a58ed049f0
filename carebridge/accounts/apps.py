from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carebridge.accounts"
    label = "accounts"
