"""The staff inbox's forms: the list's filters, replies and notes, the triage changes, and the
answer to a request from the record. Reply templates are a short list kept here, in plain
words the patient reads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import StaffMember
from carebridge.messaging.forms import submission_field
from carebridge.messaging.models import CareTeam, Priority, ThreadStatus
from carebridge.staff.inbox_selectors import ALL_OPEN

BODY_MAX_LENGTH = 5000
# (key, label, text): the texts are what the patient reads.
REPLY_TEMPLATES: list[tuple[str, Any, Any]] = [
    (
        "received",
        _("We have received your message"),
        _(
            "We have received your message. A member of your care team will answer "
            "within two working days."
        ),
    ),
    (
        "call",
        _("Please call us"),
        _("Thank you for your message. Please call the clinic so that we can talk it through."),
    ),
    (
        "appointment",
        _("Please book a visit"),
        _(
            "Thank you for your message. This is best looked at in a visit. Please book an "
            "appointment with us."
        ),
    ),
]


def template_text(key: str) -> str:
    for found, _label, text in REPLY_TEMPLATES:
        if found == key:
            return str(text)
    return ""


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(ALL_OPEN, _("Not closed")), ("", _("Any status")), *ThreadStatus.choices],
    )
    mine = forms.BooleanField(label=_("Only those assigned to me"), required=False)

    def chosen_status(self) -> str:
        if self.is_valid():
            return str(self.cleaned_data["status"])
        return ALL_OPEN

    def only_mine(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["mine"])


class TemplateChoiceForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Use a reply template"),
        required=False,
        choices=[("", _("No template")), *[(key, label) for key, label, _text in REPLY_TEMPLATES]],
    )


class ReplyForm(forms.Form):
    submission = submission_field()
    body = forms.CharField(
        label=_("Your reply to the patient"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class NoteForm(forms.Form):
    submission = submission_field()
    body = forms.CharField(
        label=_("Internal note (the patient does not see this)"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def staff_name(member: StaffMember) -> str:
    return member.user.display_name


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, members: list[StaffMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = StaffMember.objects.filter(pk__in=[m.pk for m in members]).select_related(
            "user"
        )
        field.label_from_instance = staff_name  # type: ignore[assignment,method-assign]


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ThreadStatus.choices)


class ForwardForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Forward to"), queryset=CareTeam.objects.none())

    def __init__(self, *args: Any, teams: list[CareTeam], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CareTeam.objects.filter(pk__in=[t.pk for t in teams])


class AnswerForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the patient"),
        help_text=_("The patient reads this. Required when declining."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
