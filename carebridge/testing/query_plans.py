"""PostgreSQL's plan of every query a page runs, and the sequential scans in it.

`sequential_scans(queries)` asks PostgreSQL to plan each captured statement with
`EXPLAIN (FORMAT JSON)` and sequential scans switched off (`SET LOCAL enable_seqscan = off`):
the planner then reads a table from end to end only when no index can answer the query, so even
on a test's tiny tables a "Seq Scan" node means a missing index, not a cheap choice. With
sequential scans off the planner may instead walk a whole index with no condition on it (the
primary key's, say, filtering every row): that reads the whole table too, and counts the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

# Statements that have a plan; SAVEPOINT, RELEASE, SET and the like do not.
PLANNED = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
INDEX_SCANS = ("Index Scan", "Index Only Scan")


@dataclass(frozen=True)
class SeqScan:
    """A table read from end to end by one of a page's queries."""

    table: str
    sql: str


def is_planned(sql: str) -> bool:
    return sql.lstrip().upper().startswith(PLANNED)


def scanned_tables(plan: dict[str, Any]) -> Iterator[str]:
    """The tables a plan (a node of `EXPLAIN (FORMAT JSON)`) reads whole, at any depth: a
    sequential scan, or an index walked from end to end without a condition."""
    kind = plan.get("Node Type")
    if kind == "Seq Scan" or (kind in INDEX_SCANS and "Index Cond" not in plan):
        yield plan["Relation Name"]
    for child in plan.get("Plans", ()):
        yield from scanned_tables(child)


def index_lookups(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Each index a plan reads, at any depth, with its condition ("" for none)."""
    if "Index Name" in plan:
        yield plan["Index Name"], plan.get("Index Cond", "")
    for child in plan.get("Plans", ()):
        yield from index_lookups(child)


def explain(sql: str) -> dict[str, Any]:
    """The top node of PostgreSQL's plan for `sql` (a statement with its values bound)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (document,) = cursor.fetchone()
    plans = json.loads(document) if isinstance(document, str) else document
    top: dict[str, Any] = plans[0]["Plan"]
    return top


def planned_without_sequential_scans(sql: str) -> dict[str, Any]:
    """The plan of `sql` with sequential scans off (in a savepoint rolled back afterwards)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = explain(sql)
        transaction.set_rollback(True)
    return plan


def sequential_scans(statements: Iterable[str]) -> list[SeqScan]:
    """Every sequential scan in the plans of `statements`, planned with sequential scans off.

    Runs in a savepoint that is rolled back, so the setting ends with it."""
    found: list[SeqScan] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in dict.fromkeys(statements):
            if is_planned(sql):
                found += [SeqScan(table, sql) for table in scanned_tables(explain(sql))]
        transaction.set_rollback(True)
    return found
