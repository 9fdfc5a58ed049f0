"""Time and peak memory of accepting one large picture attachment, in a fresh process.

Usage: .venv/bin/python bench/attachment_picture.py [png|jpeg] [width] [height]
The picture is one colour, so it is tiny on disk (the 35 KB 6000 x 6000 case of issue 14).
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
django.setup()

from PIL import Image  # noqa: E402

from carebridge.messaging.attachments import check_attachment  # noqa: E402

MAKE = """
import sys
from PIL import Image
kind, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mode = "L" if kind == "png" else "RGB"
Image.new(mode, (width, height), 128).save(sys.stdout.buffer, format=kind.upper())
"""


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "png"
    width = int(sys.argv[2]) if len(sys.argv) > 2 else 6000
    height = int(sys.argv[3]) if len(sys.argv) > 3 else 6000
    # The picture is made in a child process, so making it does not count in this one's peak.
    made = subprocess.run(
        [sys.executable, "-c", MAKE, kind, str(width), str(height)], capture_output=True, check=True
    )
    data = made.stdout
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    checked = check_attachment(f"big.{kind}", data)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    with Image.open(io.BytesIO(checked.data)) as stored:
        size = stored.size
    print(
        f"{kind} {width}x{height} ({len(data) / 1000:.0f} KB): {seconds:.2f} s, "
        f"peak +{peak / 1024:.0f} MB, "
        f"stored {size[0]}x{size[1]} ({len(checked.data) / 1000:.0f} KB)"
    )


if __name__ == "__main__":
    main()
