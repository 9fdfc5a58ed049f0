"""Charges, statements and insurance from the clinic's FHIR billing resources.

`import_billing` is called by the record store (`records.services.store.store_resources`),
in its transaction, with a patient's newly stored or changed `Claim`, `ExplanationOfBenefit`,
`Invoice`, `ChargeItem` and `Coverage` rows. The mapping rules are in `docs/fhir-mapping.md`.
"""

from carebridge.billing.fhir.importing import BILLING_TYPES, NotBilled, import_billing

__all__ = ["BILLING_TYPES", "NotBilled", "import_billing"]
