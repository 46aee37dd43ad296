"""The home page as a to-do list: the registry the apps fill, who sees which kind (every
persona), a query count that does not grow with the rows, and a page that reads on a phone.

The kinds themselves are tested where they live (``tests/initiatives/test_todos.py``,
``tests/workprogram/test_todos.py``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caicach.core import clock, todos
from caicach.core.models import Membership, Role, Unit, User
from caicach.core.todos import TodoEntry, TodoItem, count_and_first, register_todo_provider, todos_for
from caicach.initiatives.models import Campaign, CouncilMember, Initiative, InitiativeStatus, ReviewAssignment
from caicach.workprogram.models import AdjustmentRequest, ProgramItem, WorkProgram
from tests.conftest import Org, People, forget_kept, on_day
from tests.core.factories import make_unit, person
from tests.initiatives.factories import make_board
from tests.workprogram.factories import add_item, file_request, make_program, month

pytestmark = pytest.mark.django_db

S = InitiativeStatus
SEPTEMBER_10 = datetime.date(2024, 9, 10)


# --- The registry ---------------------------------------------------------------------------------


@pytest.fixture
def registry() -> Iterator[None]:
    saved = dict(todos._providers)
    yield
    todos._providers.clear()
    todos._providers.update(saved)


def test_every_app_registers_its_to_do_kinds() -> None:
    assert set(todos.registered()) >= {
        "initiatives.confirm",
        "initiatives.receive",
        "initiatives.score",
        "initiatives.returned",
        "workprogram.decide",
        "workprogram.follow_requests",
        "workprogram.reports_due",
        "workprogram.overdue_items",
    }


def test_kinds_come_in_their_order_and_empty_ones_are_left_out(registry: None, people: People) -> None:
    todos._providers.clear()
    register_todo_provider("b", lambda user, limit: TodoEntry("b", "B", 2, [TodoItem("x", "/x/")]), order=2)
    register_todo_provider("a", lambda user, limit: TodoEntry("a", "A", 1), order=1)
    register_todo_provider("none", lambda user, limit: None, order=0)
    register_todo_provider("empty", lambda user, limit: TodoEntry("empty", "E", 0), order=3)
    assert [entry.key for entry in todos_for(people.unit_staff)] == ["a", "b"]
    assert todos_for(people.unit_staff)[1].more == 1


def test_count_and_first_keeps_the_count_and_first_keys_and_reads_the_rows_by_key(
    org: Org, django_assert_num_queries: Any, committed: Any
) -> None:
    """The count and the first keys in one query, then those rows; while kept, only the rows;
    nothing more when nothing waits. A committed write to the table renews the count."""
    units = Unit.objects.filter(parent=org.province).order_by("code")
    expected = list(units.values_list("pk", flat=True)[:2])
    with django_assert_num_queries(2):
        count, rows = count_and_first(units, 2)
    assert count == units.count() > 2
    assert [u.pk for u in rows] == expected
    with django_assert_num_queries(1):
        assert count_and_first(units, 2) == (count, rows)
    with django_assert_num_queries(1):
        assert count_and_first(units.filter(code="none"), 2) == (0, [])
    with django_assert_num_queries(0):
        assert count_and_first(units.filter(code="none"), 2) == (0, [])

    with committed():
        make_unit("AAA0", parent=org.province)
    count_after, rows_after = count_and_first(units, 2)
    assert count_after == count + 1
    assert rows_after[0].code == "AAA0"


def test_count_and_first_of_grouped_rows_keeps_them_whole(
    org: Org, django_assert_num_queries: Any, committed: Any
) -> None:
    grouped = Unit.objects.filter(parent=org.province).values("kind").annotate(n=Count("pk")).order_by("kind")
    expected = [{**row, "todo_total": 4} for row in grouped]  # the rows carry their count
    assert len(expected) == 4
    with django_assert_num_queries(1):
        assert count_and_first(grouped, 10) == (len(expected), expected)
    with django_assert_num_queries(0):
        assert count_and_first(grouped, 10) == (len(expected), expected)
    with committed():
        make_unit("AAA1", parent=org.province)
    assert sum(row["n"] for row in count_and_first(grouped, 10)[1]) == sum(row["n"] for row in expected) + 1


def test_count_and_first_of_joined_rows_reads_keys_then_rows_and_nothing_more_when_none_wait(
    org: Org, django_assert_num_queries: Any
) -> None:
    """Rows that join their relations: the count and the first keys without the joins, then
    those rows with them, in the queryset's order; one query when nothing waits."""
    units = Unit.objects.filter(parent=org.province).select_related("parent").order_by("-code")
    with django_assert_num_queries(2):
        count, rows = count_and_first(units, 2)
    assert count == units.count() > 2
    assert [u.pk for u in rows] == list(units.values_list("pk", flat=True)[:2])
    with django_assert_num_queries(0):
        assert all(u.parent == org.province for u in rows)  # the relation came with the rows
    with django_assert_num_queries(1):
        assert count_and_first(units.filter(code="none"), 2) == (0, [])


# --- Every persona, every kind --------------------------------------------------------------------


def one_of_each(org: Org, people: People, count: int = 1, busy: User | None = None) -> None:
    """``count`` rows of every kind: dossiers awaiting Science's head, sent to Home Affairs,
    returned to their author (the Science clerk) and to score (the Home Affairs council
    member); requests to the leader; Science's items overdue in the province's 2024 program."""
    campaign = Campaign.objects.filter(receiving_unit=org.home_affairs).first()
    if campaign is None:
        campaign = make_board(org, people).campaign
    council = campaign.council
    seat, _created = CouncilMember.objects.get_or_create(council=council, user=people.council_member)
    author = people.unit_staff
    for n in range(count):
        for status in (S.AWAITING_CONFIRMATION, S.SUBMITTED, S.RETURNED, S.IN_REVIEW):
            initiative = Initiative.objects.create(
                campaign=campaign,
                unit=org.science,
                title=f"Sáng kiến {status} {n}",
                status=status,
                created_by=author,
            )
            if status == S.IN_REVIEW:
                ReviewAssignment.objects.create(initiative=initiative, member=seat)
                if busy is not None:
                    busy_seat, _created = CouncilMember.objects.get_or_create(council=council, user=busy)
                    ReviewAssignment.objects.create(initiative=initiative, member=busy_seat)
    program = WorkProgram.objects.filter(issuing_unit=org.province, year=2024).first() or make_program(
        org, people
    )
    for _n in range(count):
        item = add_item(program, people.office_officer, org.science, month(3), leader=people.leader)
        file_request(item, people.unit_head)


EXPECTED = {
    "admin": set(),
    "reform_officer": {"initiatives.receive"},
    "office_officer": {"workprogram.follow_requests"},
    "unit_head": {"initiatives.confirm", "workprogram.reports_due", "workprogram.overdue_items"},
    "unit_staff": {"initiatives.returned", "workprogram.reports_due", "workprogram.overdue_items"},
    "council_member": {"initiatives.score"},
    "committee_member": set(),
    "leader": {"workprogram.decide"},
    "outsider": set(),
}


def kinds_on_home_page(client: Client, user: User) -> set[str]:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return {entry.key for entry in response.context["todos"]}


def test_each_persona_sees_exactly_the_kinds_of_work_waiting_for_their_role(
    client: Client, org: Org, people: People
) -> None:
    one_of_each(org, people)
    with on_day(SEPTEMBER_10):
        for key, expected in EXPECTED.items():
            assert kinds_on_home_page(client, getattr(people, key)) == expected, key


def test_with_nothing_waiting_the_page_says_so_and_keeps_the_shortcuts(
    client: Client, people: People
) -> None:
    client.force_login(people.outsider)
    html = client.get("/").content.decode()
    assert "Hiện không có việc nào đang chờ bạn." in html
    assert "Lối tắt" in html and "Vai trò của bạn" in html


# --- Kept whole until a write, a new role or a new day --------------------------------------------


def test_the_to_dos_are_kept_until_a_write_to_what_they_read(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    one_of_each(org, people)
    client.force_login(people.unit_staff)
    with on_day(SEPTEMBER_10):
        before = {entry.key: entry.count for entry in client.get("/").context["todos"]}
        assert before["initiatives.returned"] == 1
        Initiative.objects.filter(status=S.RETURNED).update(status=S.SUBMITTED)  # renewed at once in tests
        after = {entry.key: entry.count for entry in client.get("/").context["todos"]}
    assert "initiatives.returned" not in after
    assert after["workprogram.reports_due"] == before["workprogram.reports_due"]


def test_a_role_granted_shows_its_work_at_once(client: Client, org: Org, people: People) -> None:
    """The grants are read before the to-dos (once a request), so they are part of the key."""
    one_of_each(org, people)
    with on_day(SEPTEMBER_10):
        assert kinds_on_home_page(client, people.outsider) == set()
        Membership.objects.create(user=people.outsider, unit=org.home_affairs, role=Role.REFORM_OFFICER)
        assert kinds_on_home_page(client, people.outsider) == {"initiatives.receive"}


def test_the_to_dos_are_built_again_on_a_new_day(client: Client, registry: None, people: People) -> None:
    register_todo_provider("day", lambda user, limit: TodoEntry("day", "Ngày", clock.today().day), order=0)
    client.force_login(people.unit_staff)
    with on_day(SEPTEMBER_10):
        assert next(entry.count for entry in client.get("/").context["todos"]) == 10
    with on_day(SEPTEMBER_10 + datetime.timedelta(days=1)):
        assert next(entry.count for entry in client.get("/").context["todos"]) == 11


# --- Query count ----------------------------------------------------------------------------------


@pytest.fixture
def busy(org: Org, people: People) -> User:
    """One person holding every role that brings work: head of Science and of three more
    units, reform officer, Office officer, leader and council member."""
    user = person("banron", org.science, Role.UNIT_HEAD, full_name="Người Bận Rộn")
    person("banron", org.home_affairs, Role.REFORM_OFFICER, Role.COUNCIL_MEMBER)
    person("banron", org.office, Role.OFFICE_OFFICER)
    person("banron", org.province, Role.LEADER)
    for code in ("DV1", "DV2", "DV3"):
        person("banron", make_unit(code, parent=org.province), Role.UNIT_HEAD)
    return user


def home_queries(client: Client, user: User) -> tuple[int, int]:
    """The queries of the home page once the process caches (the calendar's year) are warm:
    when its to-dos are built (the first visit after a write), then while they are kept."""
    client.force_login(user)
    with on_day(SEPTEMBER_10):
        client.get("/")
        forget_kept()
        with CaptureQueriesContext(connection) as built:
            assert client.get("/").status_code == 200
        with CaptureQueriesContext(connection) as kept:
            assert client.get("/").status_code == 200
    return len(built.captured_queries), len(kept.captured_queries)


def test_the_home_page_costs_the_same_queries_for_one_row_of_each_kind_or_many(
    client: Client, org: Org, people: People, busy: User, django_assert_max_num_queries: Any, committed: Any
) -> None:
    one_of_each(org, people, busy=busy)
    # Requests addressed to the busy leader, the units' items of the 2024 program.
    program = WorkProgram.objects.get(issuing_unit=org.province, year=2024)
    ProgramItem.objects.update(supervising_leader=busy)
    AdjustmentRequest.objects.update(leader=busy)
    few = home_queries(client, busy)
    assert kinds_on_home_page(client, busy) >= {
        "initiatives.confirm",
        "initiatives.receive",
        "initiatives.score",
    }

    with committed():
        one_of_each(org, people, count=12, busy=busy)
        for unit in Unit.objects.filter(code__in=("DV1", "DV2", "DV3")):
            add_item(program, people.office_officer, unit, month(2), leader=busy)
        AdjustmentRequest.objects.update(leader=busy)
    many = home_queries(client, busy)
    client.force_login(busy)
    with on_day(SEPTEMBER_10):
        entries = {entry.key: entry for entry in client.get("/").context["todos"]}
    assert set(entries) == {
        "initiatives.confirm",
        "initiatives.receive",
        "initiatives.score",
        "workprogram.decide",
        "workprogram.follow_requests",
        "workprogram.reports_due",
        "workprogram.overdue_items",
    }
    assert all(
        len(entry.items) == todos.FIRST_ROWS
        for key, entry in entries.items()
        if key != "workprogram.reports_due"
    )
    assert entries["initiatives.confirm"].count == 13
    # January to September, for Science and the three units: none sent.
    assert entries["workprogram.reports_due"].count == 9 * 4
    assert many == few
    built, kept = few
    assert kept < built  # kept whole: no provider asks anything
    with on_day(SEPTEMBER_10), django_assert_max_num_queries(kept):
        client.get("/")


# --- On a phone -----------------------------------------------------------------------------------


def test_the_to_do_list_is_a_plain_list_of_links_not_a_table(
    client: Client, org: Org, people: People
) -> None:
    one_of_each(org, people)
    client.force_login(people.unit_head)
    with on_day(SEPTEMBER_10):
        html = client.get("/").content.decode()
    todo_part = html[html.index('id="todos-title"') : html.index('id="roles-title"')]
    assert "<table" not in todo_part
    assert 'class="todo-list"' in todo_part
    assert "Quá hạn" in todo_part  # the overdue items say so
