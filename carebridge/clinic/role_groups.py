"""Keep each staff role's group holding exactly the permissions `ROLE_PERMISSIONS` names.

Data migrations call this whenever the permissions change, so existing deployments follow.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions

from carebridge.clinic.models import ROLE_PERMISSIONS


def sync_role_groups(apps: Any, schema_editor: Any = None) -> None:
    clinic_config = apps.get_app_config("clinic")
    clinic_config.models_module = True
    create_permissions(clinic_config, apps=apps, verbosity=0)
    clinic_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="clinic", codename__in=codenames)
        )
