from django.urls import path

from carebridge.billing.views import guest, paying, test_provider, webhooks

app_name = "billing"

# Each part of billing adds its pages in its own section.
urlpatterns: list = [
    # The patient's bills: summary, statements, printable statement, history, receipts.
    # Paying: the pay form, the test provider's hosted page, returns, webhooks, guest pay.
    path("pay/", paying.pay, name="pay"),
    path("payments/<uuid:payment_id>/return/", paying.payment_return, name="payment-return"),
    path(
        "payments/<uuid:payment_id>/cancelled/",
        paying.payment_cancelled,
        name="payment-cancelled",
    ),
    # PLACEHOLDER until helper A's receipt page is merged (the lead removes this line).
    path("payments/<uuid:payment_id>/", paying.receipt_placeholder, name="receipt"),
    path(
        "test-provider/<str:reference>/",
        test_provider.test_provider_page,
        name="test-provider",
    ),
    path("webhooks/<str:provider>/", webhooks.webhook, name="webhook"),
    path("guest/", guest.guest_pay, name="guest-pay"),
    path(
        "guest/payments/<uuid:payment_id>/return/",
        guest.guest_payment_return,
        name="guest-payment-return",
    ),
    path(
        "guest/payments/<uuid:payment_id>/cancelled/",
        guest.guest_payment_cancelled,
        name="guest-payment-cancelled",
    ),
    # Payment plans and insurance.
]
