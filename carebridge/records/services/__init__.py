"""Every write of the record store: storing imported resources (`store`), the results
workflow (`results`) and the clinician's comments on results (`comments`). The names callers
need are here."""

from carebridge.records.services.comments import (
    add_quick_comment,
    change_quick_comment,
    clean_comment,
    move_quick_comment,
    release_with_comment,
    remove_quick_comment,
)
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
    "add_quick_comment",
    "canonical_hash",
    "change_quick_comment",
    "clean_comment",
    "display_from_reference",
    "is_new_result",
    "mark_seen",
    "move_quick_comment",
    "notify_new_results",
    "release_results",
    "release_with_comment",
    "remove_quick_comment",
    "set_held_result_categories",
    "store_resources",
]
