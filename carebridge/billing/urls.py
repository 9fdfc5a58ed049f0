from django.urls import path

from carebridge.billing.views import (
    guest,
    history,
    insurance,
    paying,
    plans,
    provider_page,
    questions,
    receipts,
    statements,
    summary,
    webhooks,
)

app_name = "billing"

# Each part of billing adds its pages in its own section.
urlpatterns: list = [
    # The patient's bills: summary, statements, printable statement, history, receipts.
    path("", summary.summary, name="summary"),
    path("statements/<uuid:statement_id>/", statements.statement, name="statement"),
    path(
        "statements/<uuid:statement_id>/print/",
        statements.statement_print,
        name="statement-print",
    ),
    path(
        "statements/<uuid:statement_id>/question/",
        questions.statement_question,
        name="statement-question",
    ),
    path("history/", history.history, name="history"),
    path("payments/<uuid:payment_id>/", receipts.receipt, name="receipt"),
    # Paying: the pay form, the test provider's hosted page, returns, webhooks, guest pay.
    path("pay/", paying.pay, name="pay"),
    path("payments/<uuid:payment_id>/return/", paying.payment_return, name="payment-return"),
    path(
        "payments/<uuid:payment_id>/cancelled/",
        paying.payment_cancelled,
        name="payment-cancelled",
    ),
    path(
        "test-provider/<str:reference>/",
        provider_page.provider_test_page,
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
    path("plan/", plans.plan, name="plan"),
    path("insurance/", insurance.insurance, name="insurance"),
    path("insurance/update/", insurance.insurance_update, name="insurance-update"),
    path(
        "insurance/<uuid:coverage_id>/card/<str:side>/",
        insurance.insurance_card,
        name="insurance-card",
    ),
]
