"""The order of dates and the message naming the date a refused one must follow."""

from __future__ import annotations

import datetime

from caicach.core.chronology import first_problem, must_follow, not_after

MEETING = datetime.date(2026, 7, 12)


def test_a_date_before_its_anchor_is_refused_with_the_anchors_date_and_name() -> None:
    problem = must_follow(
        datetime.date(2026, 7, 11), MEETING, what="Ngày quyết định", anchor_name="ngày họp Hội đồng"
    )
    assert problem == "Ngày quyết định phải từ ngày 12/07/2026 (ngày họp Hội đồng) trở đi."


def test_the_same_day_a_later_one_or_an_unknown_one_is_accepted() -> None:
    for day, anchor in ((MEETING, MEETING), (MEETING + datetime.timedelta(days=1), MEETING), (None, MEETING)):
        assert must_follow(day, anchor, what="Ngày", anchor_name="ngày họp") is None
    assert must_follow(MEETING, None, what="Ngày", anchor_name="ngày họp") is None


def test_a_date_ahead_of_today_is_refused_with_todays_date() -> None:
    today = datetime.date(2026, 7, 1)
    assert not_after(MEETING, today, what="Ngày họp Hội đồng") == (
        "Ngày họp Hội đồng không được sau ngày hôm nay (01/07/2026)."
    )
    assert not_after(today, today, what="Ngày họp Hội đồng") is None
    assert not_after(None, today, what="Ngày họp Hội đồng") is None


def test_the_first_problem_is_the_one_shown() -> None:
    assert first_problem(None, "một", "hai") == "một"
    assert first_problem(None, None) is None
