from django.urls import path

from carebridge.billing.views import history, questions, receipts, statements, summary

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
    # PLACEHOLDERS until the paying, plan and insurance branches are merged: the summary links
    # to these names; the lead removes these three lines (and their matrix rows) at merge.
    path("pay/", summary.summary, name="pay"),
    path("plan/", summary.summary, name="plan"),
    path("insurance/", summary.summary, name="insurance"),
    # Paying: the pay form, the test provider's hosted page, returns, webhooks, guest pay.
    # Payment plans and insurance.
]
