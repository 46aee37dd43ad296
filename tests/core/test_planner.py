"""``joins_as_written``: PostgreSQL joins in the written order inside the block, and the
setting comes back after it however the block ends; other databases are left alone."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import Http404

from caicach.core.models import Unit
from caicach.core.permissions import get_for_user
from caicach.core.planner import joins_as_written
from tests.conftest import Org, People

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")


def join_collapse_limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return str(cursor.fetchone()[0])


@on_postgresql
def test_the_written_order_holds_inside_the_block_and_the_setting_comes_back_after() -> None:
    default = join_collapse_limit()
    assert default != "1"
    with joins_as_written():
        assert join_collapse_limit() == "1"
    assert join_collapse_limit() == default


@on_postgresql
def test_the_setting_comes_back_when_the_block_raises() -> None:
    default = join_collapse_limit()
    with pytest.raises(Unit.DoesNotExist), joins_as_written():
        Unit.objects.get(pk=-1)
    assert join_collapse_limit() == default


@on_postgresql
def test_a_failed_statement_in_a_transaction_keeps_its_own_error_and_the_rollback_restores() -> None:
    default = join_collapse_limit()
    with (
        pytest.raises(DatabaseError) as raised,
        transaction.atomic(),
        joins_as_written(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT no_such_column FROM core_unit")
    assert "no_such_column" in str(raised.value)  # not the aborted transaction's refusal
    assert join_collapse_limit() == default


def test_get_for_user_reads_the_object_and_refuses_as_before(org: Org, people: People) -> None:
    assert get_for_user(people.admin, Unit.objects.select_related("parent"), org.science.pk) == org.science
    with pytest.raises(Http404):
        get_for_user(people.admin, Unit.objects.all(), -1)
    if connection.vendor == "postgresql":
        assert join_collapse_limit() != "1"
