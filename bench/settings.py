"""Settings for benchmark runs: Carebridge's own, plus the baseline page's URL and template."""

from carebridge.settings import *  # noqa: F403
from carebridge.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
