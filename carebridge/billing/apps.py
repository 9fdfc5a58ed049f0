from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "carebridge.billing"
    label = "billing"
    verbose_name = "Bills and payments"
