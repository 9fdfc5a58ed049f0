"""The forms of a result's release with a comment, and of the clinic's quick comments.

A comment is plain text, 1 to 1000 characters once stripped (`records.services.clean_comment`
decides, so the form and the service never disagree).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.records.models import COMMENT_MAX_LENGTH, QuickComment
from carebridge.records.services import clean_comment

NO_COMMENT = "none"
OWN_COMMENT = "own"
QUICK_PREFIX = "quick-"


class ReleaseCommentForm(forms.Form):
    """Releasing one result: no comment, one of the clinic's quick comments, or one's own.

    `cleaned_data["comment"]` is the words to add ("" for none)."""

    choice = forms.ChoiceField(
        label=gettext_lazy("Comment for the patient"), widget=forms.RadioSelect
    )
    words = forms.CharField(
        label=gettext_lazy("Your own comment"),
        help_text=gettext_lazy(
            "Plain words the patient will read with the result, up to 1000 characters. It is "
            "never put in an e-mail."
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def __init__(self, *args: Any, quick_comments: Sequence[QuickComment], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"choice": NO_COMMENT})
        super().__init__(*args, **kwargs)
        self.quick = {f"{QUICK_PREFIX}{quick.pk}": quick.text for quick in quick_comments}
        choices = [(NO_COMMENT, _("No comment")), *self.quick.items()]
        self.fields["choice"].choices = [*choices, (OWN_COMMENT, _("Write my own comment"))]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choice, words = cleaned.get("choice"), cleaned.get("words") or ""
        cleaned["comment"] = ""
        if choice == OWN_COMMENT:
            try:
                cleaned["comment"] = clean_comment(words)
            except ValidationError as error:
                self.add_error("words", error)
        elif choice and words.strip():
            # Words typed but another choice ticked: never drop them without saying so.
            self.add_error(
                "words",
                _(
                    'You wrote a comment but did not choose "Write my own comment". Choose it '
                    "to send your words, or empty the box."
                ),
            )
        elif choice in self.quick:
            cleaned["comment"] = self.quick[choice]
        return cleaned


class QuickCommentForm(forms.Form):
    """The words of a new or changed quick comment."""

    text = forms.CharField(
        label=gettext_lazy("Quick comment"),
        help_text=gettext_lazy("Plain words a patient will read, up to 1000 characters."),
        # Empty words get the service's own message, as spaces alone do.
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def clean_text(self) -> str:
        return clean_comment(self.cleaned_data["text"])
