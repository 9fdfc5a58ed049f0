"""Every resource type FHIR R4 (4.0.1) defines: anything else is not a FHIR R4 resource.

The list comes from the R4 definitions the importer checks structure against (`structure`).
"""

from carebridge.records.importing.structure import resource_types

RESOURCE_TYPES = resource_types()
