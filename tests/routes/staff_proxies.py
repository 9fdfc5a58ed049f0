"""Authorisation-matrix rows for staff proxies pages (being built)."""

from __future__ import annotations

from carebridge.testing.matrix import Route

ROUTES: list[Route] = []
