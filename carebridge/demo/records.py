"""The demo patients' health records: generated as FHIR bundles, imported like an EHR export.

The records go through the real importer (`records.importing`), so the demo exercises the same
path as a clinic's own data. Each run replaces the demo patients' records: the generator dates
everything relative to today, so yesterday's record would otherwise linger beside today's.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from carebridge.clinic.models import Clinic
from carebridge.demo.clinical import PractitionerRef, generate_record_bundle
from carebridge.demo.generator import PatientSpec
from carebridge.patients.models import Patient
from carebridge.records.identifiers import mrn_system
from carebridge.records.importing.pipeline import import_files
from carebridge.records.importing.readers import SourceFile
from carebridge.records.importing.summary import ImportSummary
from carebridge.records.models import ClinicalResource


def load_demo_records(
    clinic: Clinic,
    specs: Sequence[PatientSpec],
    practitioners: Sequence[PractitionerRef],
    today: datetime.date,
) -> ImportSummary:
    """Replace the demo patients' records with freshly generated ones; return the summary.

    Demo only (the demo command refuses production mode): removing clinical rows is never
    done to a real record. Audit: the importer records one "import" event per patient.
    """
    demo_patients = Patient.objects.filter(clinic=clinic, mrn__in=[spec.mrn for spec in specs])
    ClinicalResource.objects.filter(clinic=clinic, patient__in=demo_patients).delete()
    with tempfile.TemporaryDirectory(prefix="carebridge-demo-") as folder:
        files = [_write_bundle(Path(folder), spec, clinic, practitioners, today) for spec in specs]
        # The demo's people are synthetic: no "something new" e-mails for them.
        return import_files(clinic=clinic, files=files, notify_patients=False)


def _write_bundle(
    folder: Path,
    spec: PatientSpec,
    clinic: Clinic,
    practitioners: Sequence[PractitionerRef],
    today: datetime.date,
) -> SourceFile:
    bundle = generate_record_bundle(
        spec,
        mrn_system=mrn_system(clinic),
        practitioners=practitioners,
        today=today,
        clinic_name=clinic.name,
    )
    path = folder / f"{spec.mrn}.json"
    path.write_text(json.dumps(bundle))
    return SourceFile(path=path, name=f"demo/{spec.mrn}.json")
