"""Addresses of many objects' pages from one `reverse`: the same as reversing each."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from carebridge.lib.links import id_url


@pytest.mark.parametrize(
    "name", ["scheduling:appointment-detail", "scheduling:clinic-appointment", "messaging:thread"]
)
def test_the_same_address_as_reverse(name: str) -> None:
    url = id_url(name)
    ids = [uuid.uuid4() for _ in range(5)] + [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)]
    assert [url(one) for one in ids] == [reverse(name, args=[one]) for one in ids]
    assert url(str(ids[0])) == reverse(name, args=[ids[0]])


def test_only_an_id_takes_the_ids_place() -> None:
    with pytest.raises(ValueError):
        id_url("messaging:thread")("../../admin")
