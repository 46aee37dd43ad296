"""The working-day calendar against the Government's official 2024-2026 schedules for civil
servants, the Civil Code counting rules, the admin overrides, the `workdays` command and
the calendar pages."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caicach.core import clock
from caicach.core.calendar import queries as workcal
from caicach.core.calendar.services import calendar_day_remove, calendar_day_set, calendar_load_official
from caicach.core.models import AuditEvent, CalendarDay, CalendarDayKind
from caicach.core.once import FIELD, new_token
from tests.conftest import People, on_day

D = datetime.date
ONE = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fresh_calendar_cache() -> Iterator[None]:
    # The test database rolls back after each test; the process cache must not outlive it.
    workcal.invalidate()
    yield
    workcal.invalidate()


@pytest.fixture
def official(db: None) -> None:
    calendar_load_official(actor=None)


def off_span(first: datetime.date, last: datetime.date) -> None:
    """Every day from first to last is off, and the days around the span are working."""
    day = first
    while day <= last:
        assert not workcal.is_working_day(day), day
        day += ONE
    assert workcal.is_working_day(first - ONE), first - ONE
    assert workcal.is_working_day(last + ONE), last + ONE


# --- The official schedules ---------------------------------------------------------------


# (first day off, last day off) of each break, weekends included, as the notices announce it.
OFFICIAL_SPANS = [
    # 2024: Labour Code; Thông báo 5015/TB-LĐTBXH; Công văn 2450/VPCP-KGVX.
    (D(2023, 12, 30), D(2024, 1, 1)),
    (D(2024, 2, 8), D(2024, 2, 14)),
    (D(2024, 4, 18), D(2024, 4, 18)),
    (D(2024, 4, 27), D(2024, 5, 1)),
    (D(2024, 8, 31), D(2024, 9, 3)),
    # 2025: Thông báo 6150/TB-BLĐTBXH (Tết, 30/4-1/5); Labour Code (1/1, Hùng Kings, 2/9).
    (D(2025, 1, 1), D(2025, 1, 1)),
    (D(2025, 1, 25), D(2025, 2, 2)),
    (D(2025, 4, 5), D(2025, 4, 7)),
    (D(2025, 4, 30), D(2025, 5, 4)),
    (D(2025, 8, 30), D(2025, 9, 2)),
    # 2026: Công văn 12729/VPCP-KGVX (1/1); Thông báo 9441/TB-BNV (Tết, 2/9).
    (D(2026, 1, 1), D(2026, 1, 4)),
    (D(2026, 2, 14), D(2026, 2, 22)),
    (D(2026, 4, 25), D(2026, 4, 27)),
    (D(2026, 4, 30), D(2026, 5, 3)),
    (D(2026, 8, 29), D(2026, 9, 2)),
]

MAKEUP_SATURDAYS = [D(2024, 5, 4), D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)]


@pytest.mark.parametrize(("first", "last"), OFFICIAL_SPANS, ids=lambda d: d.isoformat())
def test_every_official_holiday_period_is_off_and_the_days_around_it_are_working(
    official: None, first: datetime.date, last: datetime.date
) -> None:
    off_span(first, last)


@pytest.mark.parametrize("day", MAKEUP_SATURDAYS, ids=lambda d: d.isoformat())
def test_make_up_saturdays_are_working_days(official: None, day: datetime.date) -> None:
    assert day.weekday() == 5
    assert workcal.is_working_day(day)
    assert workcal.day(day).status == workcal.DayStatus.MAKEUP


def test_the_2025_tet_break_had_no_make_up_saturday(official: None) -> None:
    # The five Tết days were Mon 27/1 - Fri 31/1; Sat 8/2/2025 stayed a day off.
    assert not workcal.is_working_day(D(2025, 2, 8))
    assert [d for d in workcal.year_overview(2025).makeup_days if d.date.month == 2] == []


def test_a_year_has_exactly_the_working_days_the_notices_give(official: None) -> None:
    # 2026: 365 days - 104 weekend days - 13 weekday days off (1/1, 2/1, 16-20/2, 27/4, 30/4,
    # 1/5, 31/8, 1/9, 2/9) - 24/11 (Vietnam Cultural Day in the pinned package) + 2 make-up
    # Saturdays (10/1, 22/8).
    assert workcal.year_overview(2026).working_day_count == 365 - 104 - 13 - 1 + 2


def test_lunar_holidays_come_from_the_holidays_package(db: None) -> None:
    # Hùng Kings' day is 10/3 of the Vietnamese lunar calendar.
    for day in (D(2024, 4, 18), D(2025, 4, 7)):
        info = workcal.day(day)
        assert info.status == workcal.DayStatus.HOLIDAY
        assert "Hùng Vương" in info.reason
    # In 2026 it fell on Sunday 26/4: Monday 27/4 is the compensatory day (Art. 111(3)).
    assert not workcal.is_working_day(D(2026, 4, 27))
    # Tết Bính Ngọ: 29 tháng Chạp (16/2) to mùng 4 (20/2).
    assert [workcal.is_working_day(D(2026, 2, d)) for d in range(16, 21)] == [False] * 5


def test_swaps_come_only_from_the_official_table_not_from_the_package(db: None) -> None:
    # The package lists Mon 31/8/2026 as a swapped day off but knows nothing of the make-up
    # Saturday; without the notice rows the calendar applies neither half.
    assert workcal.is_working_day(D(2026, 8, 31))
    assert not workcal.is_working_day(D(2026, 8, 22))
    assert workcal.is_working_day(D(2026, 1, 2))
    calendar_load_official(actor=None)
    assert not workcal.is_working_day(D(2026, 8, 31))
    assert workcal.is_working_day(D(2026, 8, 22))
    info = workcal.day(D(2026, 8, 31))
    assert info.status == workcal.DayStatus.OFF
    assert "9441/TB-BNV" in info.source


def test_the_shipped_schedule_is_consistent_with_the_plain_rules() -> None:
    schedule = workcal.official_schedule()
    assert schedule.years == [2024, 2025, 2026]
    for item in schedule.days:
        base = workcal.base_day(item.date)
        if item.kind == CalendarDayKind.WORKING_DAY:
            assert not base.is_working, item
        else:
            assert base.is_working, item
        assert item.description and item.source
    # Every swap is a pair: as many days off as make-up days.
    kinds = [item.kind for item in schedule.days]
    assert kinds.count("off") == kinds.count("working") == 4


# --- Counting (Civil Code Arts. 147-148) ---------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 24), 3, D(2025, 2, 5)),  # across Tết 2025
        (D(2025, 1, 24), 1, D(2025, 2, 3)),
        (D(2026, 1, 9), 1, D(2026, 1, 10)),  # the make-up Saturday counts
        (D(2025, 4, 25), 1, D(2025, 4, 26)),
        (D(2025, 4, 29), 1, D(2025, 5, 5)),  # 30/4-4/5/2025 off
        (D(2024, 4, 26), 1, D(2024, 5, 2)),
        (D(2025, 2, 1), 1, D(2025, 2, 3)),  # a start on a day off: first working day after
        (D(2026, 1, 1), 0, D(2026, 1, 5)),  # n = 0 on a day off ends on the next working day
        (D(2026, 1, 5), 0, D(2026, 1, 5)),
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 12, 30), 3, D(2027, 1, 5)),  # across the year end: 31/12, (1/1 off), 4/1, 5/1
    ],
)
def test_add_working_days_does_not_count_the_start_day(
    official: None, start: datetime.date, n: int, expected: datetime.date
) -> None:
    assert workcal.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("date", "n", "expected"),
    [
        (D(2025, 2, 5), 3, D(2025, 1, 24)),  # 4/2, 3/2, then back over Tết to 24/1
        (D(2025, 2, 5), 1, D(2025, 2, 4)),
        (D(2026, 1, 12), 1, D(2026, 1, 10)),  # the make-up Saturday
        (D(2026, 1, 12), 2, D(2026, 1, 9)),
        (D(2026, 1, 5), 1, D(2025, 12, 31)),  # 1-4/1/2026 off
        (D(2025, 5, 5), 1, D(2025, 4, 29)),
        (D(2025, 5, 5), 2, D(2025, 4, 28)),
        (D(2025, 4, 28), 1, D(2025, 4, 26)),
        (D(2026, 9, 3), 1, D(2026, 8, 28)),
        (D(2026, 1, 3), 0, D(2025, 12, 31)),
    ],
)
def test_working_day_before_excludes_the_date_itself(
    official: None, date: datetime.date, n: int, expected: datetime.date
) -> None:
    assert workcal.working_day_before(date, n) == expected


def test_working_days_between_counts_the_half_open_interval(official: None) -> None:
    assert workcal.working_days_between(D(2025, 1, 24), D(2025, 2, 5)) == 3
    assert workcal.working_days_between(D(2025, 2, 5), D(2025, 1, 24)) == -3
    assert workcal.working_days_between(D(2025, 2, 5), D(2025, 2, 5)) == 0
    assert (
        workcal.working_days_between(D(2025, 12, 31), D(2026, 12, 31))
        == workcal.year_overview(2026).working_day_count
    )


def test_a_period_never_ends_on_a_day_off_and_between_inverts_add(official: None) -> None:
    start = D(2023, 12, 25)
    while start <= D(2027, 1, 5):
        for n in range(0, 6):
            end = workcal.add_working_days(start, n)
            assert workcal.is_working_day(end), (start, n)
            back = workcal.working_day_before(start, n)
            assert workcal.is_working_day(back), (start, n)
            if n:
                assert workcal.working_days_between(start, end) == n, (start, n)
                assert workcal.working_days_between(back, start) == n - (
                    0 if workcal.is_working_day(start) else 1
                )
        start += ONE


def test_negative_counts_and_years_outside_the_range_are_refused(db: None) -> None:
    with pytest.raises(ValueError):
        workcal.add_working_days(D(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        workcal.working_day_before(D(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        workcal.is_working_day(D(1900, 1, 1))


def test_a_year_is_read_once_and_reread_after_another_process_changes_it(
    official: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    assert not workcal.is_working_day(D(2026, 1, 2))
    with django_assert_num_queries(0):
        assert workcal.add_working_days(D(2026, 1, 1), 10) == D(2026, 1, 15)
    # Another process removes the row and bumps the shared version key.
    CalendarDay.objects.filter(date=D(2026, 1, 2)).delete()
    assert not workcal.is_working_day(D(2026, 1, 2))  # still the cached year here
    cache.set("core.calendar.version", "changed-elsewhere", None)
    assert workcal.is_working_day(D(2026, 1, 2))


# --- Admin overrides (services) -----------------------------------------------------------


def test_an_admin_adds_an_extra_day_off_and_the_calendar_sees_it_at_once(db: None, people: People) -> None:
    assert workcal.is_working_day(D(2027, 1, 4))
    day = calendar_day_set(
        actor=people.admin,
        date=D(2027, 1, 4),
        kind=CalendarDayKind.DAY_OFF,
        description="Nghỉ hoán đổi dịp Tết Dương lịch",
        source="Công văn số 1/VPCP-KGVX",
    )
    assert not workcal.is_working_day(D(2027, 1, 4))
    event = AuditEvent.objects.get(action="calendar_day.create")
    assert event.actor == people.admin
    assert event.object_id == str(day.pk)
    assert event.changes["kind"] == [None, "off"]


def test_a_make_up_day_may_override_a_holiday(db: None, people: People) -> None:
    assert not workcal.is_working_day(D(2026, 11, 24))
    calendar_day_set(
        actor=people.admin,
        date=D(2026, 11, 24),
        kind=CalendarDayKind.WORKING_DAY,
        description="Làm việc bình thường",
    )
    assert workcal.is_working_day(D(2026, 11, 24))


@pytest.mark.parametrize(
    ("date", "kind", "field", "text"),
    [
        (D(2027, 3, 3), "working", "kind", "vốn là ngày làm việc"),  # a Wednesday as make-up day
        (D(2027, 3, 6), "off", "kind", "vốn đã là ngày nghỉ"),  # a Saturday as day off
        (D(2025, 4, 30), "off", "kind", "Ngày Chiến thắng"),  # a holiday as day off
        (D(1990, 1, 2), "off", "date", "Lịch chỉ áp dụng"),
    ],
)
def test_overrides_must_change_the_day(
    db: None, people: People, date: datetime.date, kind: str, field: str, text: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        calendar_day_set(actor=people.admin, date=date, kind=kind, description="Thử")
    assert text in " ".join(exc.value.message_dict[field])
    assert not CalendarDay.objects.exists()


def test_a_date_can_only_be_declared_once_and_needs_a_description(official: None, people: People) -> None:
    with pytest.raises(ValidationError) as exc:
        calendar_day_set(actor=people.admin, date=D(2026, 1, 2), kind="off", description="   ")
    assert "description" in exc.value.message_dict
    assert "đã có trong lịch" in exc.value.message_dict["date"][0]


def test_an_edit_is_audited_and_a_stale_edit_is_refused(official: None, people: People) -> None:
    day = CalendarDay.objects.get(date=D(2026, 1, 10))
    stamp = day.updated_at
    day = calendar_day_set(
        actor=people.admin,
        day=day,
        date=D(2026, 1, 10),
        kind="working",
        description="Làm bù cho ngày 02/01/2026",
        source=day.source,
        expected_updated_at=stamp,
    )
    event = AuditEvent.objects.get(action="calendar_day.update")
    assert event.changes == {
        "description": ["Làm bù cho thứ Sáu 02/01/2026 (dịp Tết Dương lịch)", day.description]
    }
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        calendar_day_set(
            actor=people.admin,
            day=day,
            date=D(2026, 1, 10),
            kind="working",
            description="Sửa lần nữa",
            expected_updated_at=stamp,
        )


def test_removing_an_override_restores_the_plain_rule_and_keeps_history(
    official: None, people: People
) -> None:
    day = CalendarDay.objects.get(date=D(2026, 1, 2))
    calendar_day_remove(actor=people.admin, day=day)
    assert workcal.is_working_day(D(2026, 1, 2))
    event = AuditEvent.objects.get(action="calendar_day.remove")
    assert event.changes["kind"] == ["off", None]
    assert event.object_repr.startswith("02/01/2026")


def test_loading_the_official_schedule_is_idempotent_and_audited(db: None, people: People) -> None:
    first = calendar_load_official(actor=people.admin)
    assert len(first.created) == 8
    second = calendar_load_official(actor=people.admin)
    assert second.created == [] and len(second.kept) == 8
    assert AuditEvent.objects.filter(action="calendar.load_official").count() == 1
    # A row the admin removed on purpose stays removed when only empty years are filled.
    calendar_day_remove(actor=people.admin, day=CalendarDay.objects.get(date=D(2026, 8, 22)))
    assert calendar_load_official(skip_years_with_rows=True).created == []
    assert not CalendarDay.objects.filter(date=D(2026, 8, 22)).exists()
    assert calendar_load_official().created == [D(2026, 8, 22)]


# --- The workdays command ------------------------------------------------------------------


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_workdays_answers_from_a_fresh_database(db: None) -> None:
    # Nothing loaded yet: the command loads the official schedule itself.
    assert workdays("is", "2026-01-02") == "off\n"
    assert CalendarDay.objects.count() == 8


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("add", "2025-01-24", "3"), "2025-02-05\n"),
        (("before", "2025-02-05", "3"), "2025-01-24\n"),
        (("is", "2026-01-02"), "off\n"),
        (("is", "2026-01-10"), "working\n"),
        (("is", "2025-04-07"), "off\n"),
        (("is", "2025-05-02"), "off\n"),
        (("is", "2025-04-26"), "working\n"),
        (("is", "2024-05-04"), "working\n"),
        (("is", "2026-08-31"), "off\n"),
        (("is", "2026-09-03"), "working\n"),
        (("between", "2025-01-24", "2025-02-05"), "3\n"),
        (("between", "2025-02-05", "2025-01-24"), "-3\n"),
        (("add", "24/01/2025", "3"), "2025-02-05\n"),
    ],
)
def test_workdays_command_agrees_with_the_official_schedule(
    official: None, args: tuple[str, ...], expected: str
) -> None:
    assert workdays(*args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("add", "2025-13-01", "3"),
        ("add", "2025-01-24", "-1"),
        ("add", "2025-01-24", "ba"),
        ("is", "hôm nay"),
        ("is", "1900-01-01"),
        ("tomorrow", "2025-01-01"),
        ("add", "2025-01-24"),
    ],
)
def test_workdays_command_rejects_bad_input(db: None, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        workdays(*args)


def test_load_official_calendar_command(db: None) -> None:
    out = StringIO()
    call_command("load_official_calendar", stdout=out)
    assert out.getvalue() == "created 8, kept 0\n"
    assert CalendarDay.objects.count() == 8


# --- Pages ---------------------------------------------------------------------------------


def test_the_calendar_redirects_to_the_current_year(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.get(reverse("calendar"))
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_year", args=[clock.today().year])


@pytest.mark.parametrize(
    "url",
    [
        reverse("calendar"),
        reverse("calendar_year", args=[2026]),
        reverse("calendar_day_create"),
        reverse("calendar_day_update", args=[1]),
        reverse("calendar_day_remove", args=[1]),
    ],
)
def test_anonymous_users_are_sent_to_login(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona",
    [
        "admin",
        "reform_officer",
        "office_officer",
        "unit_head",
        "unit_staff",
        "council_member",
        "committee_member",
        "leader",
        "outsider",
    ],
)
def test_every_logged_in_user_sees_the_year_page(
    client: Client, official: None, people: People, persona: str
) -> None:
    client.force_login(getattr(people, persona))
    response = client.get(reverse("calendar_year", args=[2026]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Làm bù cho thứ Sáu 02/01/2026" in body
    assert "22/08/2026" in body
    assert "Mùng hai Tết Nguyên Đán" in body
    assert (reverse("calendar_day_create") in body) == (persona == "admin")


def test_year_links_stop_one_year_beyond_the_years_with_notice_days(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)

    def links(year: int) -> tuple[bool, bool]:
        body = client.get(reverse("calendar_year", args=[year])).content.decode()
        return 'rel="prev"' in body, 'rel="next"' in body

    with on_day(D(2026, 6, 1)):
        # No notice days: this year and one year either side.
        assert links(2026) == (True, True)
        assert links(2025) == (False, True)
        assert links(2027) == (True, False)
        assert client.get(reverse("calendar_year", args=[2024])).status_code == 404
        assert client.get(reverse("calendar_year", args=[2028])).status_code == 404
        assert client.get(reverse("calendar_year", args=[1500])).status_code == 404
        # A notice day in 2029 (an admin's override) opens the years up to 2030.
        calendar_day_set(
            actor=people.admin,
            date=D(2029, 1, 2),
            kind=CalendarDayKind.DAY_OFF,
            description="Nghỉ",
            source="Thử",
        )
        assert links(2029) == (True, True)
        assert links(2030) == (True, False)
        assert client.get(reverse("calendar_year", args=[2031])).status_code == 404
        assert links(2025) == (False, True)


@pytest.mark.parametrize("persona", ["reform_officer", "office_officer", "unit_head", "leader", "outsider"])
def test_only_admins_reach_the_edit_pages(
    client: Client, official: None, people: People, persona: str
) -> None:
    client.force_login(getattr(people, persona))
    pk = CalendarDay.objects.get(date=D(2026, 1, 2)).pk
    assert client.get(reverse("calendar_day_create")).status_code == 404
    assert client.get(reverse("calendar_day_update", args=[pk])).status_code == 404
    assert client.get(reverse("calendar_day_remove", args=[pk])).status_code == 404
    assert client.post(reverse("calendar_day_remove", args=[pk])).status_code == 404
    assert client.post(reverse("calendar_load_official")).status_code == 404
    assert CalendarDay.objects.filter(pk=pk).exists()


def test_the_count_form_checks_a_deadline(client: Client, official: None, people: People) -> None:
    client.force_login(people.unit_staff)
    url = reverse("calendar_year", args=[2025])
    body = client.get(url, {"start": "24/01/2025", "n": "3", "direction": "after"}).content.decode()
    assert "Thứ Tư, ngày 05/02/2025" in body
    body = client.get(url, {"start": "05/02/2025", "n": "3", "direction": "before"}).content.decode()
    assert "Thứ Sáu, ngày 24/01/2025" in body
    body = client.get(url, {"start": "32/01/2025", "n": "3", "direction": "after"}).content.decode()
    assert "Ngày không hợp lệ" in body


def test_the_count_form_answers_htmx_with_the_partial_only(
    client: Client, official: None, people: People
) -> None:
    client.force_login(people.unit_staff)
    response = client.get(
        reverse("calendar_year", args=[2026]),
        {"start": "09/01/2026", "n": "1", "direction": "after"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "ngày 10/01/2026" in body
    assert "<html" not in body


def test_year_page_query_count_does_not_grow_with_override_rows(
    client: Client, official: None, people: People, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    extra: list[CalendarDay] = []
    day = D(2027, 1, 5)
    while len(extra) < 60:
        if workcal.base_day(day).is_working:
            extra.append(CalendarDay(date=day, kind="off", description=f"Nghỉ thử {day}", source="Thử"))
        day += ONE
    CalendarDay.objects.bulk_create(extra)
    workcal.invalidate()
    client.force_login(people.admin)
    # session read+touch, user, grants, one calendar year, the years with notice days (once per
    # calendar version), inbox badge
    with django_assert_max_num_queries(9):
        response = client.get(reverse("calendar_year", args=[2027]))
    assert response.status_code == 200
    assert response.content.decode().count('title="Nghỉ thử') == 60


def test_admin_creates_an_override_day_through_the_form(client: Client, db: None, people: People) -> None:
    client.force_login(people.admin)
    assert client.get(reverse("calendar_day_create"), {"date": "2027-01-04"}).status_code == 200
    response = client.post(
        reverse("calendar_day_create"),
        {
            "date": "04/01/2027",
            "kind": "off",
            "description": "Nghỉ hoán đổi",
            "source": "Công văn số 1/VPCP",
            FIELD: new_token(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_year", args=[2027])
    assert CalendarDay.objects.get(date=D(2027, 1, 4)).description == "Nghỉ hoán đổi"
    assert AuditEvent.objects.filter(action="calendar_day.create", actor=people.admin).exists()


def test_the_form_shows_the_rule_a_wrong_override_breaks(client: Client, db: None, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(
        reverse("calendar_day_create"),
        {"date": "03/03/2027", "kind": "working", "description": "Làm bù", FIELD: new_token()},
    )
    assert response.status_code == 200
    assert "Ngày làm bù phải là thứ Bảy, Chủ nhật hoặc ngày nghỉ lễ" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_admin_edits_and_removes_an_override_day(client: Client, official: None, people: People) -> None:
    client.force_login(people.admin)
    day = CalendarDay.objects.get(date=D(2026, 8, 22))
    edit = reverse("calendar_day_update", args=[day.pk])
    page = client.get(edit)
    assert page.status_code == 200
    stamp = page.context["form"].initial["stamp"]
    response = client.post(
        edit,
        {
            "date": "22/08/2026",
            "kind": "working",
            "description": "Làm bù dịp Quốc khánh",
            "source": day.source,
            "stamp": stamp,
        },
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(pk=day.pk).description == "Làm bù dịp Quốc khánh"
    # The same (now stale) form posted again is refused.
    stale = client.post(
        edit, {"date": "22/08/2026", "kind": "working", "description": "Khác", "stamp": stamp}
    )
    assert stale.status_code == 200
    assert "người khác thay đổi" in stale.content.decode()

    remove = reverse("calendar_day_remove", args=[day.pk])
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert not workcal.is_working_day(D(2026, 8, 22))
    assert AuditEvent.objects.filter(action="calendar_day.remove", actor=people.admin).exists()


def test_admin_loads_the_official_schedule_from_the_page(client: Client, db: None, people: People) -> None:
    client.force_login(people.admin)
    assert client.post(reverse("calendar_load_official")).status_code == 302
    assert CalendarDay.objects.count() == 8


def test_working_days_between_agrees_with_counting_day_by_day(official: None) -> None:
    # Over notice days off, make-up Saturdays, holidays and year ends, both directions.
    def walked(a: datetime.date, b: datetime.date) -> int:
        count, current = 0, a
        while current < b:
            current += ONE
            count += workcal.is_working_day(current)
        return count

    starts = [D(2024, 12, 20), D(2025, 1, 24), D(2025, 4, 25), D(2025, 8, 29), D(2026, 2, 13)]
    for start in starts:
        for length in (1, 6, 40, 200, 500):
            end = start + datetime.timedelta(days=length)
            assert workcal.working_days_between(start, end) == walked(start, end), (start, length)
            assert workcal.working_days_between(end, start) == -walked(start, end), (start, length)
