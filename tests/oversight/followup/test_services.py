"""Task follow-up, service by service: assigning (deadline kinds across a holiday), progress,
done, cancel, edit, repeat, extensions — each refusal with its Vietnamese message and
nothing changed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core.models import AuditEvent, Notification
from caicach.oversight.followup.queries import compute_deadline, period_end, remaining_words
from caicach.oversight.followup.services import (
    extension_approve,
    extension_refuse,
    extension_request,
    task_cancel,
    task_complete,
    task_create,
    task_repeat,
    task_report_progress,
    task_update,
    tasks_from_conclusion,
)
from caicach.oversight.models import (
    DeadlineKind,
    Extension,
    ExtensionStatus,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)
from tests.conftest import Org, People, on_day
from tests.oversight.factories import (
    DEADLINE,
    SOURCE_DATE,
    add_point,
    assign_task,
    chairman,
    make_meeting,
    task_data,
)
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

DURING = datetime.date(2024, 5, 20)  # a Monday before the deadline
AFTER = datetime.date(2024, 7, 1)  # a Monday after it


def state(task: Task) -> Any:
    task.refresh_from_db()
    return (
        task.status,
        task.deadline,
        task.original_deadline,
        task.progress_percent,
        task.version,
        TaskProgress.objects.count(),
        list(Extension.objects.values_list("status", "new_deadline")),
        Task.objects.count(),
    )


def refused(call: Any, task: Task, message: str) -> None:
    """A ValidationError whose messages hold ``message``, nothing changed."""
    before = state(task), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        call()
    assert any(message in text for text in caught.value.messages), caught.value.messages
    assert (state(task), AuditEvent.objects.count()) == before


# --- Deadlines ---------------------------------------------------------------------------------


def test_working_days_deadline_skips_the_30_april_holidays() -> None:
    # Friday 26/4/2024: Mon 29 (1), Tue 30/4 and Wed 1/5 are holidays, Thu 2 (2), Fri 3 (3).
    assert compute_deadline(DeadlineKind.WORKING_DAYS, datetime.date(2024, 4, 26), working_days=3) == (
        datetime.date(2024, 5, 3)
    )


def test_working_days_deadline_across_tet_2026(org: Org, people: People) -> None:
    # Tết Bính Ngọ: 17/2/2026; the days around it are off, so 5 working days from Friday 13/2
    # end well after the 5 calendar-weekdays.
    deadline = compute_deadline(DeadlineKind.WORKING_DAYS, datetime.date(2026, 2, 13), working_days=5)
    assert deadline is not None and deadline > datetime.date(2026, 2, 20)
    with on_day(datetime.date(2026, 2, 13)):
        task = task_create(
            actor=people.office_officer,
            committee=org.province,
            data=task_data(
                org,
                people,
                source_date=datetime.date(2026, 2, 13),
                deadline_kind=DeadlineKind.WORKING_DAYS,
                deadline_working_days=5,
                deadline=None,
            ),
        )
    assert task.deadline == task.original_deadline == deadline
    assert task.deadline_working_days == 5


def test_recurring_deadlines_end_of_period() -> None:
    # Monthly: the last working day of the source month (31/5/2024 is a Friday).
    assert period_end(DeadlineKind.MONTHLY, datetime.date(2024, 5, 6)) == datetime.date(2024, 5, 31)
    # 30/6/2024 is a Sunday: the month's last working day is Friday 28; a source dated the
    # 29th is past it, so July's.
    assert period_end(DeadlineKind.MONTHLY, datetime.date(2024, 6, 29)) == datetime.date(2024, 7, 31)
    assert period_end(DeadlineKind.QUARTERLY, datetime.date(2024, 4, 2)) == datetime.date(2024, 6, 28)


def test_remaining_words() -> None:
    friday = datetime.date(2024, 6, 28)
    assert remaining_words(friday, datetime.date(2024, 6, 24)) == "còn 4 ngày làm việc"
    assert remaining_words(friday, friday) == "đến hạn hôm nay"
    assert remaining_words(friday, datetime.date(2024, 7, 2)) == "quá hạn 2 ngày làm việc"


# --- Assigning ---------------------------------------------------------------------------------


def test_create_assigns_and_tells_the_lead_unit(org: Org, people: People) -> None:
    task = assign_task(org, people)
    assert task.status == TaskStatus.ASSIGNED
    assert task.deadline == task.original_deadline == DEADLINE
    assert list(task.coordinating_units.all()) == [org.home_affairs]
    assert AuditEvent.objects.filter(action="task.create", object_id=str(task.pk)).exists()
    assert Notification.objects.filter(recipient=people.unit_head).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"content": "  "}, "content", "Vui lòng nhập nội dung nhiệm vụ."),
        ({"source_reference": ""}, "source_reference", "Vui lòng nhập số, ký hiệu văn bản"),
        ({"lead_unit": None}, "lead_unit", "đúng một cơ quan chủ trì"),
        ({"coordinating_units": ["LEAD"]}, "coordinating_units", "không đồng thời là cơ quan phối hợp"),
        ({"assigned_by": "MEMBER"}, "assigned_by", "Chủ tịch hoặc Phó Chủ tịch"),
        ({"deadline": datetime.date(2024, 3, 1)}, "deadline", "không được trước ngày văn bản"),
        (
            {"deadline_kind": "working_days", "deadline_working_days": None},
            "deadline_working_days",
            "1 đến 365",
        ),
        ({"lead_unit": "OUTSIDE"}, "lead_unit", "thuộc UBND đã chọn"),
    ],
)
def test_create_refusals(
    org: Org, people: People, overrides: dict[str, Any], field: str, message: str
) -> None:
    replace = {"LEAD": org.science, "MEMBER": people.committee_member, "OUTSIDE": org.district_home_affairs}
    for key, value in list(overrides.items()):
        if isinstance(value, list):
            overrides[key] = [replace.get(v, v) for v in value]
        elif isinstance(value, str) and value in replace:
            overrides[key] = replace[value]
    if field == "lead_unit" and overrides.get("lead_unit") == org.district_home_affairs:
        # A district division is under the province but another committee's; still under
        # the province tree, so pick a unit of no committee of ours instead.
        from tests.core.factories import make_unit

        overrides["lead_unit"] = make_unit("NGOAI", name="Đơn vị ngoài")
    with on_day(SOURCE_DATE), pytest.raises(ValidationError) as caught:
        task_create(
            actor=people.office_officer, committee=org.province, data=task_data(org, people, **overrides)
        )
    assert field in caught.value.message_dict
    assert any(message in text for text in caught.value.message_dict[field])
    assert Task.objects.count() == 0


def test_only_the_office_assigns(org: Org, people: People) -> None:
    for actor in (people.unit_head, people.leader, people.outsider):
        with on_day(SOURCE_DATE):
            assert_refused(
                lambda actor=actor: task_create(  # type: ignore[misc]
                    actor=actor, committee=org.province, data=task_data(org, people)
                ),
                lambda: Task.objects.count(),
            )


def test_from_conclusion_creates_checked_points(org: Org, people: People) -> None:
    meeting = make_meeting(org, people)
    first = add_point(meeting, "Sở KH&CN hoàn thiện đề án", lead_unit=org.science, coordinating=[org.office])
    second = add_point(
        meeting, "Sở Nội vụ rà soát", lead_unit=org.home_affairs, deadline=datetime.date(2024, 5, 31)
    )
    with on_day(SOURCE_DATE):
        tasks = tasks_from_conclusion(
            actor=people.office_officer, meeting=meeting, points=[first, second], default_deadline=DEADLINE
        )
    assert [t.deadline for t in tasks] == [DEADLINE, datetime.date(2024, 5, 31)]
    assert all(t.source == TaskSource.CONCLUSION and t.assigned_by == chairman(org) for t in tasks)
    assert tasks[0].conclusion_point == first
    assert list(tasks[0].coordinating_units.all()) == [org.office]
    # Twice: refused, nothing more.
    with on_day(SOURCE_DATE), pytest.raises(ValidationError) as caught:
        tasks_from_conclusion(
            actor=people.office_officer, meeting=meeting, points=[first], default_deadline=None
        )
    assert "đã được giao thành nhiệm vụ" in " ".join(caught.value.messages)
    assert Task.objects.count() == 2


def test_from_conclusion_without_a_deadline_is_refused_whole(org: Org, people: People) -> None:
    meeting = make_meeting(org, people)
    dated = add_point(meeting, "Có thời hạn", lead_unit=org.science, deadline=DEADLINE)
    undated = add_point(meeting, "Không thời hạn", lead_unit=org.home_affairs)
    with on_day(SOURCE_DATE), pytest.raises(ValidationError) as caught:
        tasks_from_conclusion(
            actor=people.office_officer, meeting=meeting, points=[dated, undated], default_deadline=None
        )
    assert "chưa có thời hạn" in caught.value.messages[0]
    assert Task.objects.count() == 0


# --- The lead unit's reports ------------------------------------------------------------------


def test_progress_then_done(org: Org, people: People) -> None:
    task = assign_task(org, people)
    with on_day(DURING):
        task_report_progress(actor=people.unit_staff, task=task, percent=60, note="Đã có dự thảo", version=1)
        task.refresh_from_db()
        assert (task.status, task.progress_percent) == (TaskStatus.IN_PROGRESS, 60)
        # Down is allowed; 100 % does not close.
        task_report_progress(actor=people.unit_staff, task=task, percent=100, note="Xong dự thảo", version=2)
        task.refresh_from_db()
        assert task.status == TaskStatus.IN_PROGRESS
        task_complete(
            actor=people.unit_head, task=task, done_on=DURING, result_reference="12/KH-SKHCN", version=3
        )
    task.refresh_from_db()
    assert (task.status, task.done_on, task.result_reference) == (TaskStatus.DONE, DURING, "12/KH-SKHCN")


def test_progress_refusals(org: Org, people: People) -> None:
    task = assign_task(org, people)
    with on_day(DURING):
        refused(
            lambda: task_report_progress(actor=people.unit_staff, task=task, percent=10, note=" ", version=1),
            task,
            "Vui lòng nêu kết quả thực hiện.",
        )
        refused(
            lambda: task_report_progress(
                actor=people.unit_staff, task=task, percent=150, note="x", version=1
            ),
            task,
            "Tiến độ phải từ 0 đến 100%.",
        )
        refused(
            lambda: task_report_progress(actor=people.unit_staff, task=task, percent=10, note="x", version=9),
            task,
            "người khác thay đổi",
        )
        for actor in (people.office_officer, people.leader, people.reform_officer, people.outsider):
            assert_refused(
                lambda actor=actor: task_report_progress(  # type: ignore[misc]
                    actor=actor, task=task, percent=10, note="x", version=1
                ),
                lambda: state(task),
            )


def test_done_refusals(org: Org, people: People) -> None:
    task = assign_task(org, people)
    with on_day(DURING):
        refused(
            lambda: task_complete(
                actor=people.unit_head,
                task=task,
                done_on=DURING + datetime.timedelta(days=1),
                result_reference="1/KH",
                version=1,
            ),
            task,
            "không được sau ngày hôm nay",
        )
        refused(
            lambda: task_complete(
                actor=people.unit_head, task=task, done_on=DURING, result_reference="", version=1
            ),
            task,
            "Vui lòng nhập văn bản kết quả hoặc đính kèm tệp kết quả.",
        )
        refused(
            lambda: task_complete(
                actor=people.unit_head,
                task=task,
                done_on=datetime.date(2024, 1, 2),
                result_reference="1/KH",
                version=1,
            ),
            task,
            "không được trước ngày giao",
        )


def test_cancel_by_assigner_or_office(org: Org, people: People) -> None:
    task = assign_task(org, people)
    refused(lambda: task_cancel(actor=people.leader, task=task, reason=" ", version=1), task, "lý do hủy")
    assert_refused(
        lambda: task_cancel(actor=people.unit_head, task=task, reason="Không cần", version=1),
        lambda: state(task),
    )
    other = assign_task(org, people, assigned_by=chairman(org))
    assert_refused(
        lambda: task_cancel(actor=people.leader, task=other, reason="Không cần", version=1),
        lambda: state(other),
    )
    task_cancel(actor=people.leader, task=task, reason="Không còn phù hợp", version=1)
    task_cancel(actor=people.office_officer, task=other, reason="Trùng nhiệm vụ", version=1)
    task.refresh_from_db()
    assert (task.status, task.cancelled_by) == (TaskStatus.CANCELLED, people.leader)
    # Closed: nothing more.
    assert_refused(
        lambda: task_report_progress(actor=people.unit_head, task=task, percent=1, note="x", version=2),
        lambda: state(task),
    )


def test_edit_by_the_office_while_open(org: Org, people: People) -> None:
    task = assign_task(org, people)
    data = task_data(
        org, people, content="Nội dung đã sửa", lead_unit=org.home_affairs, coordinating_units=[]
    )
    with on_day(DURING):
        task_update(actor=people.office_officer, task=task, data=data, version=1)
        task.refresh_from_db()
        assert (task.content, task.lead_unit, task.deadline) == (
            "Nội dung đã sửa",
            org.home_affairs,
            DEADLINE,
        )
        assert_refused(
            lambda: task_update(actor=people.leader, task=task, data=data, version=2), lambda: state(task)
        )
        refused(
            lambda: task_update(
                actor=people.office_officer, task=task, data={**data, "content": ""}, version=2
            ),
            task,
            "Vui lòng nhập nội dung nhiệm vụ.",
        )


def test_repeat_a_monthly_task(org: Org, people: People) -> None:
    task = assign_task(org, people, deadline_kind=DeadlineKind.MONTHLY, deadline=None)
    assert task.deadline == datetime.date(2024, 3, 29)
    with on_day(datetime.date(2024, 3, 28)):
        assert_refused(
            lambda: task_repeat(actor=people.office_officer, task=task, version=1), lambda: state(task)
        )
        task_complete(
            actor=people.unit_head,
            task=task,
            done_on=datetime.date(2024, 3, 28),
            result_reference="BC",
            version=1,
        )
        following = task_repeat(actor=people.office_officer, task=task, version=2)
        # April: 30/4 is a holiday, so the last working day is Monday 29.
        assert following.deadline == following.original_deadline == datetime.date(2024, 4, 29)
        refused(lambda: task_repeat(actor=people.office_officer, task=task, version=2), task, "kỳ tiếp theo")


# --- Extensions --------------------------------------------------------------------------------


def ask(task: Task, people: People, proposed: datetime.date = datetime.date(2024, 7, 31)) -> Extension:
    with on_day(DURING):
        return extension_request(
            actor=people.unit_head,
            task=task,
            reason="Chờ ý kiến Bộ",
            proposed_deadline=proposed,
            version=task.version,
        )


def test_extension_approved_moves_the_deadline_not_the_original(org: Org, people: People) -> None:
    task = assign_task(org, people)
    extension = ask(task, people)
    assert Notification.objects.filter(recipient=people.leader).exists()
    with on_day(DURING):
        extension_approve(
            actor=people.leader,
            extension=extension,
            new_deadline=datetime.date(2024, 7, 15),
            note="",
            version=1,
        )
    task.refresh_from_db()
    extension.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (datetime.date(2024, 7, 15), DEADLINE)
    assert (extension.status, extension.decided_by) == (ExtensionStatus.APPROVED, people.leader)
    assert Notification.objects.filter(recipient=people.unit_head, title__startswith="Kết quả").exists()
    event = AuditEvent.objects.get(action="extension.approve")
    assert event.changes["on_delegation"] == [None, False]


def test_extension_refused_by_the_office_on_delegation(org: Org, people: People) -> None:
    task = assign_task(org, people)
    extension = ask(task, people)
    refused(
        lambda: extension_refuse(actor=people.office_officer, extension=extension, note=" ", version=1),
        task,
        "lý do không đồng ý",
    )
    extension_refuse(actor=people.office_officer, extension=extension, note="Không có căn cứ", version=1)
    task.refresh_from_db()
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by, task.deadline) == (
        ExtensionStatus.REFUSED,
        people.office_officer,
        DEADLINE,
    )
    assert AuditEvent.objects.get(action="extension.refuse").changes["on_delegation"] == [None, True]


def test_extension_request_refusals(org: Org, people: People) -> None:
    task = assign_task(org, people)

    def request(proposed: datetime.date, day: datetime.date = DURING, version: int = 1) -> Any:
        def call() -> Any:
            with on_day(day):
                return extension_request(
                    actor=people.unit_head,
                    task=task,
                    reason="Lý do",
                    proposed_deadline=proposed,
                    version=version,
                )

        return call

    refused(request(datetime.date(2024, 7, 31), day=AFTER), task, "không thể đề nghị gia hạn sau thời hạn")
    refused(request(DEADLINE), task, "phải sau thời hạn hiện tại")
    refused(request(datetime.date(2024, 7, 27)), task, "phải là ngày làm việc")  # a Saturday
    ask(task, people)
    refused(request(datetime.date(2024, 8, 30), version=2), task, "đang chờ quyết định")
    assert_refused(
        lambda: extension_request(
            actor=people.office_officer,
            task=task,
            reason="x",
            proposed_deadline=datetime.date(2024, 8, 30),
            version=2,
        ),
        lambda: state(task),
    )


def test_extension_decision_refusals(org: Org, people: People) -> None:
    task = assign_task(org, people)
    extension = ask(task, people)
    other_leader = chairman(org)
    for actor in (other_leader, people.unit_head, people.outsider):
        assert_refused(
            lambda actor=actor: extension_approve(  # type: ignore[misc]
                actor=actor, extension=extension, new_deadline=datetime.date(2024, 7, 31), note="", version=1
            ),
            lambda: state(task),
        )
    with on_day(DURING):
        refused(
            lambda: extension_approve(
                actor=people.leader, extension=extension, new_deadline=DEADLINE, note="", version=1
            ),
            task,
            "Thời hạn mới phải sau thời hạn hiện tại",
        )
        refused(
            lambda: extension_approve(
                actor=people.leader,
                extension=extension,
                new_deadline=datetime.date(2024, 7, 27),
                note="",
                version=1,
            ),
            task,
            "Thời hạn mới phải là ngày làm việc",
        )
        extension_approve(
            actor=people.leader,
            extension=extension,
            new_deadline=datetime.date(2024, 7, 31),
            note="",
            version=1,
        )
        # Decided already: no second decision.
        with pytest.raises(PermissionDenied):
            extension_refuse(actor=people.leader, extension=extension, note="Đổi ý", version=2)


def test_done_closes_a_pending_extension(org: Org, people: People) -> None:
    task = assign_task(org, people)
    extension = ask(task, people)
    with on_day(DURING):
        task_complete(actor=people.unit_head, task=task, done_on=DURING, result_reference="1/KH", version=2)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
