"""Authorisation-matrix rows for the staff_schedule pages (issue 5)."""

from __future__ import annotations

from carebridge.testing.matrix import Route

ROUTES: list[Route] = []
