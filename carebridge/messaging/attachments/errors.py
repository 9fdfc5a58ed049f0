"""The refusal every attachment check raises, with a message for the person who attached it."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class AttachmentError(ValidationError):
    """A file refused, with a message for the person who attached it.

    Privacy rule: the message names the file as the person called it and says why in plain
    words; nothing of the file's content goes into it or into a log."""
