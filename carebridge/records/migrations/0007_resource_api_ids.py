"""Each resource's id in the FHIR API (`api_id`), filled for the rows already stored."""

import uuid
from typing import Any

from django.db import migrations, models

BATCH = 1000


def _api_id(clinic_id: Any, resource_type: str, fhir_id: str) -> uuid.UUID:
    # As `records.exports.bundle_links.entry_uuid` computes it (copied: a migration must not
    # change when that module does).
    if resource_type == "Patient":
        try:
            return uuid.UUID(fhir_id)
        except ValueError:
            pass
    return uuid.uuid5(uuid.NAMESPACE_URL, f"carebridge:{clinic_id}:{resource_type}/{fhir_id}")


def fill_api_ids(apps: Any, schema_editor: Any) -> None:
    resources = apps.get_model("records", "ClinicalResource")
    last = 0
    while True:
        rows = list(
            resources.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "clinic_id", "resource_type", "fhir_id")[:BATCH]
        )
        if not rows:
            return
        for row in rows:
            row.api_id = _api_id(row.clinic_id, row.resource_type, row.fhir_id)
        resources.objects.bulk_update(rows, ["api_id"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("records", "0006_result_comments_and_quick_comments")]

    operations = [
        migrations.AddField(
            model_name="clinicalresource",
            name="api_id",
            field=models.UUIDField(null=True),
        ),
        migrations.RunPython(fill_api_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="clinicalresource",
            name="api_id",
            field=models.UUIDField(unique=True),
        ),
    ]
