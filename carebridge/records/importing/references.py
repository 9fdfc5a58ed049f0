"""Rewrite references between entries to the `Type/id` the store keeps them under.

A bundle's entries point at each other by their fullUrl (`urn:uuid:…`) or by `Type/id`; once
stored they are `Type/id` with Carebridge's ids (the same ids, except a Patient's, which is
the portal patient's UUID). References to contained resources (`#id`) stay as they are, and
so do references to anything else (a resource imported earlier, an outside server).

A literal `Type/id` that is neither in the file nor stored, or a `#id` naming no contained
resource, does not stop the import: the resource is stored as sent, and the summary warns,
naming the reference's type and id (never clinical content).

The same walk over each resource checks its element formats (dates, references), so every
resource is walked once: large exports are mostly this walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from carebridge.records.importing.bundles import Item
from carebridge.records.importing.validation import (
    DATE_ELEMENTS,
    DATE_SUFFIXES,
    PERIOD_EDGES,
    is_fhir_datetime,
    resource_type_of,
)

# An alias's target once the entry it names has failed to import.
NOT_IMPORTED = ""
# Looks references up outside the document: `urn:…` → final `Type/id`, for those it knows.
OutsideLookup = Callable[[Iterable[str]], Mapping[str, str]]
# Which of these literal `Type/id` references the store holds.
StoredLookup = Callable[[Collection[str]], Collection[str]]
# A literal reference to a resource on this server: `Type/id`, perhaps with its version.
LITERAL = re.compile(r"([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(/_history/[A-Za-z0-9\-.]{1,64})?")


@dataclass
class Pending:
    """A `urn:` reference the document does not hold: looked up outside it, after the walk."""

    node: dict[str, Any]
    reference: str
    element: str
    item: Item


class PatientAliases(dict[str, str]):
    """How one import's earlier files named the patients they stored, and their final ids.

    A Patient is re-keyed to its portal patient's UUID; a later file of the same import (a
    bulk export's Group file, a list of members) may still name it `Patient/<id as sent>` or
    by its fullUrl, and is rewritten like every other reference. A name two files give to
    different patients is ambiguous: it is forgotten, never guessed.
    """

    def __init__(self) -> None:
        super().__init__()
        self._ambiguous: set[str] = set()

    def learn(self, items: Iterable[Item], aliases: Mapping[str, str]) -> None:
        """Remember a stored group's Patient entries, by every name the document gave them."""
        for item in items:
            if item.problem or item.resource_type != "Patient":
                continue
            for key in (item.full_url, f"Patient/{item.original_id}"):
                target = aliases.get(key)
                if key and target and key not in self._ambiguous:
                    self._add(key, target)

    def _add(self, key: str, target: str) -> None:
        if self.setdefault(key, target) != target:
            del self[key]
            self._ambiguous.add(key)


@dataclass
class Literal:
    """A `Type/id` reference to nothing in the document: it should be stored already."""

    target: str
    element: str
    item: Item = field(repr=False)


class Resolver:
    """Resolves and checks one group's resources; collects what is wrong, with positions.

    `in_file` holds the final `Type/id` of every entry of the document being imported.
    """

    def __init__(self, aliases: Mapping[str, str], in_file: Collection[str] = ()) -> None:
        self.aliases = aliases
        self.in_file = in_file
        self.problems: list[tuple[Item, str]] = []
        self.warnings: list[tuple[Item, str]] = []
        self.pending: list[Pending] = []
        self.literals: list[Literal] = []
        self._item: Item | None = None

    def walk(self, item: Item) -> None:
        """Rewrite the item's references in place and note any badly formed element."""
        self._item = item
        self._walk(item.resource, item.resource_type)

    def resolve_pending(self, lookup: OutsideLookup) -> None:
        """Look up the `urn:` references the document did not hold; the rest are broken."""
        if not self.pending:
            return
        found = lookup({pending.reference for pending in self.pending})
        for pending in self.pending:
            target = found.get(pending.reference)
            if target is not None:
                pending.node["reference"] = target
            else:
                self._problem(
                    pending.item,
                    _(
                        "a reference in '%(element)s' points to an entry that is neither in "
                        "this file nor already imported."
                    )
                    % {"element": pending.element},
                )
        self.pending = []

    def check_literals(self, stored: StoredLookup) -> None:
        """Warn of each literal `Type/id` that neither the document nor the store holds."""
        if not self.literals:
            return
        held = stored({literal.target for literal in self.literals})
        for literal in self.literals:
            if literal.target not in held:
                self.warnings.append(
                    (
                        literal.item,
                        f"{literal.item.resource_type}: "
                        + _(
                            "a reference in '%(element)s' points to %(target)s, which is neither "
                            "in this file nor stored; it is kept as it was sent."
                        )
                        % {"element": literal.element, "target": literal.target},
                    )
                )
        self.literals = []

    def _walk(self, node: dict[str, Any], element: str) -> None:
        for key, value in node.items():
            kind = type(value)
            if key == "reference":
                self._reference(node, value, element)
            elif kind is dict:
                self._walk(value, key)
            elif kind is list:
                for member in value:
                    if type(member) is dict:
                        self._walk(member, key)
            elif key in PERIOD_EDGES:
                # start/end are dates in a Period, numbers elsewhere: only text is checked.
                if kind is str and not is_fhir_datetime(value):
                    self._bad_date(key)
            elif (key in DATE_ELEMENTS or key.endswith(DATE_SUFFIXES)) and not is_fhir_datetime(
                value
            ):
                self._bad_date(key)

    def _reference(self, node: dict[str, Any], value: Any, element: str) -> None:
        if type(value) is str:
            target = self.aliases.get(value)
            if target == NOT_IMPORTED:
                self._current_problem(
                    _("a reference in '%(element)s' points to an entry that was not imported.")
                    % {"element": element}
                )
            elif target is not None:
                if target != value:
                    node["reference"] = target
            elif value.startswith("urn:"):
                assert self._item is not None
                self.pending.append(Pending(node, value, element, self._item))
            elif value.startswith("#"):
                self._contained(value, element)
            else:
                self._literal(value, element)
        elif type(value) is dict:
            # ImplementationGuide nests a Reference under an element named "reference".
            self._walk(value, "reference")
        else:
            self._current_problem(
                _("a reference in '%(element)s' is not text.") % {"element": element}
            )

    def _literal(self, value: str, element: str) -> None:
        match = LITERAL.fullmatch(value)
        if match is None or not resource_type_of({"resourceType": match[1]}):
            # An absolute URL (another server) or a search: not ours to resolve.
            return
        target = f"{match[1]}/{match[2]}"
        if target not in self.in_file:
            assert self._item is not None
            self.literals.append(Literal(target, element, self._item))

    def _contained(self, value: str, element: str) -> None:
        # "#" alone is the containing resource itself.
        assert self._item is not None
        contained = self._item.resource.get("contained") or []
        ids = {member.get("id") for member in contained if isinstance(member, dict)}
        if len(value) > 1 and value[1:] not in ids:
            self.warnings.append(
                (
                    self._item,
                    f"{self._item.resource_type}: "
                    + _(
                        "a reference in '%(element)s' points to a contained resource "
                        "%(target)s that is not there; it is kept as it was sent."
                    )
                    % {"element": element, "target": value},
                )
            )

    def _bad_date(self, element: str) -> None:
        self._current_problem(
            _("'%(element)s' is not a valid FHIR date or date-time.") % {"element": element}
        )

    def _current_problem(self, reason: str) -> None:
        assert self._item is not None
        self._problem(self._item, reason)

    def _problem(self, item: Item, reason: str) -> None:
        self.problems.append((item, f"{item.resource_type}: {reason}"))
