"""SMART App Launch scopes, in version 1 and version 2 syntax, and what they let an app do.

Clinical scopes name a context (only `patient/` here: a patient-facing portal has no `user/` or
`system/` access), a resource type or `*`, and interactions: v1 `read` (read and search) or `*`,
v2 letters `c r u d s` of which the API serves `r` (read) and `s` (search). A v2 scope may narrow
itself with `?category=<code>` or `?category=<system>|<code>`. Several scopes add up: an app may
search Observations of a category when any of its scopes allows that.

Pure functions of the scope string: the consent page, the token endpoint and the API all read
scopes through here, so they cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Interaction = Literal["read", "search"]

OPENID = "openid"
FHIR_USER = "fhirUser"
OFFLINE_ACCESS = "offline_access"
ONLINE_ACCESS = "online_access"
LAUNCH_PATIENT = "launch/patient"
# Scopes that are not about clinical data, each understood as it is.
IDENTITY_SCOPES = frozenset({OPENID, FHIR_USER, "profile", OFFLINE_ACCESS, ONLINE_ACCESS})

_CLINICAL = re.compile(
    r"^patient/(?P<type>\*|[A-Z][A-Za-z]+)\.(?P<what>read|write|\*|[cruds]+)"
    r"(?:\?(?P<query>[^\s]+))?$"
)
_V2_ORDER = "cruds"


@dataclass(frozen=True)
class ResourceScope:
    """One clinical scope: which resource type (or `*`), which interactions, which categories
    (None: any category)."""

    resource_type: str
    read: bool
    search: bool
    categories: frozenset[str] | None = None

    def covers(self, resource_type: str, interaction: Interaction) -> bool:
        allowed = self.read if interaction == "read" else self.search
        return allowed and self.resource_type in {"*", resource_type}


@dataclass(frozen=True)
class ScopeSet:
    """Everything a scope string grants, and what in it was not understood."""

    resources: tuple[ResourceScope, ...] = ()
    identity: frozenset[str] = frozenset()
    launch_patient: bool = False
    unknown: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, text: str) -> ScopeSet:
        """Read a space-separated scope string; unknown scopes are kept aside, not granted."""
        resources: list[ResourceScope] = []
        identity: set[str] = set()
        launch = False
        unknown: list[str] = []
        for scope in dict.fromkeys(text.split()):
            if scope in IDENTITY_SCOPES:
                identity.add(scope)
            elif scope == LAUNCH_PATIENT:
                launch = True
            else:
                parsed = parse_resource_scope(scope)
                if parsed is None:
                    unknown.append(scope)
                else:
                    resources.append(parsed)
        return cls(tuple(resources), frozenset(identity), launch, tuple(unknown))

    @property
    def has_openid(self) -> bool:
        return OPENID in self.identity

    @property
    def has_fhir_user(self) -> bool:
        return FHIR_USER in self.identity

    @property
    def has_offline_access(self) -> bool:
        return OFFLINE_ACCESS in self.identity

    def permits(self, resource_type: str, interaction: Interaction) -> bool:
        """Whether any scope lets the app read (or search) resources of this type."""
        return any(scope.covers(resource_type, interaction) for scope in self.resources)

    def categories_for(self, resource_type: str, interaction: Interaction) -> frozenset[str] | None:
        """The categories the app may see of this type: None for any; an empty set for none."""
        matching = [scope for scope in self.resources if scope.covers(resource_type, interaction)]
        if any(scope.categories is None for scope in matching):
            return None
        return frozenset().union(*(scope.categories or frozenset() for scope in matching))

    def resource_types(self) -> frozenset[str]:
        """The resource types named (with `*` for all), whatever the interactions."""
        return frozenset(scope.resource_type for scope in self.resources)


def parse_resource_scope(scope: str) -> ResourceScope | None:
    """A `patient/...` scope in v1 or v2 syntax; None for anything else or anything the API
    cannot serve (write-only scopes, queries on anything but category)."""
    found = _CLINICAL.match(scope)
    if found is None:
        return None
    what = found["what"]
    if what in {"read", "*"}:
        read = search = True
    elif what == "write":
        return None
    else:
        if not _is_v2_letters(what):
            return None
        read, search = "r" in what, "s" in what
    if not (read or search):
        return None
    categories = _categories(found["query"]) if found["query"] else None
    if found["query"] and categories is None:
        return None
    return ResourceScope(found["type"], read, search, categories)


def _is_v2_letters(letters: str) -> bool:
    # The letters come once each, in the order c r u d s.
    positions = [_V2_ORDER.index(letter) for letter in letters]
    return positions == sorted(set(positions))


def _categories(query: str) -> frozenset[str] | None:
    """`category=<code>` or `category=<system>|<code>` (codes only are compared); None when the
    query asks for anything else."""
    name, _, value = query.partition("=")
    if name != "category" or not value or "&" in value:
        return None
    return frozenset(code.rsplit("|", 1)[-1] for code in value.split(",") if code)
