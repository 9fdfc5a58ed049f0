"""Keep each staff role's group holding exactly the permissions its role is given.

The clinic's own permissions per role are `ROLE_PERMISSIONS`; the permissions other apps define
for staff (such as giving parents access, in `proxies`) are `OTHER_APP_PERMISSIONS` below.
Data migrations call `sync_role_groups` whenever either changes, so existing deployments follow.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db.models import Q

from carebridge.clinic.models import ROLE_PERMISSIONS, StaffRole

# Permissions other apps define that staff roles hold, as "app_label.codename".
OTHER_APP_PERMISSIONS: dict[str, list[str]] = {
    StaffRole.CLINICIAN: ["scheduling.manage_schedule"],
    StaffRole.NURSE: ["scheduling.manage_schedule"],
    StaffRole.FRONT_DESK: [
        "proxies.grant_proxy_access",
        "scheduling.manage_schedule",
        "billing.review_insurance",
    ],
    StaffRole.BILLING: ["billing.manage_billing"],
    StaffRole.CLINIC_ADMIN: [
        "proxies.grant_proxy_access",
        "scheduling.manage_schedule",
        "billing.manage_billing",
        "billing.review_insurance",
    ],
}


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Each role's permissions as (app label, codename) pairs."""
    roles: dict[str, list[tuple[str, str]]] = {}
    for role, codenames in ROLE_PERMISSIONS.items():
        others = [tuple(name.split(".", 1)) for name in OTHER_APP_PERMISSIONS.get(role, [])]
        roles[role] = [("clinic", codename) for codename in codenames]
        roles[role] += [(label, codename) for label, codename in others]
    return roles


def _create_permissions(apps: Any, app_label: str) -> None:
    """Create an app's permissions now (Django otherwise does it only after `migrate`)."""
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        # Run from an earlier migration, before this app has any model: nothing to give yet.
        return
    # Historical app configs have no models module, without which nothing would be created.
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = models_module


def sync_role_groups(apps: Any, schema_editor: Any = None) -> None:
    roles = role_permissions()
    for app_label in sorted({label for pairs in roles.values() for label, _ in pairs}):
        _create_permissions(apps, app_label)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, pairs in roles.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = Q(pk__in=[])
        for app_label, codename in pairs:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
