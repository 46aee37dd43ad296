import datetime

from caicach.oversight.models import ExtensionStatus, TaskStatus
from tests.conftest import Org, People
from tests.oversight.factories import add_extension, add_point, make_meeting, make_task


def test_factories_build_rows(org: Org, people: People) -> None:
    task = make_task(org, people, coordinating=[org.home_affairs])
    assert task.lead_unit == org.science
    done = make_task(org, people, status=TaskStatus.DONE)
    assert done.done_on == done.deadline
    add_extension(task, people.unit_head, datetime.date(2024, 7, 31), status=ExtensionStatus.APPROVED)
    assert task.deadline == datetime.date(2024, 7, 31)
    assert task.original_deadline == datetime.date(2024, 6, 28)
    meeting = make_meeting(org, people)
    point = add_point(meeting, "Giao Sở KH&CN", lead_unit=org.science)
    assert point.position == 1
