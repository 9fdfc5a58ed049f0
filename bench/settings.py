"""Settings for benchmark runs: Carebridge's own, plus the bare page's URL and template."""

from typing import Any

from carebridge.settings import *  # noqa: F403
from carebridge.settings import BASE_DIR
from carebridge.settings import TEMPLATES as PORTAL_TEMPLATES

ROOT_URLCONF = "bench.urls"
BENCH_TEMPLATES = BASE_DIR / "bench" / "templates"


def with_bench_templates(templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy of `templates` whose first engine also finds bench/templates (the portal's own
    settings are left as they are)."""
    first, *others = templates
    return [{**first, "DIRS": [*first["DIRS"], BENCH_TEMPLATES]}, *others]


TEMPLATES = with_bench_templates(PORTAL_TEMPLATES)
