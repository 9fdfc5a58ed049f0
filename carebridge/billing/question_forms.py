"""The "Ask about this bill" form: the question's words and the form's one-time key."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.messaging.forms import BODY_MAX_LENGTH, submission_field


class StatementQuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        help_text=_("For example: why you were charged, or what your insurance paid."),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your question.")},
    )
    submission = submission_field()
