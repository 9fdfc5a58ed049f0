"""The forms of the patient's messaging pages: writing to a care team, and replying.

Files are read whole here (`file_bytes()` gives a list of (name, bytes)); what they are, how
large and how many is checked by the service, whose refusals the views show as form errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Practitioner
from carebridge.messaging.models import Attachment, Topic
from carebridge.messaging.services import SUBJECT_MAX_LENGTH

BODY_MAX_LENGTH = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (the service limits how many); cleans to a list of uploads."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


def files_help() -> str:
    return str(
        _("Optional. Up to %(most)d PDF, JPEG or PNG files, each up to 10 MB.")
        % {"most": settings.CAREBRIDGE_ATTACHMENTS_PER_MESSAGE}
    )


def submission_field() -> forms.UUIDField:
    """A sending form's one-time key, new each time the form is shown: the services treat the
    same key posted again (a double click, a reload) as the same message."""
    return forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class DraftMixin(forms.Form):
    """Files, and what a draft needs: sending asks for every required field, saving a draft
    for none of the words (`for_draft`); a draft's kept files (`kept`) can be removed."""

    REQUIRED_TO_SEND: tuple[str, ...] = ()
    submission = submission_field()

    def __init__(
        self, *args: Any, for_draft: bool = False, kept: Sequence[Attachment] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = files_help()
        for name in self.REQUIRED_TO_SEND:
            self.fields[name].required = not for_draft
        if kept:
            self.fields["remove"] = forms.TypedMultipleChoiceField(
                choices=[(str(a.pk), a.original_name) for a in kept],
                coerce=uuid.UUID,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=_("Remove files from the draft"),
            )

    def file_bytes(self) -> list[tuple[str, bytes]]:
        """Each uploaded file's name and bytes, in the order they were chosen."""
        uploads = self.cleaned_data["attachments"]
        for upload in uploads:
            # Read from the start each time: a refused send may keep the same files after.
            upload.seek(0)
        return [(upload.name or "", upload.read()) for upload in uploads]

    def removed(self) -> list[uuid.UUID]:
        """The kept files the writer chose to remove."""
        return list(self.cleaned_data.get("remove", []))


class ComposeForm(DraftMixin):
    """Writing a new conversation: the writer says what it is about, and the portal picks the
    team (`selectors.pick_team`); a clinician may be chosen to answer."""

    REQUIRED_TO_SEND = ("subject", "body")

    topic = forms.ChoiceField(
        choices=Topic.choices,
        widget=forms.RadioSelect,
        label=_("What is it about?"),
        error_messages={"required": _("Choose what your message is about.")},
    )
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.none(),
        label=_("Clinician (optional)"),
        required=False,
        empty_label=_("Anyone who can answer"),
        help_text=_("Choose a clinician only if you want one person to answer."),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        help_text=_("A few words, such as “Question about my blood test”."),
        error_messages={"required": _("Give your message a subject.")},
    )
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=BODY_MAX_LENGTH,
        error_messages={"required": _("Write your message.")},
    )
    attachments = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args: Any, practitioners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        practitioner_field = self.fields["practitioner"]
        assert isinstance(practitioner_field, forms.ModelChoiceField)
        practitioner_field.queryset = practitioners


class ReplyForm(DraftMixin):
    REQUIRED_TO_SEND = ("body",)

    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=BODY_MAX_LENGTH,
        error_messages={"required": _("Write your message.")},
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


class SearchForm(forms.Form):
    text = forms.CharField(
        label=_("Search the messages"),
        max_length=200,
        required=False,
        help_text=_("Words from the subject or the messages."),
    )
