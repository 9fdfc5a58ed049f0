"""Addresses of many objects' pages at the cost of one `reverse`."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.urls import reverse

# A stand-in id, reversed once; each object's id then takes its place in the address.
_STAND_IN = uuid.UUID(int=0x5AFE_5AFE)


def id_url(name: str) -> Callable[[object], str]:
    """A function giving the address of the URL named `name` (whose one argument is a UUID)
    for an id: the same address `reverse(name, args=[id])` gives, found with one `reverse` for
    a whole list instead of one per row."""
    head, tail = reverse(name, args=[_STAND_IN]).split(str(_STAND_IN))

    def url(object_id: object) -> str:
        return f"{head}{uuid.UUID(str(object_id))}{tail}"

    return url
