"""The authorisation matrix: every URL, every persona, the expected outcome.

Each `Route` names a URL pattern, how to build its URL for the cast, and what each persona must
get. `tests/test_authorization_matrix.py` runs them all, and fails when a URL pattern exists that
no route covers, so a new page cannot ship without saying who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core import mail
from django.db import connection
from django.urls import reverse

from carebridge.proxies.rules import TEEN_RECORD_PARTS
from carebridge.testing.personas import PERSONAS, Cast

PATIENTS = ("patient", "second_patient")
STAFF_WITH_MFA = (
    "clinician",
    "nurse",
    "front_desk",
    "billing",
    "clinic_admin",
    "other_clinic_admin",
)
# Proxies whose access has ended: they act for nobody, like a signed-in visitor.
ENDED_PROXIES = ("revoked_caregiver", "expired_caregiver", "parent_of_adult")
# Proxies acting for someone today, and those who see that person's whole (non-sensitive)
# record: Cora for Pat, Paula for Kit.
ACTING_PROXIES = ("full_caregiver", "appointments_caregiver", "parent_of_child", "parent_of_teen")
WHOLE_RECORD_PROXIES = ("full_caregiver", "parent_of_child")


@dataclass(frozen=True)
class Expect:
    status: int
    # For redirects: where to (the path the Location starts with).
    location: str = ""

    def describe(self) -> str:
        return f"{self.status} {self.location}".strip()


OK = Expect(200)
NOT_FOUND = Expect(404)
TO_LOGIN = Expect(302, "/account/login/")
TO_MFA_SETUP = Expect(302, "/account/2fa/")
TO_HOME = Expect(302, "/")
UNAUTHORISED = Expect(401)


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[Cast], str]
    expect: dict[str, Expect]
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)

    def expected_for(self, persona: str) -> Expect:
        return self.expect[persona]


def url(name: str, *args: object) -> Callable[[Cast], str]:
    """A URL builder for a route whose arguments do not depend on the cast."""
    return lambda cast: reverse(name, args=args)


def expectations(
    default: Expect,
    *,
    anonymous: Expect | None = None,
    patients: Expect | None = None,
    visitor: Expect | None = None,
    staff: Expect | None = None,
    no_mfa: Expect = TO_MFA_SETUP,
    proxies: Expect | None = None,
    ended_proxies: Expect | None = None,
    **persona_overrides: Expect,
) -> dict[str, Expect]:
    """Expected outcome per persona: a default, then groups, then single personas.

    `proxies` sets the caregivers and parents acting for someone today; those whose access
    has ended get `ended_proxies`, or else what the visitor gets, since they act for nobody.
    """
    table = dict.fromkeys(PERSONAS, default)
    table["anonymous"] = anonymous or TO_LOGIN
    for name in PATIENTS:
        table[name] = patients or default
    table["visitor"] = visitor or default
    for name in STAFF_WITH_MFA:
        table[name] = staff or default
    for name in ACTING_PROXIES:
        table[name] = proxies or default
    table["staff_without_mfa"] = no_mfa
    table.update(persona_overrides)
    for name in ENDED_PROXIES:
        table[name] = persona_overrides.get(name) or ended_proxies or table["visitor"]
    assert set(table) == set(PERSONAS)
    return table


# Tables whose rows a denied request may not change. The audit trail (which records the denial),
# the session tables (signing in writes them) and the attempt counters (a refused try is counted
# so that the next one can be refused) are left out on purpose.
_UNWATCHED = {
    "audit.auditevent",
    "audit.auditchainhead",
    "core.attemptcounter",
    "audit.auditpendingevent",
    "sessions.session",
    "usersessions.usersession",
}


def own_record(part: str) -> dict[str, Expect]:
    """A record page of whoever the viewer acts for (`part` from `proxies.acting.RECORD_PARTS`).

    Each patient sees their own; Cora sees Pat's and Paula sees Kit's (the whole record but
    what is sensitive); Terry sees only Tess's allergies and immunizations; Abe, who may only
    deal with Pat's appointments, and everyone acting for nobody get 404.
    """
    teen = OK if part in TEEN_RECORD_PARTS else NOT_FOUND
    return expectations(
        NOT_FOUND, patients=OK, full_caregiver=OK, parent_of_child=OK, parent_of_teen=teen
    )


# One of Pat's own resources: Pat, and Cora acting for her; Sam, and the parents acting for
# their children, get the same 404 as for a resource that does not exist.
PATS_RESOURCE = expectations(NOT_FOUND, patient=OK, full_caregiver=OK)


def snapshot() -> dict[str, int]:
    """Row counts of every watched table, plus the number of e-mails sent.

    One query for all the tables: the matrix takes two snapshots in each of thousands of tests.
    """
    models = [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in _UNWATCHED and model._meta.managed
    ]
    # Table names come from the models, never from input.
    quote = connection.ops.quote_name
    counts_sql = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts_sql}")
        row = cursor.fetchone()
    counts = {model._meta.label_lower: int(count) for model, count in zip(models, row, strict=True)}
    counts["mail.outbox"] = len(getattr(mail, "outbox", []))
    return counts
