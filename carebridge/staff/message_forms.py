"""The form a member of staff uses to start a conversation with a patient."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from carebridge.messaging.forms import submission_field
from carebridge.messaging.models import CareTeam, Topic
from carebridge.messaging.services import SUBJECT_MAX_LENGTH

BODY_MAX_LENGTH = 5000


class StaffMessageForm(forms.Form):
    """Which of the writer's teams the conversation is from, its subject and first message.

    The topic is optional: without one the conversation is filed under the team's first
    topic (or "Something else" for a team that answers every topic)."""

    team = forms.ModelChoiceField(
        label=gettext_lazy("From which care team"),
        help_text=gettext_lazy("The patient's answer arrives in this team's inbox."),
        queryset=CareTeam.objects.none(),
        empty_label=None,
    )
    topic = forms.ChoiceField(
        label=gettext_lazy("Topic (optional)"),
        required=False,
        choices=[("", gettext_lazy("Let the team's topic decide")), *Topic.choices],
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        help_text=gettext_lazy("The patient reads it in the portal. It is never put in an e-mail."),
        max_length=SUBJECT_MAX_LENGTH,
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    submission = submission_field()

    def __init__(self, *args: Any, teams: Sequence[CareTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        field.queryset = CareTeam.objects.filter(pk__in=[team.pk for team in teams])  # type: ignore[attr-defined]

    def chosen_topic(self) -> str:
        team: CareTeam = self.cleaned_data["team"]
        return self.cleaned_data["topic"] or (team.topics[0] if team.topics else Topic.OTHER)
