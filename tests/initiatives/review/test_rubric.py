"""Rubrics as data: criteria with caps and bands, the pass mark, the vote rule; locked once a
submitted sheet used them; managed by reform officers and administrators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent
from caicach.core.once import FIELD, new_token
from caicach.initiatives.models import Criterion, CriterionBand, Rubric
from caicach.initiatives.review.forms import parse_bands
from caicach.initiatives.review.rubrics import RUBRIC_80, RUBRIC_100, ensure_demo_rubrics
from caicach.initiatives.review.services import (
    review_assign,
    review_save,
    review_submit,
    rubric_create,
    rubric_is_locked,
    rubric_update,
)
from tests.conftest import Org, People
from tests.initiatives.factories import make_board, make_dossier


def band(low: int, high: int, text: str = "Mức") -> dict[str, Any]:
    return {"min_points": Decimal(low), "max_points": Decimal(high), "description": text}


DATA = {"name": "Bộ tiêu chí thử", "description": "", "pass_mark": Decimal(50), "vote_numerator": 2,
        "vote_denominator": 3, "disagreement_threshold": Decimal(15)}  # fmt: skip


def criteria(*, novelty_bands: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    return [
        {
            "name": "Tính mới",
            "max_points": Decimal(30),
            "description": "",
            "bands": novelty_bands
            if novelty_bands is not None
            else [band(21, 30, "Tỉnh"), band(0, 20, "Huyện")],
        },
        {"name": "Hiệu quả", "max_points": Decimal(40), "description": "", "bands": []},
        {"name": "Khả năng nhân rộng", "max_points": Decimal(30), "description": "", "bands": []},
    ]


def test_a_rubric_is_created_with_its_criteria_and_bands_and_audited(people: People) -> None:
    rubric = rubric_create(actor=people.reform_officer, data=DATA, criteria=criteria())
    names = list(rubric.criteria.values_list("name", "max_points"))
    assert names == [
        ("Tính mới", Decimal(30)),
        ("Hiệu quả", Decimal(40)),
        ("Khả năng nhân rộng", Decimal(30)),
    ]
    # Highest band first, the order a scorer reads them in.
    bands = list(CriterionBand.objects.filter(criterion__rubric=rubric).values_list("description", flat=True))
    assert bands == ["Tỉnh", "Huyện"]
    event = AuditEvent.objects.get(action="rubric.create", object_id=str(rubric.pk))
    assert "Tính mới (30)" in str(event.changes["criteria"])


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([band(0, 20), band(20, 30)], "chồng lên nhau"),
        ([band(0, 31)], "0–30"),
        ([band(-1, 10)], "0–30"),
        ([band(10, 5)], "không lớn hơn"),
        ([band(0, 10, "")], "mô tả"),
    ],
)
def test_bad_bands_are_refused_and_nothing_is_saved(
    people: People, bands: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        rubric_create(actor=people.reform_officer, data=DATA, criteria=criteria(novelty_bands=bands))
    assert message in " ".join(error.value.messages)
    assert not Rubric.objects.exists() and not Criterion.objects.exists()
    assert not AuditEvent.objects.filter(action="rubric.create").exists()


def test_the_pass_mark_may_not_exceed_the_total(people: People) -> None:
    with pytest.raises(ValidationError) as error:
        rubric_create(
            actor=people.reform_officer, data={**DATA, "pass_mark": Decimal("100.01")}, criteria=criteria()
        )
    assert "pass_mark" in error.value.message_dict
    rubric = rubric_create(
        actor=people.reform_officer, data={**DATA, "pass_mark": Decimal(100)}, criteria=criteria()
    )
    assert rubric.pass_mark == 100


@pytest.mark.parametrize(("numerator", "denominator"), [(3, 2), (0, 3), (1, 0)])
def test_an_impossible_vote_rule_is_refused(people: People, numerator: int, denominator: int) -> None:
    with pytest.raises(ValidationError) as error:
        rubric_create(
            actor=people.reform_officer,
            data={**DATA, "vote_numerator": numerator, "vote_denominator": denominator},
            criteria=criteria(),
        )
    assert "vote_numerator" in error.value.message_dict


def test_a_rubric_needs_criteria_with_distinct_names_and_positive_caps(people: People) -> None:
    for rows in (
        [],
        [{"name": "Tính mới", "max_points": Decimal(30)}, {"name": "tinh moi", "max_points": Decimal(10)}],
        [{"name": "Tính mới", "max_points": Decimal(0)}],
        [{"name": "Tính mới", "max_points": Decimal("10.125")}],
    ):
        with pytest.raises(ValidationError):
            rubric_create(actor=people.reform_officer, data={**DATA, "pass_mark": Decimal(5)}, criteria=rows)
    assert not Rubric.objects.exists()


def test_editing_keeps_criteria_by_id_and_records_the_change(people: People) -> None:
    rubric = rubric_create(actor=people.reform_officer, data=DATA, criteria=criteria())
    rows = [
        {"id": c.pk, "name": c.name, "max_points": c.max_points, "bands": []} for c in rubric.criteria.all()
    ]
    first = rows[0]["id"]
    rows[0]["name"] = "Tính mới, sáng tạo"
    rows = [*rows[:2], {"name": "Khả năng áp dụng", "max_points": Decimal(30)}]
    updated = rubric_update(rubric=rubric, actor=people.reform_officer, data=DATA, criteria=rows, version=1)
    assert updated.version == 2
    assert list(updated.criteria.values_list("name", flat=True)) == [
        "Tính mới, sáng tạo",
        "Hiệu quả",
        "Khả năng áp dụng",
    ]
    assert updated.criteria.first().pk == first  # type: ignore[union-attr]
    event = AuditEvent.objects.get(action="rubric.update")
    assert "Khả năng nhân rộng (30)" in str(event.changes["criteria"][0])
    with pytest.raises(ValidationError):  # a stale form
        rubric_update(rubric=rubric, actor=people.reform_officer, data=DATA, criteria=rows, version=1)


def test_a_rubric_used_by_a_submitted_sheet_is_locked(org: Org, people: People) -> None:
    board = make_board(org, people)
    dossier = make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    sheet = dossier.review_assignments.get(member=board.member_seat)
    points = {c.pk: Decimal(10) for c in board.rubric.criteria.all()}
    sheet = review_save(
        assignment=sheet, actor=board.member, points=points, comment="", version=sheet.version
    )
    assert not rubric_is_locked(board.rubric)  # a draft does not lock it
    review_submit(assignment=sheet, actor=board.member, points=points, comment="", version=sheet.version)
    assert rubric_is_locked(board.rubric)
    with pytest.raises(ValidationError) as error:
        rubric_update(
            rubric=board.rubric, actor=people.reform_officer, data=RUBRIC_100["data"],
            criteria=RUBRIC_100["criteria"], version=board.rubric.version,
        )  # fmt: skip
    assert "không thể sửa" in error.value.messages[0]


def test_the_demo_ships_two_real_style_rubrics_once(people: People) -> None:
    first, second = ensure_demo_rubrics(people.admin)
    assert [(c.name, int(c.max_points)) for c in first.criteria.all()] == [
        ("Tính mới", 30), ("Hiệu quả", 40), ("Khả năng nhân rộng", 30),
    ]  # fmt: skip
    assert [c.max_points for c in second.criteria.all()] == [20, 30, 30]
    assert first.pass_mark == 50 and second.pass_mark == 50
    assert CriterionBand.objects.filter(criterion__rubric=first).count() == 10
    assert ensure_demo_rubrics(people.admin) == (first, second)
    assert Rubric.objects.count() == 2
    assert second.name == RUBRIC_80["data"]["name"]


def test_bands_are_read_one_per_line() -> None:
    assert parse_bands("21–30: Có tính mới trong phạm vi tỉnh\n\n0 - 10,5 điểm: Thấp") == [
        {
            "min_points": Decimal(21),
            "max_points": Decimal(30),
            "description": "Có tính mới trong phạm vi tỉnh",
        },
        {"min_points": Decimal(0), "max_points": Decimal("10.5"), "description": "Thấp"},
    ]
    with pytest.raises(ValidationError):
        parse_bands("từ hai mươi đến ba mươi")


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def rubric(people: People) -> Rubric:
    return ensure_demo_rubrics(people.admin)[0]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("reform_officer", 200), ("council_member", 404), ("unit_head", 404), ("outsider", 404)],
)
def test_rubric_pages_are_for_reform_officers_and_administrators(
    client: Client, people: People, rubric: Rubric, persona: str, expected: int
) -> None:
    client.force_login(getattr(people, persona))
    for url in (
        reverse("initiatives:rubric_list"),
        reverse("initiatives:rubric_create"),
        reverse("initiatives:rubric_detail", args=[rubric.pk]),
        reverse("initiatives:rubric_edit", args=[rubric.pk]),
    ):
        assert client.get(url).status_code == expected, url


def test_anonymous_visitors_are_sent_to_log_in(client: Client, rubric: Rubric) -> None:
    response = client.get(reverse("initiatives:rubric_detail", args=[rubric.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def _formset_post(rows: list[dict[str, str]], **fields: str) -> dict[str, str]:
    data = {
        "name": "Bộ tiêu chí cấp huyện", "description": "", "pass_mark": "60", "vote_numerator": "2",
        "vote_denominator": "3", "disagreement_threshold": "15", "version": "",
        "criteria-TOTAL_FORMS": str(len(rows)), "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000", FIELD: new_token(),
    }  # fmt: skip
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{index}-{key}"] = value
    data.update(fields)
    return data


def test_a_reform_officer_creates_a_rubric_in_the_browser(client: Client, people: People) -> None:
    client.force_login(people.reform_officer)
    rows = [
        {"name": "Tính mới", "max_points": "30", "bands": "21-30: Tỉnh\n11–20: Huyện\n0—10: Đơn vị"},
        {"name": "Hiệu quả", "max_points": "70", "bands": ""},
        {"name": "", "max_points": "", "bands": ""},  # an empty extra row
    ]
    response = client.post(reverse("initiatives:rubric_create"), _formset_post(rows))
    rubric = Rubric.objects.get(name="Bộ tiêu chí cấp huyện")
    assert response.status_code == 302 and response["Location"] == reverse(
        "initiatives:rubric_detail", args=[rubric.pk]
    )
    assert rubric.criteria.count() == 2
    assert CriterionBand.objects.filter(criterion__rubric=rubric).count() == 3
    # Overlapping bands come back with the message, nothing saved.
    rows[0]["bands"] = "0-20: A\n15-30: B"
    response = client.post(reverse("initiatives:rubric_create"), _formset_post(rows, name="Khác"))
    assert response.status_code == 200 and "chồng lên nhau" in response.content.decode()
    assert not Rubric.objects.filter(name="Khác").exists()


def test_the_edit_page_refuses_a_locked_rubric(
    client: Client, org: Org, people: People, rubric: Rubric
) -> None:
    board = make_board(org, people, rubric=rubric)
    make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    sheet = board.member_seat.assignments.get()
    review_submit(
        assignment=sheet, actor=board.member, points={c.pk: 1 for c in rubric.criteria.all()}, comment="",
        version=sheet.version,
    )  # fmt: skip
    client.force_login(people.reform_officer)
    response = client.get(reverse("initiatives:rubric_edit", args=[rubric.pk]))
    assert response.status_code == 302
    assert "không thể sửa" in client.get(response["Location"]).content.decode()


def test_the_rubric_list_has_a_constant_query_count(
    client: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        rubric_create(actor=people.admin, data={**DATA, "name": f"Bộ {n:02d}"}, criteria=criteria())
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("initiatives:rubric_list"))
    html = response.content.decode()
    assert html.count("/bo-tieu-chi/") >= 25
    assert '<td class="num">100</td>' in html  # the total is not multiplied by the joins
