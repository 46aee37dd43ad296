"""The daily scheduler: each registered reminder function runs once per day, however many
ticks, restarts or workers, and the chain queues the next tick for 07:00 Vietnam time."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django_tasks import task_backends

from caicach.core import choices, reminders
from caicach.core.models import Job, JobStatus
from caicach.core.reminders import daily_tick

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 11, 22)
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, datetime.date]]:
    """A clean registry (the apps' own reminders stay out of these tests) with two
    functions that record their calls."""
    monkeypatch.setattr(reminders, "_daily", {})
    calls: list[tuple[str, datetime.date]] = []

    @reminders.daily("tests.campaign_deadlines")
    def _deadlines(day: datetime.date) -> None:
        calls.append(("tests.campaign_deadlines", day))

    @reminders.daily("tests.monthly_reports")
    def _reports(day: datetime.date) -> None:
        calls.append(("tests.monthly_reports", day))

    return calls


def test_each_function_runs_once_per_day_even_if_ticked_twice(runs: list[tuple[str, datetime.date]]) -> None:
    first = reminders.run_daily(DAY)
    second = reminders.run_daily(DAY)
    assert sorted(runs) == [("tests.campaign_deadlines", DAY), ("tests.monthly_reports", DAY)]
    assert first.ran == ["tests.campaign_deadlines", "tests.monthly_reports"]
    assert second.ran == []
    assert second.skipped == ["tests.campaign_deadlines", "tests.monthly_reports"]


def test_the_next_day_runs_again(runs: list[tuple[str, datetime.date]]) -> None:
    reminders.run_daily(DAY)
    reminders.run_daily(DAY + datetime.timedelta(days=1))
    assert len(runs) == 4


def test_the_run_is_recorded_in_the_database(runs: list[tuple[str, datetime.date]]) -> None:
    reminders.run_daily(DAY)
    rows = Job.objects.filter(kind=reminders.TICK_KIND, parameters__day="2026-11-22")
    assert sorted(rows.values_list("parameters__reminder", "status")) == [
        ("tests.campaign_deadlines", JobStatus.DONE),
        ("tests.monthly_reports", JobStatus.DONE),
    ]


def test_a_running_function_is_not_started_again_by_a_second_worker(
    runs: list[tuple[str, datetime.date]],
) -> None:
    Job.objects.create(
        kind=reminders.TICK_KIND,
        status=JobStatus.RUNNING,
        parameters={"day": DAY.isoformat(), "reminder": "tests.monthly_reports"},
    )
    report = reminders.run_daily(DAY)
    assert runs == [("tests.campaign_deadlines", DAY)]
    assert report.skipped == ["tests.monthly_reports"]


def test_a_failing_function_does_not_stop_the_others_and_may_be_run_again(
    runs: list[tuple[str, datetime.date]],
) -> None:
    attempts: list[datetime.date] = []

    @reminders.daily("tests.flaky")
    def _flaky(day: datetime.date) -> None:
        attempts.append(day)
        if len(attempts) == 1:
            raise ConnectionError("mail server down")

    first = reminders.run_daily(DAY)
    assert first.failed == ["tests.flaky"]
    assert len(runs) == 2
    failed = Job.objects.get(kind=reminders.TICK_KIND, parameters__reminder="tests.flaky")
    assert failed.status == JobStatus.FAILED
    assert "ConnectionError" in failed.message

    second = reminders.run_daily(DAY)
    assert second.ran == ["tests.flaky"]
    assert len(attempts) == 2
    assert len(runs) == 2  # the ones that succeeded were not repeated


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime.datetime(2026, 11, 22, 6, 59, tzinfo=VN), datetime.datetime(2026, 11, 22, 7, 0, tzinfo=VN)),
        (datetime.datetime(2026, 11, 22, 7, 0, tzinfo=VN), datetime.datetime(2026, 11, 23, 7, 0, tzinfo=VN)),
        (
            datetime.datetime(2026, 11, 22, 23, 30, tzinfo=VN),
            datetime.datetime(2026, 11, 23, 7, 0, tzinfo=VN),
        ),
        # 20:00 UTC is already 03:00 the next day in Vietnam.
        (
            datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC),
            datetime.datetime(2027, 1, 1, 7, 0, tzinfo=VN),
        ),
    ],
)
def test_the_next_tick_is_at_seven_in_the_morning_vietnam_time(
    now: datetime.datetime, expected: datetime.datetime
) -> None:
    assert reminders.next_tick_at(now) == expected


def test_the_daily_tick_runs_the_functions_and_queues_the_next_one_with_run_after(
    runs: list[tuple[str, datetime.date]], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        report = daily_tick.call()
    assert report["ran"] == ["tests.campaign_deadlines", "tests.monthly_reports"]
    (queued,) = task_backends["default"].results  # type: ignore[attr-defined]
    assert queued.task.func is daily_tick.func
    run_after = queued.task.run_after.astimezone(VN)
    assert (run_after.hour, run_after.minute) == (7, 0)
    assert run_after == reminders.next_tick_at()


def test_several_chains_converge_on_one_queued_tick(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = DUMMY
    now = datetime.datetime(2026, 11, 22, 7, 0, 1, tzinfo=VN)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.schedule_next_tick(now)
        second = reminders.schedule_next_tick(now + datetime.timedelta(minutes=5))
    tomorrow_seven = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=VN)
    assert first == (tomorrow_seven, True)
    assert second == (tomorrow_seven, False)
    (queued,) = task_backends["default"].results  # type: ignore[attr-defined]
    assert queued.task.run_after == tomorrow_seven


def test_nothing_is_queued_when_the_transaction_rolls_back(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders.schedule_next_tick()
    assert task_backends["default"].results == []  # type: ignore[attr-defined]
    assert len([callback for callback in callbacks if not choices.is_renewal(callback)]) == 1


def test_the_inline_backend_cannot_schedule_so_cron_must_run_the_command() -> None:
    assert reminders.schedule_next_tick() == (None, False)
    with pytest.raises(CommandError):
        call_command("run_daily", "--schedule")


def test_the_command_runs_the_day_once(
    runs: list[tuple[str, datetime.date]], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("run_daily", "--day", "2026-11-22")
    call_command("run_daily", "--day", "2026-11-22")
    assert len(runs) == 2
    out = capsys.readouterr().out
    assert "ran: tests.campaign_deadlines, tests.monthly_reports" in out
    assert "skipped: tests.campaign_deadlines, tests.monthly_reports" in out


def test_the_command_schedules_the_chain(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_daily", "--schedule")
    assert len(task_backends["default"].results) == 1  # type: ignore[attr-defined]


def test_the_command_rejects_a_malformed_day() -> None:
    with pytest.raises(CommandError):
        call_command("run_daily", "--day", "22/11/2026")
