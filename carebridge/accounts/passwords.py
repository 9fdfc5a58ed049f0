"""Password rules beyond Django's: an upper bound, so long pastes work but abuse does not."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must be at most %(max)d character.",
                    "This password is too long. It must be at most %(max)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max": self.max_length},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password can be up to %(max)d character long.",
            "Your password can be up to %(max)d characters long.",
            self.max_length,
        ) % {"max": self.max_length}
