"""The read counter under concurrent readers (PostgreSQL: SQLite serialises writers): N
distinct readers at once add N; one reader's concurrent requests add one."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from caicach.replication.models import Practice, PracticeRead
from caicach.replication.showcase import services
from tests.conftest import Org
from tests.replication.factories import make_practice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

THREADS = 8


def run_together(work: Callable[[int], object]) -> list[BaseException]:
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def thread(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=thread, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_distinct_readers_each_count(org: Org) -> None:
    practice = make_practice(org, is_published=True)
    errors = run_together(lambda n: services.count_read(practice=practice, reader=f"reader-{n}"))
    assert errors == []
    practice.refresh_from_db()
    assert practice.read_count == THREADS
    assert PracticeRead.objects.filter(practice=practice).count() == THREADS


def test_one_reader_counted_concurrently_counts_once(org: Org) -> None:
    practice = make_practice(org, is_published=True)
    counted: list[bool] = []
    errors = run_together(lambda n: counted.append(services.count_read(practice=practice, reader="same")))
    assert errors == []
    assert counted.count(True) == 1
    assert Practice.objects.get(pk=practice.pk).read_count == 1
