from django.urls import path  # noqa: F401

app_name = "billing"

# Each part of billing adds its pages in its own section.
urlpatterns: list = [
    # The patient's bills: summary, statements, printable statement, history, receipts.
    # Paying: the pay form, the test provider's hosted page, returns, webhooks, guest pay.
    # Payment plans and insurance.
]
