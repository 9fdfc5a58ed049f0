"""What an import did: counts by resource type, what changed, and the errors with positions.

`created + updated + unchanged + skipped` is the number of resources read (the sum of
`resources`): skipped ones were held for a patient-match review or belonged to a group that
could not be imported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class ImportSummary:
    patient_keys: set[str] = field(default_factory=set)
    resources: Counter[str] = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def add_error(self, source: str, position: str, message: str) -> None:
        self.errors.append({"source": source, "position": position, "message": message})

    def as_json(self) -> dict[str, Any]:
        """The summary as the command prints it and the import job keeps it."""
        return {
            "patients": len(self.patient_keys),
            "resources": dict(sorted(self.resources.items())),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": list(self.errors),
        }


def readable_lines(summary: dict[str, Any]) -> list[str]:
    """The summary (as from `as_json`) in words, one line each, for the console."""
    total = sum(summary["resources"].values())
    lines = [
        ngettext(
            "%(patients)s patient, %(total)s resources read.",
            "%(patients)s patients, %(total)s resources read.",
            summary["patients"],
        )
        % {"patients": summary["patients"], "total": total}
    ]
    width = max((len(name) for name in summary["resources"]), default=0)
    lines += [f"  {name:<{width}}  {count:>7}" for name, count in summary["resources"].items()]
    lines.append(
        _("Created %(created)s, updated %(updated)s, unchanged %(unchanged)s, skipped %(skipped)s.")
        % summary
    )
    lines += error_lines(summary["errors"])
    return lines


def error_lines(errors: list[dict[str, str]]) -> list[str]:
    if not errors:
        return [_("No errors.")]
    heading = ngettext("%(count)s error:", "%(count)s errors:", len(errors)) % {
        "count": len(errors)
    }
    return [heading] + [
        f"  {error['source']}, {error['position']}: {error['message']}" for error in errors
    ]
