from django.urls import path

from carebridge.billing.views import insurance, plans

app_name = "billing"

# Each part of billing adds its pages in its own section.
urlpatterns: list = [
    # The patient's bills: summary, statements, printable statement, history, receipts.
    # Paying: the pay form, the test provider's hosted page, returns, webhooks, guest pay.
    # Payment plans and insurance.
    path("plan/", plans.plan, name="plan"),
    # A stand-in for the pay page until it is merged (helper B's `billing:pay`).
    path("pay/", plans.pay_placeholder, name="pay"),
    path("insurance/", insurance.insurance, name="insurance"),
    path("insurance/update/", insurance.insurance_update, name="insurance-update"),
    path(
        "insurance/<uuid:coverage_id>/card/<str:side>/",
        insurance.insurance_card,
        name="insurance-card",
    ),
]
