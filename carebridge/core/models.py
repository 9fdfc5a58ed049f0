"""The few tables the shared kernel owns."""

from __future__ import annotations

from django.db import models


class AttemptCounter(models.Model):
    """One fixed-window attempt counter (carebridge.lib.ratelimit) when Redis is not configured.

    The key is a digest of the action and its subject (an address, an account, a device), never
    the subject itself. `window_ends` is a Unix time in seconds (UTC) so that the atomic upsert
    compares plain numbers on every database.
    """

    key = models.CharField(max_length=100, primary_key=True)
    count = models.IntegerField()
    window_ends = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
