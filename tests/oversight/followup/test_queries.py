"""The list's timeliness reads each task's own committee's "due soon" setting, the same as
the task's page (``timeliness_now``), whatever committees the list mixes."""

from __future__ import annotations

import datetime

import pytest

from caicach.oversight.followup.queries import TaskFilters, task_rows, timeliness_now
from caicach.oversight.models import OversightSettings
from caicach.oversight.timeliness import Timeliness
from tests.conftest import Org, People
from tests.oversight.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 5, 20)  # a Monday
# Seven working days ahead: past the default five, within a committee's ten.
DEADLINE = datetime.date(2024, 5, 29)


@pytest.mark.parametrize(("days", "expected"), [(None, Timeliness.NOT_YET_DUE), (10, Timeliness.DUE_SOON)])
def test_the_list_uses_the_committees_due_soon_setting(
    org: Org, people: People, days: int | None, expected: Timeliness
) -> None:
    task = make_task(org, people, deadline=DEADLINE)
    other = make_task(
        org, people, committee=org.district, lead_unit=org.district_home_affairs, deadline=DEADLINE
    )
    if days is not None:
        OversightSettings.objects.create(unit=org.province, due_soon_working_days=days)
    listed = task_rows(people.admin, TaskFilters(), today=TODAY)
    rows = {row.pk: row.timeliness for row in listed}  # type: ignore[attr-defined]  # an annotation
    assert rows[task.pk] == expected == timeliness_now(task, TODAY)
    # The district kept the default: its task is not "due soon" because the province changed.
    assert rows[other.pk] == Timeliness.NOT_YET_DUE == timeliness_now(other, TODAY)
