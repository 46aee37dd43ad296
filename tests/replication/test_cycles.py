"""Reporting cycles: the one way every area counts them."""

from __future__ import annotations

import datetime

import pytest

from caicach.replication.cycles import (
    cycle_of,
    cycles_between,
    last_closed_cycle,
    report_due_on,
    settings_for,
)
from caicach.replication.models import ReplicationSettings, ReportingCycle
from tests.conftest import Org

d = datetime.date


@pytest.mark.parametrize(
    ("day", "kind", "start", "end", "label"),
    [
        (d(2024, 5, 17), ReportingCycle.QUARTERLY, d(2024, 4, 1), d(2024, 6, 30), "Quý II/2024"),
        (d(2024, 12, 31), ReportingCycle.QUARTERLY, d(2024, 10, 1), d(2024, 12, 31), "Quý IV/2024"),
        (d(2024, 2, 10), ReportingCycle.MONTHLY, d(2024, 2, 1), d(2024, 2, 29), "Tháng 02/2024"),
        (d(2024, 7, 1), ReportingCycle.HALF_YEARLY, d(2024, 7, 1), d(2024, 12, 31), "6 tháng cuối năm 2024"),
        (d(2024, 3, 3), ReportingCycle.YEARLY, d(2024, 1, 1), d(2024, 12, 31), "Năm 2024"),
    ],
)
def test_a_day_falls_in_one_cycle_named_the_vietnamese_way(
    day: datetime.date, kind: str, start: datetime.date, end: datetime.date, label: str
) -> None:
    cycle = cycle_of(day, kind)
    assert (cycle.start, cycle.end, cycle.label) == (start, end, label)


def test_cycles_between_cover_both_ends_and_cross_the_year() -> None:
    cycles = cycles_between(d(2023, 12, 21), d(2024, 7, 2), ReportingCycle.QUARTERLY)
    assert [c.label for c in cycles] == ["Quý IV/2023", "Quý I/2024", "Quý II/2024", "Quý III/2024"]
    assert cycles_between(d(2024, 2, 1), d(2024, 1, 1), ReportingCycle.QUARTERLY) == []


def test_the_last_closed_cycle_is_the_one_before_today() -> None:
    assert last_closed_cycle(d(2024, 4, 1), ReportingCycle.QUARTERLY).label == "Quý I/2024"


def test_a_report_is_due_working_days_after_the_cycle_ends(org: Org) -> None:
    defaults = settings_for(org.province)
    assert defaults.pk is None and defaults.report_due_working_days == 10
    # Quý I/2024 ends on Sunday 31/3: ten working days from Monday 1/4, none of them a holiday.
    assert report_due_on(cycle_of(d(2024, 3, 1), ReportingCycle.QUARTERLY), defaults) == d(2024, 4, 12)
    ReplicationSettings.objects.create(unit=org.province, report_due_working_days=5)
    # Quý II/2024 ends Sunday 30/6: five working days are 1–5 July.
    assert report_due_on(
        cycle_of(d(2024, 5, 1), ReportingCycle.QUARTERLY), settings_for(org.province.pk)
    ) == d(2024, 7, 5)
