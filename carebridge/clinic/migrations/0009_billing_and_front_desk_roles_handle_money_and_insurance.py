"""Billing staff and clinic administrators handle payments; the front desk and administrators
review the insurance patients send."""

from django.db import migrations

from carebridge.clinic.role_groups import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0008_clinic_own_account_from_age"),
        ("billing", "0001_ledger_payments_plans_insurance"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
