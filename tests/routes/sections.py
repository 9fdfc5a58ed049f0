"""Authorisation-matrix rows for this area (the matrix test collects them)."""

from __future__ import annotations

from carebridge.testing.matrix import Route

ROUTES: list[Route] = []
