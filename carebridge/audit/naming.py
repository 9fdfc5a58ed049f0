"""Names for the objects some events are about, looked up a page of events at a time.

A few events read better with their object's name ("Read by Health Diary"). The audit app
imports no other app, so the app that owns such an object type registers, when it starts, how
to name a batch of them: one query for a whole page of events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from carebridge.audit.models import AuditEvent

# Object ids -> their names, for the ids that still name something.
ObjectNamer = Callable[[Sequence[str]], Mapping[str, str]]

_NAMERS: dict[str, ObjectNamer] = {}


def register_object_namer(object_type: str, namer: ObjectNamer) -> None:
    """Let events of `object_type` be shown with their object's name (see `object_names`)."""
    _NAMERS[object_type] = namer


def object_names(events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """The names of the objects these events are about, by (object type, object id), for the
    types that registered a namer: one call (one query) per such type on the page."""
    wanted: dict[str, list[str]] = {}
    for event in events:
        if event.object_type in _NAMERS and event.object_id:
            wanted.setdefault(event.object_type, []).append(event.object_id)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        found = _NAMERS[object_type](sorted(set(ids)))
        names |= {(object_type, object_id): name for object_id, name in found.items()}
    return names


def names_of(object_type: str, object_ids: Sequence[str]) -> dict[tuple[str, str], str]:
    """The names of these objects of one type, keyed like `object_names` (one query; none for
    a type without a namer or no ids)."""
    namer = _NAMERS.get(object_type)
    if namer is None or not object_ids:
        return {}
    found = namer(sorted(set(object_ids)))
    return {(object_type, object_id): name for object_id, name in found.items()}
