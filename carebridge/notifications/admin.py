"""The outbox in Django admin, read-only, for the deployment's own administrators: notices the
portal could not attribute to a clinic appear only here. Notices are written by services and
changed by the delivery; the body (it may hold a sign-in or reset link) is never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from carebridge.notifications.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ["kind", "status", "attempts", "created_at", "sent_at", "last_error", "clinic"]
    list_filter = ["status", "kind"]
    exclude = ["body"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
