"""The README's production path names only commands that exist, in the order they are run."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

README = Path(__file__).resolve().parent.parent / "README.md"


def _production_section() -> str:
    text = README.read_text()
    return text.split("## Production deployment", 1)[1].split("\n## ", 1)[0]


def test_every_carebridge_command_in_the_production_steps_exists() -> None:
    named = set(re.findall(r"carebridge ([a-z][a-z-]+)", _production_section()))
    # The console script takes hyphens for underscores (`import-fhir` is `import_fhir`).
    missing = sorted(name for name in named if name.replace("-", "_") not in get_commands())
    assert missing == []
    assert {"migrate", "setup", "import-fhir", "invite-patient", "worker"} <= named


def test_the_first_run_steps_come_in_the_order_they_are_run() -> None:
    steps = _production_section().split("### Settings", 1)[0]
    order = [
        "carebridge migrate",
        "carebridge setup",
        "/staff/setup/",
        "import-fhir",
        "invite-patient",
    ]
    positions = [steps.index(words) for words in order]
    assert positions == sorted(positions)
    assert re.findall(r"^(\d)\. \*\*", steps, flags=re.M) == [str(n) for n in range(1, 9)]
