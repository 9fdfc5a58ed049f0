"""Create one group per staff role, holding that role's permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from carebridge.clinic.models import ROLE_PERMISSIONS


def create_role_groups(apps, schema_editor):
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


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[str(role) for role in ROLE_PERMISSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
