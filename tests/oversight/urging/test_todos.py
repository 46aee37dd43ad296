"""The home page's "Nhiệm vụ của đơn vị": the unit's open tasks, overdue first, each with its
deadline in working days; nothing (no query) for those without a unit role; one query."""

from __future__ import annotations

import datetime

import pytest

from caicach.core import choices, todos
from caicach.oversight.models import Task, TaskStatus
from caicach.oversight.urging.queries import unit_tasks
from tests.conftest import Org, People, on_day
from tests.oversight.urging.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)  # a Monday


def test_the_units_open_tasks_overdue_first_in_working_days(org: Org, people: People) -> None:
    soon = make_task(org, people, deadline=datetime.date(2026, 3, 20), content="Sắp đến hạn")
    late = make_task(org, people, deadline=datetime.date(2026, 3, 9), content="Quá hạn")
    make_task(org, people, deadline=datetime.date(2026, 3, 1), status=TaskStatus.DONE, done_on=TODAY)
    make_task(org, people, deadline=datetime.date(2026, 3, 1), lead_unit=org.home_affairs)
    with on_day(TODAY):
        entry = unit_tasks(people.unit_staff, 5)
    assert entry is not None
    assert (entry.count, entry.late_count) == (2, 1)
    assert [item.label for item in entry.items] == ["Quá hạn", "Sắp đến hạn"]
    assert entry.items[0].late and not entry.items[1].late
    assert "quá hạn 5 ngày làm việc" in entry.items[0].detail
    assert "còn 4 ngày làm việc" in entry.items[1].detail
    assert entry.items[0].url == late.get_absolute_url()
    assert soon.pk != late.pk


def test_no_query_for_those_without_a_unit_role(
    org: Org, people: People, django_assert_num_queries: object
) -> None:
    make_task(org, people, deadline=datetime.date(2026, 3, 9))
    for user in (people.leader, people.office_officer, people.council_member):
        with on_day(TODAY):
            user.refresh_from_db()
            from caicach.core.permissions import principal

            principal(user)
            with django_assert_num_queries(0):  # type: ignore[operator]
                assert unit_tasks(user, 5) is None


def test_two_queries_whatever_the_number_of_tasks(
    org: Org, people: People, django_assert_num_queries: object
) -> None:
    for day in range(2, 12):
        make_task(org, people, deadline=datetime.date(2026, 3, day))
    from caicach.core.permissions import principal

    principal(people.unit_head)
    with on_day(TODAY):
        unit_tasks(people.unit_head, 5)  # the calendar's year is read once per process
    choices.renew(Task._meta.db_table)
    # The count with the first keys, then those tasks with their relations; while the count
    # and keys are kept, only the tasks. The overdue count is the whole result's.
    for queries in (2, 1):
        with on_day(TODAY), django_assert_num_queries(queries):  # type: ignore[operator]
            entry = unit_tasks(people.unit_head, 5)
        assert entry is not None and entry.count == 10 and len(entry.items) == 5
        assert entry.late_count == 10


def test_registered_on_the_home_page(org: Org, people: People) -> None:
    assert "oversight.unit_tasks" in todos.registered()
    make_task(org, people, deadline=datetime.date(2026, 3, 9))
    with on_day(TODAY):
        keys = [entry.key for entry in todos.todos_for(people.unit_head)]
    assert "oversight.unit_tasks" in keys
