"""What an import did: counts by resource type, what changed, and the errors with positions.

`created + updated + unchanged + skipped` is the number of resources read (the sum of
`resources`): skipped ones were held for a patient-match review or belonged to a group that
could not be imported. Warnings concern resources that were stored all the same (a reference
to something neither in the files nor stored before).
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
    # Patients held for a patient-match review (their resources are among `skipped`).
    waiting_for_review: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def add_error(self, source: str, position: str, message: str) -> None:
        self.errors.append({"source": source, "position": position, "message": message})

    def add_warning(self, source: str, position: str, message: str) -> None:
        self.warnings.append({"source": source, "position": position, "message": message})

    def add_not_billed(
        self, resources: list[tuple[str, dict[str, Any]]], not_billed: list[tuple[str, str]]
    ) -> None:
        """A billing resource stored but not billed: a warning with its plain reason."""
        sources = {f"{r['resourceType']}/{r['id']}": source for source, r in resources}
        for reference, reason in not_billed:
            self.add_warning(sources.get(reference, ""), reference, reason)

    def add_group_warnings(self, warnings: list[tuple[str, str, str]], *, limit: int) -> None:
        """A group's (source, position, message) warnings, each once, the first `limit` of
        them with their positions, then how many more there were."""
        unique = list(dict.fromkeys(warnings))
        for source, position, message in unique[:limit]:
            self.add_warning(source, position, message)
        more = len(unique) - limit
        if more > 0:
            source, position, _message = unique[0]
            self.add_warning(
                source,
                position,
                ngettext("And %(count)s more warning.", "And %(count)s more warnings.", more)
                % {"count": more},
            )

    def add(self, part: dict[str, Any]) -> None:
        """Add a part's summary (as from `as_part`): how a resumed job sums its finished parts."""
        self.patient_keys.update(part.get("patient_keys", []))
        self.resources.update(part.get("resources", {}))
        self.created += part.get("created", 0)
        self.updated += part.get("updated", 0)
        self.unchanged += part.get("unchanged", 0)
        self.skipped += part.get("skipped", 0)
        self.waiting_for_review += part.get("waiting_for_review", 0)
        self.errors.extend(part.get("errors", []))
        self.warnings.extend(part.get("warnings", []))

    def as_part(self) -> dict[str, Any]:
        """The summary as an import unit keeps it: with its patients' keys, so that a patient
        met in two parts is counted once."""
        return {**self.as_json(), "patient_keys": sorted(self.patient_keys)}

    def as_json(self) -> dict[str, Any]:
        """The summary as the command prints it and the import job keeps it."""
        return {
            "patients": len(self.patient_keys),
            "resources": dict(sorted(self.resources.items())),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "waiting_for_review": self.waiting_for_review,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
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
    waiting = summary.get("waiting_for_review", 0)
    if waiting:
        lines.append(
            ngettext(
                "%(count)s patient waiting for review.",
                "%(count)s patients waiting for review.",
                waiting,
            )
            % {"count": waiting}
        )
    lines += error_lines(summary["errors"])
    lines += warning_lines(summary.get("warnings", []))
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


def warning_lines(warnings: list[dict[str, str]]) -> list[str]:
    if not warnings:
        return []
    heading = ngettext("%(count)s warning:", "%(count)s warnings:", len(warnings)) % {
        "count": len(warnings)
    }
    return [heading] + [
        f"  {warning['source']}, {warning['position']}: {warning['message']}"
        for warning in warnings
    ]
