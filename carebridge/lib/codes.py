"""Human-friendly secret codes: no letters that look alike (0/O, 1/I/L), grouped by four."""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def new_code(groups: int = 3) -> str:
    """A random code such as `K7QX-M2RD-9TWH` (about 59 bits for three groups)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(groups))


def normalise_code(text: str) -> str:
    """Upper-case and drop spaces and dashes, so `k7qx m2rd 9twh` matches `K7QX-M2RD-9TWH`."""
    return _NOT_CODE.sub("", text.upper())
