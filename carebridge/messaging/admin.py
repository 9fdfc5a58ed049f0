"""Set-up of care teams in Django admin: the clinic's inboxes, the clinicians patients see in
each and the staff who answer it. Conversations, messages and requests are health information
and are not in the admin: they are read and answered through the staff inbox, which audits."""

from __future__ import annotations

from django.contrib import admin

from carebridge.messaging.models import CareTeam


@admin.register(CareTeam)
class CareTeamAdmin(admin.ModelAdmin[CareTeam]):
    list_display = ["name", "clinic", "is_active"]
    list_filter = ["clinic", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["practitioners", "members"]
