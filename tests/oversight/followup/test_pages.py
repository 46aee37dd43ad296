"""The task pages through the browser's requests: assigning (with the computed deadline shown
first), from a meeting's conclusion, reporting, asking and deciding an extension, the stale
and refused actions shown as messages, the leaders' to-do, and query counts that do not grow
with the rows."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caicach.core.models import User
from caicach.core.todos import todos_for
from caicach.deliberation.models import MeetingDocument
from caicach.oversight.models import Extension, ExtensionStatus, Task, TaskSource
from tests.conftest import Org, People, on_day
from tests.core.factories import take_number
from tests.oversight.factories import (
    add_extension,
    add_point,
    add_progress,
    chairman,
    make_meeting,
    make_task,
)

pytestmark = pytest.mark.django_db

DURING = datetime.date(2024, 5, 20)


def count_queries(client: Client, url: str) -> int:
    with on_day(DURING), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_rows(client: Client, org: Org, people: People) -> None:
    make_task(org, people, coordinating=[org.home_affairs])
    few: dict[str, int] = {}
    for user in (people.office_officer, people.leader, people.unit_staff):
        client.force_login(user)
        count_queries(client, reverse("oversight:task_list"))  # warm: the calendar's year, the session
        few[user.username] = count_queries(client, reverse("oversight:task_list"))
        assert few[user.username] <= 16, (user, few)
    for number in range(12):
        task = make_task(
            org, people, coordinating=[org.home_affairs], deadline=datetime.date(2024, 5, 2 + number)
        )
        add_extension(task, people.unit_head, datetime.date(2024, 7, 31))
    for user in (people.office_officer, people.leader, people.unit_staff):
        client.force_login(user)
        count_queries(client, reverse("oversight:task_list"))  # warm: a new session
        many = count_queries(client, reverse("oversight:task_list"))
        filtered = count_queries(
            client,
            reverse("oversight:task_list") + f"?q=thu+nghiem&lead_unit={org.science.pk}&timeliness=overdue",
        )
        assert many == few[user.username] and filtered <= 16, (user, few, many, filtered)


def test_detail_queries_do_not_grow_with_history(client: Client, org: Org, people: People) -> None:
    task = make_task(org, people, coordinating=[org.home_affairs])
    client.force_login(people.leader)
    add_extension(task, people.unit_head, datetime.date(2024, 7, 31))
    count_queries(client, task.get_absolute_url())  # warm: the calendar's year, the session
    few = count_queries(client, task.get_absolute_url())
    for number in range(10):
        add_progress(task, people.unit_staff, 10 * number, DURING)
    Extension.objects.update(status=ExtensionStatus.REFUSED)
    for _ in range(5):
        add_extension(task, people.unit_head, datetime.date(2024, 8, 30), status=ExtensionStatus.REFUSED)
    add_extension(task, people.unit_head, datetime.date(2024, 8, 30))
    many = count_queries(client, task.get_absolute_url())
    assert many == few and many <= 24, (few, many)
    for user in (people.office_officer, people.unit_staff):
        client.force_login(user)
        assert count_queries(client, task.get_absolute_url()) <= 24


def form_data(org: Org, people: People, **overrides: Any) -> dict[str, Any]:
    data = {
        "committee": org.province.pk,
        "source": TaskSource.DOCUMENT,
        "source_reference": "125/TB-VP",
        "source_date": "26/04/2024",
        "source_title": "Thông báo kết luận",
        "content": "Triển khai số hóa hồ sơ",
        "assigned_by": people.leader.pk,
        "lead_unit": org.science.pk,
        "coordinating_units": [org.home_affairs.pk],
        "deadline_kind": "working_days",
        "deadline_working_days": "3",
        "deadline": "",
        "expected_result_kind": "report",
        "expected_result": "Báo cáo kết quả",
        "monitoring_officer": people.office_officer.pk,
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_shows_the_computed_deadline_then_assigns(client: Client, org: Org, people: People) -> None:
    client.force_login(people.office_officer)
    url = reverse("oversight:task_create")
    with on_day(datetime.date(2024, 4, 26)):
        page = client.get(url)
        token = page.context["form"]["_once"].value() if "_once" in page.context["form"].fields else None
        data = form_data(org, people)
        token_field = next(name for name in page.context["form"].fields if "once" in name or "token" in name)
        data[token_field] = page.context["form"][token_field].value()
        preview = client.post(url, {**data, "preview": "1"})
        assert preview.status_code == 200
        assert "03/05/2024" in preview.content.decode()  # 30/4 and 1/5 are holidays
        assert Task.objects.count() == 0
        created = client.post(url, data)
        assert created.status_code == 302
        again = client.post(url, data)  # the same token: nothing more
        assert again.status_code == 302
    del token
    task = Task.objects.get()
    assert task.deadline == datetime.date(2024, 5, 3)
    assert created["Location"] == task.get_absolute_url()


def test_create_refusal_shows_on_the_form(client: Client, org: Org, people: People) -> None:
    client.force_login(people.office_officer)
    url = reverse("oversight:task_create")
    with on_day(DURING):
        page = client.get(url)
        token_field = next(name for name in page.context["form"].fields if "once" in name or "token" in name)
        data = form_data(org, people, coordinating_units=[org.science.pk])
        data[token_field] = page.context["form"][token_field].value()
        response = client.post(url, data)
    assert response.status_code == 200
    assert "không đồng thời là cơ quan phối hợp" in response.content.decode()
    assert Task.objects.count() == 0


def test_from_a_conclusion_through_the_page(client: Client, org: Org, people: People) -> None:
    meeting = make_meeting(org, people)
    notice = take_number(org.province, datetime.date(2024, 3, 6), document_type="TB")
    MeetingDocument.objects.create(
        meeting=meeting, kind="conclusion", registered_document=notice, issued_on=datetime.date(2024, 3, 6)
    )
    first = add_point(
        meeting, "Sở KH&CN hoàn thiện đề án", lead_unit=org.science, deadline=datetime.date(2024, 6, 28)
    )
    add_point(meeting, "Sở Nội vụ rà soát", lead_unit=org.home_affairs)
    add_point(meeting, "Ghi nhận ý kiến", lead_unit=None)  # no lead unit: not offered
    client.force_login(people.office_officer)
    url = reverse("oversight:conclusion_tasks", args=[meeting.pk])
    with on_day(datetime.date(2024, 3, 7)):
        assert meeting.title in client.get(reverse("oversight:conclusion_meetings")).content.decode()
        page = client.get(url)
        assert len(page.context["points"]) == 2
        token_field = next(name for name in page.context["form"].fields if "once" in name or "token" in name)
        response = client.post(
            url,
            {
                "points": [first.pk],
                "default_deadline": "",
                token_field: page.context["form"][token_field].value(),
            },
        )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.source, task.assigned_by, task.conclusion_point) == (
        TaskSource.CONCLUSION,
        chairman(org),
        first,
    )
    assert task.source_reference == notice.reference and task.source_date == datetime.date(2024, 3, 6)
    detail = client.get(task.get_absolute_url()).content.decode()
    assert "nội dung kết luận số 1" in detail and meeting.title in detail
    client.force_login(people.unit_head)
    assert client.get(url).status_code == 404


def test_unit_reports_asks_and_the_leader_decides(client: Client, org: Org, people: People) -> None:
    task = make_task(org, people)
    client.force_login(people.unit_staff)
    with on_day(DURING):
        client.post(
            reverse("oversight:task_progress", args=[task.pk]),
            {"version": 1, "percent": 40, "note": "Dự thảo"},
        )
        task.refresh_from_db()
        response = client.post(
            reverse("oversight:extension_request", args=[task.pk]),
            {"version": task.version, "proposed_deadline": "31/07/2024", "reason": "Chờ ý kiến Bộ"},
        )
        assert response.status_code == 302
        # A Saturday: the error on the form, nothing written.
        Extension.objects.all().delete()
        task.refresh_from_db()
        response = client.post(
            reverse("oversight:extension_request", args=[task.pk]),
            {"version": task.version, "proposed_deadline": "27/07/2024", "reason": "Chờ ý kiến Bộ"},
        )
        assert response.status_code == 400 and "phải là ngày làm việc" in response.content.decode()
        client.post(
            reverse("oversight:extension_request", args=[task.pk]),
            {"version": task.version, "proposed_deadline": "31/07/2024", "reason": "Chờ ý kiến Bộ"},
        )
    extension = Extension.objects.get()
    # The leader's to-do
    entries = {entry.key: entry for entry in todos_for(people.leader)}
    assert entries["oversight.extensions_to_decide"].count == 1
    assert "oversight.extensions_to_decide" not in {entry.key for entry in todos_for(people.unit_head)}
    client.force_login(people.leader)
    with on_day(DURING):
        response = client.post(
            reverse("oversight:extension_decide", args=[extension.pk]),
            {"version": 1, "decision": "approve", "new_deadline": "15/07/2024", "note": "Đồng ý"},
        )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (datetime.date(2024, 7, 15), datetime.date(2024, 6, 28))
    page = client.get(task.get_absolute_url())
    assert "thời hạn ban đầu: 28/06/2024" in page.content.decode()


def test_asking_after_the_deadline_is_a_message(client: Client, org: Org, people: People) -> None:
    task = make_task(org, people)
    client.force_login(people.unit_head)
    with on_day(datetime.date(2024, 7, 2)):
        page = client.get(task.get_absolute_url())
        assert "extension_form" not in page.context
        assert "không thể đề nghị gia hạn" in page.content.decode()
        response = client.post(
            reverse("oversight:extension_request", args=[task.pk]),
            {"version": 1, "proposed_deadline": "31/07/2024", "reason": "Muộn"},
            follow=True,
        )
    assert "sau thời hạn" in response.content.decode()
    assert not Extension.objects.exists()


def test_a_stale_decision_is_a_message(client: Client, org: Org, people: People) -> None:
    task = make_task(org, people)
    extension = add_extension(task, people.unit_head, datetime.date(2024, 7, 31))
    client.force_login(people.office_officer)
    with on_day(DURING):
        response = client.post(
            reverse("oversight:extension_decide", args=[extension.pk]),
            {"version": 7, "decision": "refuse", "note": "Không"},
            follow=True,
        )
    assert response.status_code == 200
    assert "người khác thay đổi" in response.content.decode()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


def test_the_to_do_costs_nothing_for_those_who_decide_none(
    org: Org, people: People, django_assert_num_queries: Any
) -> None:
    from caicach.oversight.followup.queries import extensions_to_decide

    user: User = people.unit_staff
    from caicach.core.permissions import principal

    principal(user)  # the grants, loaded once per request anyway
    with django_assert_num_queries(0):
        assert extensions_to_decide(user, 5) is None


def test_a_done_task_from_a_conclusion_reads_plainly(client: Client, org: Org, people: People) -> None:
    """No action is left on a done task: the panel says so rather than standing empty; a
    conclusion's source names its meeting once."""
    meeting = make_meeting(org, people, title="Phiên họp thường kỳ tháng 3")
    point = add_point(meeting, "Hoàn thiện dự thảo", lead_unit=org.science)
    task = make_task(
        org,
        people,
        status="done",
        source=TaskSource.CONCLUSION,
        source_title=meeting.title,
        conclusion_point=point,
    )
    client.force_login(people.office_officer)
    with on_day(DURING):
        page = client.get(task.get_absolute_url()).content.decode()
    assert "Nhiệm vụ đã hoàn thành; kết quả ở mục" in page
    assert page.count("Phiên họp thường kỳ tháng 3") == 1


# The rows as the list's template wrote them before ``task_rows``: the reference.
TEMPLATE_ROWS = (Path(__file__).parent / "rows_reference.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_written_in_python_are_the_templates_rows(
    client: Client, org: Org, people: People, language: str
) -> None:
    from django.template import Context, Template
    from django.utils import translation

    from caicach.oversight.followup.queries import remaining_words, tasks_by_key
    from caicach.oversight.models import TaskStatus

    make_task(org, people, content='Rà soát "thủ tục" & <biểu mẫu> ' + "rất dài " * 30)
    make_task(org, people, deadline=datetime.date(2024, 5, 10), source=TaskSource.ORAL)  # overdue
    make_task(org, people, deadline=datetime.date(2024, 5, 22))  # due soon
    extended = make_task(
        org, people, deadline=datetime.date(2024, 8, 30), original_deadline=datetime.date(2024, 6, 30)
    )
    add_extension(extended, people.unit_head, datetime.date(2024, 9, 30))
    make_task(org, people, status=TaskStatus.DONE, deadline=datetime.date(2024, 5, 1))
    make_task(org, people, status=TaskStatus.DONE, deadline=datetime.date(2024, 5, 1), done_on=DURING)
    make_task(org, people, status=TaskStatus.CANCELLED)
    client.force_login(people.office_officer)
    with on_day(DURING), translation.override(language):
        shown = list(client.get(reverse("oversight:task_list")).context["page_obj"])
        assert len(shown) == 7
        tasks = tasks_by_key([row.pk for row in shown], DURING)
        rows = [(task, remaining_words(task.deadline, DURING)) for task in tasks]
        expected = Template(TEMPLATE_ROWS).render(Context({"rows": rows}))
        written = "".join(row.markup for row in shown)
    # Whitespace next to a tag is not shown (the badge's include ended with a new line).
    assert re.sub(r"\s*(<[^>]*>)\s*", r"\1", written) == re.sub(r"\s*(<[^>]*>)\s*", r"\1", expected)
    for timeliness in ("overdue", "due_soon", "not_yet_due", "done_on_time", "done_late", "cancelled"):
        assert f"timeliness-{timeliness}" in written
    assert "&lt;biểu mẫu&gt;" in written and "30/06/2024" in written


def test_a_pages_rows_are_kept_until_what_they_show_changes(client: Client, org: Org, people: People) -> None:
    """A second look at the list reads no task by key (the rows were kept) and shows the same
    table; a task reworded, an extension asked for, a committee's wider "due soon" window
    and another day (fewer working days left) show at once."""
    from caicach.oversight.models import OversightSettings

    task = make_task(org, people, content="Rà soát thủ tục cấp phép", deadline=datetime.date(2024, 6, 14))
    client.force_login(people.office_officer)
    url = reverse("oversight:task_list")
    with on_day(DURING):
        first = _table(client.get(url).content.decode())
        with CaptureQueriesContext(connection) as ctx:
            again = _table(client.get(url).content.decode())
        read = " ".join(query["sql"] for query in ctx.captured_queries)
        assert '"oversight_extension"' not in read and '"core_unit"' not in read
        assert again == first and "còn 19 ngày làm việc" in first and "timeliness-not_yet_due" in first
        Task.objects.filter(pk=task.pk).update(content="Rà soát thủ tục cấp phép xây dựng")
        assert "cấp phép xây dựng" in _table(client.get(url).content.decode())
        add_extension(task, people.unit_head, datetime.date(2024, 7, 31))
        assert "Đang xin gia hạn" in _table(client.get(url).content.decode())
        OversightSettings.objects.update_or_create(
            unit_id=task.committee_id, defaults={"due_soon_working_days": 20}
        )
        assert "timeliness-due_soon" in _table(client.get(url).content.decode())
    with on_day(DURING + datetime.timedelta(days=1)):
        assert "còn 18 ngày làm việc" in _table(client.get(url).content.decode())


def _table(body: str) -> str:
    return body[body.index("<tbody>") : body.index("</tbody>")]
