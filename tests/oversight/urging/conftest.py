"""The task page belongs to the follow-up area (another branch until the merge): links to a
task are stood in for here, so these tests read the urging area's own data and pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from caicach.oversight.models import Task


@pytest.fixture(autouse=True)
def _task_links(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(Task, "get_absolute_url", lambda self: f"/nhiem-vu/{self.pk}/")
    yield
