from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.notifications.models import MessageEmails


class PreferenceForm(forms.Form):
    message_emails = forms.ChoiceField(
        label=_("When there is a new message for you"),
        choices=MessageEmails.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to hear about new messages.")},
    )
