"""Every write of the record store: storing imported resources (`store`) and the results
workflow (`results`). The names callers need are here."""

from carebridge.records.services.results import (
    RESULT_TYPES,
    is_new_result,
    mark_seen,
    notify_new_results,
    release_results,
    set_held_result_categories,
)
from carebridge.records.services.store import (
    INDEX_FIELDS,
    ResourceConflictError,
    StoreCounts,
    canonical_hash,
    display_from_reference,
    store_resources,
)

__all__ = [
    "INDEX_FIELDS",
    "RESULT_TYPES",
    "ResourceConflictError",
    "StoreCounts",
    "canonical_hash",
    "display_from_reference",
    "is_new_result",
    "mark_seen",
    "notify_new_results",
    "release_results",
    "set_held_result_categories",
    "store_resources",
]
