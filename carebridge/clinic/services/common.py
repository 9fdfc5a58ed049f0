"""What the console's clinic services share: locking the clinic's row, reading fields as JSON
values for the audit, and telling the page cache that the clinic changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from carebridge.clinic.models import Clinic
from carebridge.clinic.selectors import forget_only_clinic


def locked_clinic(clinic: Clinic) -> Clinic:
    """The clinic's row, locked until the transaction ends, so two administrators saving at
    once each see the other's change as their "before"."""
    return Clinic.objects.select_for_update().get(pk=clinic.pk)


def values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]


def copy_to_caller(source: Clinic, target: Clinic, names: Iterable[str]) -> None:
    # The caller's instance (the one the request holds) shows the saved values at once.
    for name in names:
        setattr(target, name, getattr(source, name))


def forget_on_commit() -> None:
    transaction.on_commit(forget_only_clinic)
