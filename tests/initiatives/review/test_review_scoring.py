"""Scoring: members score independently and see nobody else's scores until the round is
closed; the aggregates after close; the vote rule and the decision per dossier."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from caicach.core.models import AuditEvent, Notification
from caicach.core.permissions import can
from caicach.initiatives.models import (
    Council,
    Criterion,
    Initiative,
    InitiativeStatus,
    Recognition,
    RecognitionLevel,
    ReviewAssignment,
    ReviewScore,
    RoundStatus,
)
from caicach.initiatives.review.queries import (
    DossierAggregate,
    RankedDossiers,
    dossier_aggregates,
    member_progress,
    visible_assignments,
)
from caicach.initiatives.review.services import (
    council_member_add,
    recognition_record,
    review_assign,
    review_save,
    review_submit,
    round_close,
    vote_outcome,
)
from tests.conftest import Org, People
from tests.core.factories import make_user
from tests.initiatives.factories import Board, fill_sheets, make_board, make_dossier

CENT = Decimal("0.01")


@pytest.fixture
def board(org: Org, people: People) -> Board:
    return make_board(org, people)


@pytest.fixture
def dossier(board: Board, org: Org, people: People) -> Initiative:
    initiative = make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    return initiative


def sheet_of(board: Board, seat_name: str, initiative: Initiative) -> ReviewAssignment:
    return ReviewAssignment.objects.get(initiative=initiative, member=getattr(board, seat_name))


def criteria_ids(board: Board) -> list[int]:
    return list(board.rubric.criteria.order_by("position").values_list("pk", flat=True))


def score(
    board: Board, seat_name: str, initiative: Initiative, values: list[str], *, submit: bool = True
) -> ReviewAssignment:
    sheet = sheet_of(board, seat_name, initiative)
    user = sheet.member.user
    points = dict(zip(criteria_ids(board), [Decimal(v) for v in values], strict=True))
    service = review_submit if submit else review_save
    return service(assignment=sheet, actor=user, points=points, comment="Nhận xét", version=sheet.version)


# --- Scoring ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["-1", "10", "10"], "phải từ 0 đến 30"),
        (["30.01", "10", "10"], "phải từ 0 đến 30"),
        (["10", "41", "10"], "phải từ 0 đến 40"),
        (["10.125", "10", "10"], "hai chữ số thập phân"),
        (["mười", "10", "10"], "phải là một số"),
    ],
)
def test_points_outside_the_criterion_or_too_precise_are_refused(
    board: Board, dossier: Initiative, values: list[str], message: str
) -> None:
    sheet = sheet_of(board, "member_seat", dossier)
    points = dict(zip(criteria_ids(board), values, strict=True))
    with pytest.raises(ValidationError) as error:
        review_save(assignment=sheet, actor=board.member, points=points, comment="", version=sheet.version)
    assert message in " ".join(error.value.messages)
    sheet.refresh_from_db()
    assert sheet.total is None and sheet.version == 1 and not ReviewScore.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


def test_a_draft_keeps_partial_points_and_a_submitted_sheet_is_locked(
    board: Board, dossier: Initiative
) -> None:
    sheet = sheet_of(board, "member_seat", dossier)
    first = criteria_ids(board)[0]
    sheet = review_save(
        assignment=sheet, actor=board.member, points={first: Decimal("25.5")}, comment="Tốt", version=1
    )
    assert sheet.total == Decimal("25.5") and sheet.submitted_at is None and sheet.comment == "Tốt"
    assert AuditEvent.objects.filter(action="review.save", object_id=str(sheet.pk)).exists()
    with pytest.raises(ValidationError) as error:  # submitting needs every criterion
        review_submit(
            assignment=sheet, actor=board.member, points={first: 25}, comment="", version=sheet.version
        )
    assert "Hiệu quả" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):  # a stale copy of the sheet
        review_save(assignment=sheet, actor=board.member, points={first: 1}, comment="", version=1)
    sheet = score(board, "member_seat", dossier, ["25.5", "30", "20.25"])
    assert sheet.total == Decimal("75.75") and sheet.submitted_at is not None
    assert not can(board.member, "score", sheet)
    with pytest.raises(ValidationError):
        review_save(
            assignment=sheet, actor=board.member, points={first: 1}, comment="", version=sheet.version
        )
    assert ReviewAssignment.objects.get(pk=sheet.pk).total == Decimal("75.75")


def test_only_the_assigned_member_scores_their_sheet(
    board: Board, dossier: Initiative, people: People
) -> None:
    sheet = sheet_of(board, "member_seat", dossier)
    for intruder in (board.chair, people.reform_officer, people.admin):
        assert not can(intruder, "score", sheet)
        with pytest.raises(PermissionDenied):
            review_save(assignment=sheet, actor=intruder, points={}, comment="", version=sheet.version)


def test_members_do_not_see_each_others_scores_before_the_round_closes(
    board: Board, dossier: Initiative, people: People
) -> None:
    mine = score(board, "member_seat", dossier, ["20", "30", "20"])
    theirs = score(board, "chair_seat", dossier, ["10", "10", "10"])
    # Rule level.
    assert can(board.member, "view", mine) and not can(board.member, "view", theirs)
    assert not can(people.reform_officer, "view", theirs) and not can(board.secretary, "view", theirs)
    assert not can(board.member, "results", board.council)
    # Query level: own sheets only, and no aggregates at all.
    assert list(visible_assignments(board.member, board.council)) == [mine]
    assert list(visible_assignments(people.reform_officer, board.council)) == []
    assert dossier_aggregates(board.council) == []
    # Progress counts are for those who run the council; they carry no score.
    progress = {p.member.user_id: (p.assigned, p.submitted) for p in member_progress(board.council)}
    assert progress[board.member.pk] == (1, 1) and progress[board.secretary.pk] == (1, 0)

    round_close(council=board.council, actor=board.secretary, confirm_missing=True)
    council = Council.objects.select_related("campaign").get(pk=board.council.pk)
    theirs = ReviewAssignment.objects.get(pk=theirs.pk)
    assert can(board.member, "view", theirs) and can(people.reform_officer, "view", theirs)
    assert set(visible_assignments(board.member, council)) == set(
        ReviewAssignment.objects.filter(initiative=dossier)
    )


def test_an_excluded_member_does_not_see_that_dossiers_sheets_even_after_close(
    org: Org, people: People, board: Board
) -> None:
    own_unit = make_dossier(board.campaign, org.science, title="Của Sở KH&CN")
    elsewhere = make_dossier(board.campaign, org.commune, title="Của xã")
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    fill_sheets(board.council, board.rubric, random.Random(5))
    round_close(council=board.council, actor=board.chair)
    council = Council.objects.select_related("campaign").get(pk=board.council.pk)
    seen = {a.initiative_id for a in visible_assignments(board.colleague, council)}
    assert seen == {own_unit.pk, elsewhere.pk}  # own_unit: only their own (excluded) row
    others = ReviewAssignment.objects.filter(initiative=own_unit).exclude(member=board.colleague_seat)
    assert not any(can(board.colleague, "view", sheet) for sheet in others)
    assert all(can(board.member, "view", sheet) for sheet in others)
    # The rule and the query agree for everyone who might ask.
    for user in (
        board.chair,
        board.secretary,
        board.member,
        board.colleague,
        people.reform_officer,
        people.outsider,
    ):
        allowed = {a.pk for a in ReviewAssignment.objects.all() if can(user, "view", a)}
        assert set(visible_assignments(user, council).values_list("pk", flat=True)) == allowed, user.username


# --- Closing the round --------------------------------------------------------------------


def test_who_may_close_the_round(board: Board, dossier: Initiative, people: People, org: Org) -> None:
    fill_sheets(board.council, board.rubric, random.Random(1))
    for refused in (board.member, board.colleague, people.unit_head, people.outsider):
        assert not can(refused, "close_round", board.council)
        with pytest.raises(PermissionDenied):
            round_close(council=board.council, actor=refused)
    for allowed in (board.chair, board.secretary, people.reform_officer, people.admin):
        assert can(allowed, "close_round", board.council), allowed.username
    district_officer = make_user("huyen.cchc2", unit=org.district_home_affairs)
    assert not can(district_officer, "close_round", board.council)
    council = round_close(council=board.council, actor=board.secretary)
    assert council.round_status == RoundStatus.CLOSED and council.round_closed_by == board.secretary
    assert AuditEvent.objects.filter(action="council.round_close", object_id=str(council.pk)).exists()
    assert Notification.objects.filter(recipient=board.member, title__contains="khóa vòng chấm").exists()
    with pytest.raises(ValidationError):
        round_close(council=board.council, actor=board.chair)


def test_closing_with_missing_sheets_names_them_and_needs_confirmation(
    board: Board, dossier: Initiative
) -> None:
    score(board, "chair_seat", dossier, ["10", "10", "10"])
    with pytest.raises(ValidationError) as error:
        round_close(council=board.council, actor=board.secretary)
    message = error.value.messages[0]
    assert "Còn 3 phiếu chấm chưa nộp" in message
    assert "Đỗ Thành Viên" in message and "Võ Hội Đồng" in message and "Lâm Chủ Tịch" not in message
    assert Council.objects.get(pk=board.council.pk).round_status == RoundStatus.OPEN
    round_close(council=board.council, actor=board.secretary, confirm_missing=True)
    assert Council.objects.get(pk=board.council.pk).round_status == RoundStatus.CLOSED
    # Nobody scores after the close.
    sheet = sheet_of(board, "member_seat", dossier)
    assert not can(board.member, "score", sheet)
    with pytest.raises(ValidationError):
        score(board, "member_seat", dossier, ["1", "1", "1"])


# --- Aggregates -----------------------------------------------------------------------------


def test_the_aggregates_match_a_plain_python_recount(org: Org, people: People, board: Board) -> None:
    rng = random.Random(20240510)
    for n in range(6):
        make_dossier(board.campaign, org.commune if n % 2 else org.science, title=f"Sáng kiến {n}")
    council_member_add(
        council=board.council, actor=people.reform_officer, user=make_user("hd5"), role="member"
    )
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    fill_sheets(board.council, board.rubric, rng)
    # One sheet left unsubmitted: it must not count.
    unsubmitted = ReviewAssignment.objects.filter(excluded=False).order_by("pk").first()
    assert unsubmitted is not None
    ReviewAssignment.objects.filter(pk=unsubmitted.pk).update(submitted_at=None)
    round_close(council=board.council, actor=board.chair, confirm_missing=True)
    council = Council.objects.select_related("campaign").get(pk=board.council.pk)

    expected: dict[int, list[Decimal]] = {}
    per_criterion: dict[tuple[int, int], list[Decimal]] = {}
    for sheet in ReviewAssignment.objects.filter(excluded=False, submitted_at__isnull=False):
        expected.setdefault(sheet.initiative_id, []).append(sheet.total)  # type: ignore[arg-type]
        for row in ReviewScore.objects.filter(assignment=sheet):
            per_criterion.setdefault((sheet.initiative_id, row.criterion_id), []).append(row.points)

    def mean(values: list[Decimal]) -> Decimal:
        return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)

    aggregates = dossier_aggregates(council)
    assert len(aggregates) == 6
    for aggregate in aggregates:
        totals = expected[aggregate.initiative.pk]
        assert aggregate.count == len(totals)
        assert aggregate.mean == mean(totals)
        assert (aggregate.minimum, aggregate.maximum) == (min(totals), max(totals))
        assert aggregate.spread == max(totals) - min(totals)
        assert aggregate.needs_discussion == (max(totals) - min(totals) > board.rubric.disagreement_threshold)
        assert aggregate.passed == (mean(totals) >= board.rubric.pass_mark)
        for criterion, value in aggregate.criterion_means:
            assert value == mean(per_criterion[(aggregate.initiative.pk, criterion.pk)])
    # Ranked by mean, highest first; the same data recounted gives the same order.
    means = [a.mean for a in aggregates]
    assert means == sorted((m for m in means if m is not None), reverse=True)
    assert next(a.rank for a in aggregates) == 1
    # The results page's pages, built row by row, are the same list cut in pieces.
    ranked = RankedDossiers(council, board.rubric)
    pages = [ranked[start : start + 4] for start in range(0, len(ranked), 4)]
    assert len(ranked) == 6 and [len(page) for page in pages] == [4, 2]
    assert [_row(a) for page in pages for a in page] == [_row(a) for a in aggregates]


def _row(a: DossierAggregate) -> tuple[object, ...]:
    return (a.initiative.pk, a.rank, a.count, a.mean, a.minimum, a.maximum, a.passed, a.criterion_means)


def test_equal_means_share_a_rank(org: Org, people: People, board: Board) -> None:
    dossiers = [make_dossier(board.campaign, org.commune, title=t) for t in ("A", "B", "C")]
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    for dossier, values in zip(
        dossiers, (["20", "20", "20"], ["30", "30", "30"], ["20", "20", "20"]), strict=True
    ):
        for seat in ("chair_seat", "secretary_seat", "member_seat", "colleague_seat"):
            score(board, seat, dossier, values)
    round_close(council=board.council, actor=board.chair)
    council = Council.objects.select_related("campaign").get(pk=board.council.pk)
    expected = [("B", 1), ("A", 2), ("C", 2)]
    assert [(a.initiative.title, a.rank) for a in dossier_aggregates(council)] == expected
    ranked = RankedDossiers(council, board.rubric)
    assert [(a.initiative.title, a.rank) for a in ranked[1:3]] == expected[1:]  # a page past the first


def test_the_kept_ranking_follows_a_changed_sheet_once_it_commits(
    org: Org,
    people: People,
    board: Board,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The results page's ranking is kept (caicach.core.choices.kept): built again, it reads
    nothing; a sheet changed is ranked as soon as its transaction commits."""
    first, second = (make_dossier(board.campaign, org.commune, title=t) for t in ("A", "B"))
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    for dossier, values in zip((first, second), (["30", "30", "30"], ["20", "20", "20"]), strict=True):
        for seat in ("chair_seat", "secretary_seat", "member_seat", "colleague_seat"):
            score(board, seat, dossier, values)
    round_close(council=board.council, actor=board.chair)
    council = Council.objects.select_related("campaign").get(pk=board.council.pk)
    assert RankedDossiers(council, board.rubric).order == [first.pk, second.pk]
    with django_assert_num_queries(0):
        assert RankedDossiers(council, board.rubric).ranks == {first.pk: 1, second.pk: 2}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ReviewAssignment.objects.filter(initiative=second).update(total=Decimal("99"))
    assert RankedDossiers(council, board.rubric).order == [second.pk, first.pk]


# --- The vote ------------------------------------------------------------------------------


def closed_with_mean(board: Board, dossier: Initiative, values: list[str]) -> None:
    for seat in ("chair_seat", "secretary_seat", "member_seat", "colleague_seat"):
        score(board, seat, dossier, values)
    round_close(council=board.council, actor=board.chair)


def test_two_of_three_present_is_enough_and_the_level_is_recorded(
    board: Board, dossier: Initiative, people: People
) -> None:
    closed_with_mean(board, dossier, ["20", "25", "20"])  # mean 65 >= 50
    with pytest.raises(ValidationError) as error:
        recognition_record(
            initiative=dossier,
            actor=board.secretary,
            members_present=3,
            votes_for=2,
            votes_against=1,
            level="",
            reasons="",
        )
    assert "level" in error.value.message_dict
    recognition = recognition_record(
        initiative=dossier, actor=board.secretary, members_present=3, votes_for=2, votes_against=1,
        level=RecognitionLevel.PROVINCIAL, reasons="",
    )  # fmt: skip
    assert recognition.recognised and recognition.level == RecognitionLevel.PROVINCIAL
    assert recognition.mean_score == Decimal("65.00")
    dossier.refresh_from_db()
    assert dossier.status == InitiativeStatus.RECOGNISED
    event = AuditEvent.objects.get(action="initiative.recognition_record", object_id=str(dossier.pk))
    assert event.changes["status"] == ["in_review", "recognised"]
    with pytest.raises(ValidationError):  # once only
        recognition_record(
            initiative=dossier, actor=board.secretary, members_present=3, votes_for=3, votes_against=0,
            level=RecognitionLevel.GRASSROOTS, reasons="",
        )  # fmt: skip


def test_five_of_eight_is_below_two_thirds_and_needs_reasons(
    org: Org, board: Board, dossier: Initiative, people: People
) -> None:
    for n in range(4):  # eight members in all
        council_member_add(
            council=board.council, actor=people.reform_officer, user=make_user(f"them{n}"), role="member"
        )
    closed_with_mean(board, dossier, ["25", "30", "25"])  # mean 80
    assert not vote_outcome(rubric=board.rubric, members_present=8, votes_for=5, mean=Decimal(80)).recognised
    assert vote_outcome(rubric=board.rubric, members_present=8, votes_for=6, mean=Decimal(80)).recognised
    with pytest.raises(ValidationError) as error:
        recognition_record(
            initiative=dossier, actor=board.chair, members_present=8, votes_for=5, votes_against=3,
            level=RecognitionLevel.PROVINCIAL, reasons="",
        )  # fmt: skip
    assert "5/8" in error.value.message_dict["reasons"][0] and "2/3" in error.value.message_dict["reasons"][0]
    assert not Recognition.objects.exists()
    recognition = recognition_record(
        initiative=dossier, actor=board.chair, members_present=8, votes_for=5, votes_against=3,
        level=RecognitionLevel.PROVINCIAL, reasons="Chưa đủ tỷ lệ tán thành.",
    )  # fmt: skip
    assert not recognition.recognised and recognition.level == "" and recognition.reasons
    dossier.refresh_from_db()
    assert dossier.status == InitiativeStatus.NOT_RECOGNISED


def test_a_mean_below_the_pass_mark_is_not_recognised_whatever_the_vote(
    board: Board, dossier: Initiative
) -> None:
    closed_with_mean(board, dossier, ["10", "20", "19.99"])  # 49.99 < 50
    with pytest.raises(ValidationError) as error:
        recognition_record(
            initiative=dossier, actor=board.chair, members_present=4, votes_for=4, votes_against=0,
            level=RecognitionLevel.GRASSROOTS, reasons="",
        )  # fmt: skip
    assert "49.99" in error.value.message_dict["reasons"][0]


@pytest.mark.parametrize(
    ("present", "for_", "against", "field"),
    [
        (5, 3, 0, "members_present"),
        (0, 0, 0, "members_present"),
        (3, 3, 1, "votes_for"),
        (3, -1, 0, "votes_for"),
    ],
)
def test_impossible_counts_are_refused(
    board: Board, dossier: Initiative, present: int, for_: int, against: int, field: str
) -> None:
    closed_with_mean(board, dossier, ["20", "20", "20"])
    with pytest.raises(ValidationError) as error:
        recognition_record(
            initiative=dossier,
            actor=board.chair,
            members_present=present,
            votes_for=for_,
            votes_against=against,
            level=RecognitionLevel.GRASSROOTS,
            reasons="",
        )
    assert field in error.value.message_dict
    assert not Recognition.objects.exists()


def test_excluded_members_do_not_count_as_voters(org: Org, people: People, board: Board) -> None:
    dossier = make_dossier(board.campaign, org.science)  # the colleague is excluded
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    for seat in ("chair_seat", "secretary_seat", "member_seat"):
        score(board, seat, dossier, ["20", "20", "20"])
    round_close(council=board.council, actor=board.chair)
    with pytest.raises(ValidationError) as error:
        recognition_record(
            initiative=dossier, actor=board.chair, members_present=4, votes_for=4, votes_against=0,
            level=RecognitionLevel.GRASSROOTS, reasons="",
        )  # fmt: skip
    assert "(3," in error.value.message_dict["members_present"][0]
    assert recognition_record(
        initiative=dossier, actor=board.chair, members_present=3, votes_for=2, votes_against=1,
        level=RecognitionLevel.GRASSROOTS, reasons="",
    ).recognised  # fmt: skip


def test_votes_are_recorded_only_after_close_by_those_who_run_the_council(
    board: Board, dossier: Initiative, people: People
) -> None:
    arguments = {
        "members_present": 3,
        "votes_for": 3,
        "votes_against": 0,
        "level": "grassroots",
        "reasons": "",
    }
    with pytest.raises(PermissionDenied):  # the round is still open
        recognition_record(initiative=dossier, actor=board.chair, **arguments)  # type: ignore[arg-type]
    closed_with_mean(board, dossier, ["20", "20", "20"])
    with pytest.raises(PermissionDenied):
        recognition_record(initiative=dossier, actor=board.member, **arguments)  # type: ignore[arg-type]
    assert recognition_record(initiative=dossier, actor=people.reform_officer, **arguments).recognised  # type: ignore[arg-type]


def test_a_results_rows_figures_are_its_cells_with_points_written_the_vietnamese_way() -> None:
    aggregate = DossierAggregate(
        initiative=Initiative(title="Sáng kiến"),
        count=3,
        mean=Decimal("8.50"),
        minimum=Decimal("7"),
        maximum=Decimal("10.25"),
        criterion_means=[(Criterion(name="Tính mới"), Decimal("4.333")), (Criterion(name="Hiệu quả"), None)],
    )
    with translation.override("vi"):
        cells = aggregate.score_cells()
    assert cells == (
        '<td class="num">3</td><td class="num"><strong>8,50</strong></td>'
        '<td class="num col-optional">7</td><td class="num col-optional">10,25</td>'
        '<td class="num col-optional">3,25</td>'
        '<td class="num col-optional">4,33</td><td class="num col-optional">—</td>'
    )
    unscored = DossierAggregate(
        initiative=Initiative(title="Chưa chấm"), criterion_means=[(Criterion(), None)]
    )
    assert unscored.score_cells().count("—") == 5 and "<strong>—</strong>" in unscored.score_cells()
