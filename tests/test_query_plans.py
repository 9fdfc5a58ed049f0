"""The query-plan helper (`carebridge.testing.query_plans`): it finds a table read whole, names
it with the query, and finds nothing where an index answers; on PostgreSQL only."""

from __future__ import annotations

import pytest
from django.db import connection

from carebridge.records.models import ClinicalResource
from carebridge.testing.query_plans import SeqScan, is_planned, scanned_tables, sequential_scans

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Query plans are PostgreSQL's: SQLite's planner and EXPLAIN differ.",
    ),
]


def sql_of(queryset: object) -> str:
    """The statement as the ORM sends it, with its values bound (as a page's captured query)."""
    compiler = queryset.query.get_compiler(using="default")  # type: ignore[attr-defined]
    sql, params = compiler.as_sql()
    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params)


def test_a_filter_no_index_answers_reads_the_table_whole() -> None:
    # No index starts with value_text: every observation would be read to find these.
    sql = sql_of(ClinicalResource.objects.filter(value_text="Positive"))
    assert sequential_scans([sql]) == [SeqScan("records_clinicalresource", sql)]


def test_a_patients_results_are_read_through_an_index() -> None:
    query = ClinicalResource.objects.filter(
        patient_id="5a3c9d1e-0000-4000-8000-000000000001", resource_type="Observation"
    )
    assert sequential_scans([sql_of(query)]) == []


def test_statements_without_a_plan_are_left_out_and_repeats_planned_once() -> None:
    sql = sql_of(ClinicalResource.objects.filter(value_text="Positive"))
    statements = ['SAVEPOINT "s1"', sql, sql, 'RELEASE SAVEPOINT "s1"']
    assert sequential_scans(statements) == [SeqScan("records_clinicalresource", sql)]
    assert [is_planned(statement) for statement in statements] == [False, True, True, False]


def test_sequential_scans_are_switched_back_on_afterwards() -> None:
    sequential_scans(["SELECT 1"])
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


def test_a_whole_index_walked_without_a_condition_counts_and_a_lookup_does_not() -> None:
    walked = {"Node Type": "Index Scan", "Relation Name": "audit_auditevent"}
    looked_up = walked | {"Index Cond": "(patient_id = '…'::uuid)"}
    plan = {
        "Node Type": "Nested Loop",
        "Plans": [looked_up, {"Node Type": "Limit", "Plans": [walked]}],
    }
    assert list(scanned_tables(plan)) == ["audit_auditevent"]
    assert list(scanned_tables(looked_up)) == []
