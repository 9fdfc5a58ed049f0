"""Which language a person reads: the choice they saved, else their browser's.

Reads only. The portal offers a language once its compiled catalogue is in the project
(settings.LANGUAGES); a saved choice of a language no longer offered falls back to English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from django.http import HttpResponse

    from carebridge.accounts.models import User

# Each language named in itself, so that someone who cannot read the page can still find theirs.
OWN_NAMES = {"en": "English", "es": "Español"}


def offered_languages() -> list[str]:
    """The language codes the portal has pages in, English first."""
    return [code for code, _name in settings.LANGUAGES]


def is_offered(code: str) -> bool:
    return code in offered_languages()


def saved_language(user: User | None) -> str:
    """The user's saved language if the portal offers it, else "" (not chosen)."""
    code = getattr(user, "language", "") or ""
    return code if is_offered(code) else ""


def other_language(current: str) -> str:
    """The language the header's switch offers: the first offered one that is not `current`."""
    others = [code for code in offered_languages() if code != current]
    return others[0] if others else ""


def language_for_user(user: User | None, *, default: str | None = None) -> str:
    """The language to write to `user` in (an e-mail, a PDF): their saved choice, else
    `default` (the language of the request that caused it), else the site's language."""
    return saved_language(user) or default or settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user: User | None, *, default: str | None = None) -> Iterator[str]:
    """Render what is inside in `user`'s language (see `language_for_user`)."""
    code = language_for_user(user, default=default or translation.get_language())
    with translation.override(code):
        yield code


def language_for_address(address: str, *, default: str | None = None) -> str:
    """The language to write to whoever reads mail at `address`: the saved choice of the
    account with that address, else `default`, else the language active now (for someone
    without an account, such as an invitee: the language the inviter was using)."""
    from carebridge.accounts.models import User

    user = User.objects.filter(email__iexact=address).only("language").first() if address else None
    return language_for_user(user, default=default or translation.get_language())


@contextmanager
def in_language_of_address(address: str) -> Iterator[str]:
    """Render what is inside in the language of whoever reads mail at `address`."""
    code = language_for_address(address)
    with translation.override(code):
        yield code


def set_language_cookie(response: HttpResponse, code: str) -> None:
    """Keep `code` in this browser's language cookie, which outlives signing out (read only by
    the server)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
