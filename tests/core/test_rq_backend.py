"""The production task backend: notification emails queued through RQ on Redis and run by
an RQ worker. Skips where the optional RQ packages or a Redis server are missing."""

from __future__ import annotations

from typing import Any

import pytest

from caicach.core.notifications.services import notify
from tests.conftest import People

pytest.importorskip("django_tasks_rq")
redis = pytest.importorskip("redis")

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the test


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis server at 127.0.0.1:6379")


def test_notification_emails_go_through_rq_and_an_rq_worker(
    settings: Any, people: People, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[people.unit_staff], title="Nhắc việc thử qua hàng đợi RQ")
    assert mailoutbox == []  # queued in Redis, not run inline
    assert queue.count == 1

    # The worker must build jobs with the backend's Job class (README: rqworker --job-class).
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    assert [m.to for m in mailoutbox] == [[people.unit_staff.email]]
    assert "Nhắc việc thử qua hàng đợi RQ" in mailoutbox[0].subject
    queue.connection.flushdb()
