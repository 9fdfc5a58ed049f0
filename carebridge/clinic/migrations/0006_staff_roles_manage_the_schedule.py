"""Front desk staff, nurses, clinicians and clinic administrators see and manage the schedule."""

from django.db import migrations

from carebridge.clinic.role_groups import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0005_front_desk_and_admins_grant_proxy_access"),
        ("scheduling", "0004_add_manage_schedule_permission"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
