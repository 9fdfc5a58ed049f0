"""Authorisation-matrix rows for the waitlist pages (issue 5)."""

from __future__ import annotations

from carebridge.testing.matrix import Route

ROUTES: list[Route] = []
