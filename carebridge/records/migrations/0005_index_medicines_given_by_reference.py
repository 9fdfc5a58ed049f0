"""Name the medicine of rows stored before the index followed `medicationReference`.

Only the code columns of medication requests, statements, administrations and dispenses change;
the rows' content and versions do not.
"""

from django.db import migrations
from django.db.models import Q

BATCH = 500
TYPES = (
    "MedicationAdministration",
    "MedicationDispense",
    "MedicationRequest",
    "MedicationStatement",
)


def index_medicines(apps, schema_editor):
    from carebridge.records.indexing.medications import (
        medication_code,
        referenced_medication_ids,
    )

    resources = apps.get_model("records", "ClinicalResource")
    rows = resources.objects.filter(resource_type__in=TYPES).filter(
        Q(resource__has_key="medicationReference")
        | Q(resource_type__in=TYPES[:2])
    )
    batch = []
    for row in rows.only("pk", "clinic_id", "resource").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            _index(resources, batch, medication_code, referenced_medication_ids)
            batch = []
    if batch:
        _index(resources, batch, medication_code, referenced_medication_ids)


def _index(resources, batch, medication_code, referenced_medication_ids):
    wanted = referenced_medication_ids(row.resource for row in batch)
    stored = {
        (clinic_id, f"Medication/{fhir_id}"): resource
        for clinic_id, fhir_id, resource in resources.objects.filter(
            resource_type="Medication", fhir_id__in=wanted
        ).values_list("clinic_id", "fhir_id", "resource")
    }
    for row in batch:
        code = medication_code(row.resource, lambda ref, row=row: stored.get((row.clinic_id, ref)))
        row.code_system = code.get("system", "")
        row.code = code.get("code", "")
        row.code_display = code.get("display", "")
    resources.objects.bulk_update(batch, ["code_system", "code", "code_display"])


class Migration(migrations.Migration):
    dependencies = [("records", "0004_import_units_and_retry")]

    operations = [migrations.RunPython(index_medicines, migrations.RunPython.noop)]
