"""The account activity page's two lists in words: "Who has looked at your record" (others:
staff by name and role, caregivers and parents by name, apps by name) and the patient's own
activity; and the person filter's choices (the people and apps who appear).

Presentation only: the events come from `selectors.list_others_events`/`list_own_events`, the
names of apps from `naming.object_names`, the staff roles from `selectors.get_staff_roles`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from carebridge.audit.labels import EventRow, acting_as_words, actor_words, patient_sentence
from carebridge.audit.models import AuditEvent, AuditOutcome
from carebridge.audit.selectors import APP_PREFIX
from carebridge.clinic.models import StaffRole

if TYPE_CHECKING:
    from carebridge.accounts.models import User

Names = Mapping[tuple[str, str], str]
# The object type of an app's read of the record (see fhir.services.reads).
API_READ = "api_read"


def app_name(object_id: str, names: Names) -> str:
    """A connected app's name, or plain words when the connection is gone."""
    name = names.get((API_READ, object_id))
    return name if name else _("A connected app")


def who_looked(event: AuditEvent, viewer: User, names: Names, roles: Mapping[int, str]) -> str:
    """Who did it, in words: "You", "Ana Ruiz (clinician)", "Cora Caregiver (caregiver or
    parent)" or an app's name ("Health Diary (connected app)")."""
    if event.acting_as == "app":
        return _("%(name)s (connected app)") % {"name": app_name(event.object_id, names)}
    if event.actor_id is not None and event.actor_id == viewer.pk:
        return _("You")
    role = roles.get(event.actor_id) if event.actor_id is not None else None
    if event.acting_as == "staff" and role in StaffRole.values:
        label = str(StaffRole(role).label).lower()
        return _("%(name)s (%(role)s)") % {"name": event.actor_label, "role": label}
    return actor_words(event)


def describe_looked(
    events: Sequence[AuditEvent], viewer: User, names: Names, roles: Mapping[int, str]
) -> list[EventRow]:
    """Others' events as rows for "Who has looked at your record"."""
    return [
        EventRow(
            occurred_at=event.occurred_at,
            who=who_looked(event, viewer, names, roles),
            acting_as=acting_as_words(event.acting_as),
            what=patient_sentence(event, names),
            is_denied=event.outcome == AuditOutcome.DENIED,
            outcome=str(AuditOutcome(event.outcome).label),
        )
        for event in events
    ]


def person_choices(people: Sequence[tuple[str, str, str]], names: Names) -> list[tuple[str, str]]:
    """The person filter's options, by name: people by their recorded name, apps by theirs
    (an app connected more than once is one option holding each connection:
    "app-<id>.<id>")."""
    choices: dict[str, str] = {}
    apps: dict[str, list[str]] = {}
    for value, label, acting_as in people:
        if acting_as == "app":
            apps.setdefault(app_name(label, names), []).append(label)
        else:
            choices[value] = label
    for name, object_ids in apps.items():
        choices[APP_PREFIX + ".".join(sorted(object_ids))] = name
    return sorted(choices.items(), key=lambda choice: (choice[1].casefold(), choice[0]))
