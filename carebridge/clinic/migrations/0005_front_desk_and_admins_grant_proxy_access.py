"""Front desk staff and clinic administrators give and end parents' and guardians' access."""

from django.db import migrations

from carebridge.clinic.role_groups import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_proxy_age_settings"),
        ("proxies", "0002_grant_proxy_access_permission"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
