"""The authors table rules: shares total exactly 100 (two decimals), one lead author, no two
rows for the same person, positions assigned in order — and a refused table saves nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caicach.core.models import AuditEvent, Role
from caicach.initiatives.dossiers.services import validate_authors
from caicach.initiatives.models import Authorship, Initiative
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.initiatives.factories import make_draft, seed_authors


def _messages(rows: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_authors(rows)
    return caught.value.messages


def test_the_seed_table_is_valid_and_numbered_one_to_three(db: None) -> None:
    rows = seed_authors()
    rows[2]["position"] = 2  # the seed numbers two rows "2": positions are ours, not the input's
    cleaned = validate_authors(rows)
    assert [r["position"] for r in cleaned] == [1, 2, 3]
    assert [r["share"] for r in cleaned] == [Decimal("30.00"), Decimal("30.00"), Decimal("40.00")]


@pytest.mark.parametrize(("last", "shown"), [("39.99", "99,99"), ("40.01", "100,01"), ("50", "110")])
def test_shares_must_total_exactly_100(db: None, last: str, shown: str) -> None:
    rows = seed_authors()
    rows[2]["share"] = Decimal(last)
    assert _messages(rows) == [f"Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là {shown}%)."]


def test_shares_given_as_text_with_a_decimal_comma_are_understood(db: None) -> None:
    rows = seed_authors()
    rows[0]["share"], rows[1]["share"], rows[2]["share"] = "33,33", "33.33", 33.34
    assert sum(r["share"] for r in validate_authors(rows)) == Decimal("100")


@pytest.mark.parametrize("share", ["0", "-5", "100.5", "abc", "", None, "33.333"])
def test_each_share_must_be_a_positive_percentage_with_at_most_two_decimals(db: None, share: Any) -> None:
    rows = seed_authors()
    rows[0]["share"] = share
    messages = _messages(rows)
    assert messages[0].startswith("Dòng 1: tỷ lệ đóng góp")


def test_there_must_be_exactly_one_lead(db: None) -> None:
    no_lead = seed_authors()
    no_lead[2]["is_lead"] = False
    assert _messages(no_lead) == ["Phải có đúng một tác giả chính."]
    two_leads = seed_authors()
    two_leads[0]["is_lead"] = True
    assert _messages(two_leads) == ["Phải có đúng một tác giả chính."]


def test_a_single_author_is_the_lead(db: None) -> None:
    row = {**seed_authors()[0], "share": Decimal("100"), "is_lead": False}
    assert validate_authors([row])[0]["is_lead"] is True


def test_the_same_person_twice_is_refused_whatever_the_accents_and_case(db: None) -> None:
    rows = seed_authors()
    rows[1]["full_name"] = "LE TUAN PHU"
    rows[1]["date_of_birth"] = datetime.date(1967, 1, 28)
    assert _messages(rows) == ["Có hai dòng tác giả trùng nhau: dòng 1 và dòng 2 (LE TUAN PHU)."]


def test_namesakes_born_on_different_days_are_two_people(db: None) -> None:
    rows = seed_authors()
    rows[1]["full_name"] = "Lê Tuấn Phú"
    assert len(validate_authors(rows)) == 3


def test_the_same_account_on_two_rows_is_refused(org: Org) -> None:
    someone = person("tacgia", org.science, Role.UNIT_STAFF)
    rows = seed_authors()
    rows[0]["user"] = rows[1]["user"] = someone
    assert any(m.startswith("Có hai dòng tác giả trùng nhau") for m in _messages(rows))


def test_a_row_without_a_name_and_an_empty_table_are_refused(db: None) -> None:
    rows = seed_authors()
    rows[1]["full_name"] = "  "
    assert "Dòng 2: vui lòng nhập họ và tên tác giả." in _messages(rows)
    assert _messages([]) == ["Phải có ít nhất một tác giả."]


@pytest.mark.parametrize(
    "born",
    [
        datetime.date(2026, 12, 6),  # in the future
        datetime.date(2015, 1, 1),  # a child of eleven
        datetime.date(1926, 12, 3),  # a hundred years and a day
        datetime.date(1, 1, 1),
        datetime.date(9999, 12, 31),
    ],
)
def test_a_birth_date_outside_16_to_100_years_ago_is_refused(db: None, born: datetime.date) -> None:
    rows = seed_authors()
    rows[0]["date_of_birth"] = born
    with on_day(datetime.date(2026, 12, 4)):
        messages = _messages(rows)
    assert "Dòng 1: ngày sinh phải từ ngày 04/12/1926 đến ngày 04/12/2010." in messages


def test_a_birth_date_16_or_100_years_ago_is_accepted(db: None) -> None:
    rows = seed_authors()
    rows[0]["date_of_birth"], rows[1]["date_of_birth"] = (
        datetime.date(1926, 12, 4),
        datetime.date(2010, 12, 4),
    )
    with on_day(datetime.date(2026, 12, 4)):
        validate_authors(rows)


def test_every_problem_is_listed_at_once(db: None) -> None:
    rows = seed_authors()
    rows[0]["share"] = Decimal("10")
    rows[2]["is_lead"] = False
    rows[1]["full_name"] = ""
    messages = _messages(rows)
    assert len(messages) == 3


def test_text_is_trimmed_and_composed(db: None) -> None:
    rows = seed_authors()
    rows[0]["workplace"] = "  Văn phòng\tUBND   tỉnh "
    rows[0]["contribution"] = "Dòng một\nDòng hai  "
    cleaned = validate_authors(rows)[0]
    assert cleaned["workplace"] == "Văn phòng UBND tỉnh"
    assert cleaned["contribution"] == "Dòng một\nDòng hai"


@pytest.mark.parametrize(
    "breakage",
    ["sum_99_99", "sum_100_01", "duplicate", "no_lead", "two_leads"],
)
def test_a_refused_table_saves_no_dossier_and_no_event(org: Org, people: People, breakage: str) -> None:
    rows = seed_authors()
    if breakage == "sum_99_99":
        rows[0]["share"] = Decimal("29.99")
    elif breakage == "sum_100_01":
        rows[0]["share"] = Decimal("30.01")
    elif breakage == "duplicate":
        rows[1].update(full_name=rows[0]["full_name"], date_of_birth=rows[0]["date_of_birth"])
    elif breakage == "no_lead":
        rows[2]["is_lead"] = False
    else:
        rows[1]["is_lead"] = True
    with pytest.raises(ValidationError):
        make_draft(actor=people.unit_staff, unit=org.science, authors=rows)
    assert not Initiative.objects.exists()
    assert not Authorship.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="initiative.").exists()
