"""The one months helper: Civil Code month arithmetic, Decree 30 month labels, grace days."""

from __future__ import annotations

import datetime

import pytest

from caicach.core.months import add_months, first_of_month, month_label, overdue_threshold

D = datetime.date


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 3, 1), 10, D(2025, 1, 1)),
        (D(2024, 3, 1), -3, D(2023, 12, 1)),
        (D(2024, 12, 15), 0, D(2024, 12, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(
    day: datetime.date, count: int, expected: datetime.date
) -> None:
    assert add_months(day, count) == expected


def test_month_labels_pad_only_january_and_february() -> None:
    assert [month_label(D(2024, m, 1)) for m in (1, 2, 3, 12)] == ["01/2024", "02/2024", "3/2024", "12/2024"]


def test_an_item_is_overdue_only_after_its_month_and_the_grace_days() -> None:
    assert first_of_month(D(2024, 4, 17)) == D(2024, 4, 1)
    # March items: not yet overdue on 5 April with 5 grace days, overdue on 6 April.
    assert overdue_threshold(D(2024, 4, 5), 5) == D(2024, 3, 1)
    assert overdue_threshold(D(2024, 4, 6), 5) == D(2024, 4, 1)
    assert overdue_threshold(D(2024, 4, 1), 0) == D(2024, 4, 1)
