"""Hints to PostgreSQL's planner where its search costs more than the query it plans.

A page reading one object by its key joins the object's related rows (``select_related``): an
adjustment request its program, units, item, reason, people and documents, fourteen tables.
PostgreSQL searches the orders it could join them in before it runs the statement, and that
search took 13 ms where running the chosen plan took 0.3 ms. One row by key, each join a key
lookup: the order the statement is written in is as good as any, so the search is skipped."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection


@contextmanager
def joins_as_written() -> Iterator[None]:
    """Inside the block, PostgreSQL joins tables in the order the statements write them
    (``join_collapse_limit = 1``); the setting is restored after it. Only for statements
    that start from a few rows found by key. Other databases: nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    _setting("SET join_collapse_limit = 1")
    try:
        yield
    finally:
        try:
            _setting("RESET join_collapse_limit")
        except DatabaseError:
            # A statement failed inside a transaction, which is aborted: its rollback undoes
            # the SET too (the SET was made in it). Outside one, the error is the connection's.
            if not connection.in_atomic_block:
                raise


def _setting(statement: str) -> None:
    """A session setting, sent on the driver's own cursor: not a read of data, so it stays
    out of the query log and the tests' query counts (which bound the reads per page)."""
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        cursor.execute(statement)
