"""The clinic's places (locations), as its administrators add, change and remove them.

Audit rule: "location" created, updated or deleted, with each changed field before and after,
in the change's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change
from carebridge.clinic.models import Clinic, Location
from carebridge.clinic.services.common import changed_fields, values

if TYPE_CHECKING:
    from carebridge.accounts.models import User


@dataclass(frozen=True)
class PlaceDetails:
    name: str
    address_line: str
    city: str
    state: str
    postal_code: str
    phone: str = ""

    def cleaned(self) -> dict[str, str]:
        return {name: value.strip() for name, value in asdict(self).items()}


def name_taken_refusal(clinic: Clinic, name: str, *, besides: int | None = None) -> str | None:
    """Why `name` cannot be used for another of the clinic's places, or None."""
    others = Location.objects.filter(clinic=clinic, name__iexact=name.strip())
    if besides is not None:
        others = others.exclude(pk=besides)
    if others.exists():
        return _("The clinic already has a place called “%(name)s”. Choose another name.") % {
            "name": name.strip()
        }
    return None


def add_place(
    *, actor: User, clinic: Clinic, details: PlaceDetails, request: HttpRequest | None = None
) -> Location:
    """Add a place. Refused (ValidationError) when the clinic has one of that name."""
    chosen = details.cleaned()
    with transaction.atomic(), _name_race(chosen["name"]):
        _check_name(clinic, chosen["name"], None)
        place = Location.objects.create(clinic=clinic, **chosen)
        record_change(
            actor=actor,
            object_type="location",
            object_id=place.pk,
            before={},
            after=chosen,
            action=AuditAction.CREATE,
            request=request,
        )
    return place


def change_place(
    *, actor: User, place: Location, details: PlaceDetails, request: HttpRequest | None = None
) -> Location:
    """Change a place's name, address or phone. Refused (ValidationError) for a name another
    of the clinic's places has."""
    chosen = details.cleaned()
    with transaction.atomic(), _name_race(chosen["name"]):
        row = Location.objects.select_for_update().get(pk=place.pk)
        _check_name(row.clinic, chosen["name"], row.pk)
        before = values(row, chosen)
        changed = changed_fields(before, chosen)
        if not changed:
            return place
        for name in changed:
            setattr(row, name, chosen[name])
        row.save(update_fields=changed)
        record_change(
            actor=actor,
            object_type="location",
            object_id=row.pk,
            before=before,
            after=chosen,
            request=request,
        )
    return row


def place_in_use_refusal(place: Location) -> str | None:
    """Why a place cannot be removed (it has appointments or working hours), or None."""
    if place.appointments.exists() or place.weekly_hours.exists():
        return _(
            "“%(name)s” has appointments or working hours, so it cannot be removed. "
            "Move them to another place first."
        ) % {"name": place.name}
    return None


def remove_place(*, actor: User, place: Location, request: HttpRequest | None = None) -> None:
    """Remove a place nobody is booked or working at. Refused (ValidationError, nothing
    removed) when it has appointments, working hours or anything else that needs it."""
    fields = PlaceDetails(
        place.name, place.address_line, place.city, place.state, place.postal_code, place.phone
    ).cleaned()
    refusal = place_in_use_refusal(place)
    if refusal:
        raise ValidationError(refusal, code="in_use")
    try:
        with transaction.atomic():
            record_change(
                actor=actor,
                object_type="location",
                object_id=place.pk,
                before=fields,
                after={},
                action=AuditAction.DELETE,
                request=request,
            )
            place.delete()
    except ProtectedError as error:
        # Something else still points at it (a waiting-list offer, say): refused all the same.
        raise ValidationError(
            _("“%(name)s” is still in use, so it cannot be removed.") % {"name": place.name},
            code="in_use",
        ) from error


@contextmanager
def _name_race(name: str) -> Iterator[None]:
    """A colleague who saved a place of the same name between our check and our write meets
    the unique constraint: the same plain refusal, not a server error."""
    try:
        yield
    except IntegrityError as error:
        raise ValidationError(
            _("The clinic already has a place called “%(name)s”. Choose another name.")
            % {"name": name},
            code="name_taken",
        ) from error


def _check_name(clinic: Clinic, name: str, besides: int | None) -> None:
    refusal = name_taken_refusal(clinic, name, besides=besides)
    if refusal:
        raise ValidationError(refusal, code="name_taken")
