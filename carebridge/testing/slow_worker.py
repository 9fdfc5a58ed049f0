"""`python -m carebridge.testing.slow_worker [worker options]`: `carebridge worker` whose imports
wait at a barrier while storing the file whose name starts with "2-", for the tests that kill or
stop a worker in the middle of an import.

The barrier is the folder named by CAREBRIDGE_TEST_BARRIER: the worker creates `reached` in it
when it gets to that file, then waits until `release` exists there or it is asked to stop.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any


def _slow_down_file_two(barrier: Path) -> None:
    from carebridge.records.importing import pipeline
    from carebridge.worker import shutdown

    real = pipeline.store_group

    def waiting(**arguments: Any) -> Any:
        # Inside the group's transaction: a kill here leaves nothing of file 2 behind.
        if arguments["resources"][0][0].startswith("2-"):
            (barrier / "reached").touch()
            while not (barrier / "release").exists() and not shutdown.is_stopping():
                time.sleep(0.02)
        return real(**arguments)

    pipeline.store_group = waiting


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    import django
    from django.core.management import call_command

    django.setup()
    _slow_down_file_two(Path(os.environ["CAREBRIDGE_TEST_BARRIER"]))
    call_command("worker", *sys.argv[1:])


if __name__ == "__main__":
    main()
