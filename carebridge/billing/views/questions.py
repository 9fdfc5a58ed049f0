"""Ask about this bill: a short form that starts a conversation with the clinic's billing
team about one statement."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.billing.access import access_statement
from carebridge.billing.question_forms import StatementQuestionForm
from carebridge.billing.services.questions import ask_about_statement, billing_team_for
from carebridge.billing.views.pages import render_billing
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def statement_question(request: AuthenticatedRequest, statement_id: uuid.UUID) -> HttpResponse:
    """The question form; sent, the writer goes to the new conversation. A caregiver or parent
    who may see the bills but not write messages gets 404, and nothing is written."""
    statement = access_statement(request, statement_id)
    form = StatementQuestionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            thread = ask_about_statement(
                actor=Actor.from_request(request),
                statement=statement,
                body=form.cleaned_data["body"],
                submission=form.cleaned_data["submission"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as refusal:
            form.add_error(None, refusal.messages[0])
        else:
            messages.success(request, _("Your question is sent to the billing team."))
            return redirect("messaging:thread", thread.pk)
    context = {"statement": statement, "form": form, "team": billing_team_for(statement)}
    return render_billing(request, statement.patient, "billing/question.html", context)
