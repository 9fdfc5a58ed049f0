"""Who does a change, acting as what, when and from which request: passed to a service as one
value instead of four arguments (`actor=`, `acting_as=`, `now=`, `request=`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest

    from carebridge.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """`user` is None for the system (the worker, an import, a provider's webhook) and for a
    guest who pays without an account; `acting_as` is "self", "proxy", "staff", "guest" or
    "system", as the audit trail records it."""

    user: User | None
    acting_as: str
    now: datetime.datetime = field(default_factory=timezone.now)
    request: HttpRequest | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        """The signed-in viewer of a portal request, as their acting context says."""
        acting = request.acting  # type: ignore[attr-defined]
        user = request.user if request.user.is_authenticated else None
        acting_as = acting.relationship.value if user is not None else "guest"
        return cls(user=user, acting_as=acting_as, request=request)

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None, acting_as="system")

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)
