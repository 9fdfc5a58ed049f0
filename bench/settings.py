"""Settings for benchmark runs: Carebridge's own, plus the bare page's URL and template."""

from carebridge.settings import *  # noqa: F403
from carebridge.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
_DIRS = TEMPLATES[0]["DIRS"]
assert isinstance(_DIRS, list)
TEMPLATES[0]["DIRS"] = [*_DIRS, BASE_DIR / "bench" / "templates"]
