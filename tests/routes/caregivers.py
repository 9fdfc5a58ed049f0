"""Authorisation-matrix rows for caregivers pages (being built)."""

from __future__ import annotations

from carebridge.testing.matrix import Route

ROUTES: list[Route] = []
