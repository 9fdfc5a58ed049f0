"""Authorisation-matrix rows for the checkin pages (issue 5)."""

from __future__ import annotations

from carebridge.testing.matrix import Route

ROUTES: list[Route] = []
