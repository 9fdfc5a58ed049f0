"""Create one group per staff role, holding that role's permissions."""

from django.db import migrations

from carebridge.clinic.models import ROLE_PERMISSIONS
from carebridge.clinic.role_groups import sync_role_groups


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[str(role) for role in ROLE_PERMISSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_role_groups, remove_role_groups)]
