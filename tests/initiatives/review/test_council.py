"""The council of a campaign: its members and roles, the assignment of dossiers with
conflict-of-interest exclusion (automatic and declared), and the reminders before the
scoring deadline."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core.calendar import queries as calendar
from caicach.core.models import AuditEvent, Membership, Notification, Role
from caicach.core.permissions import can
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.models import (
    Council,
    CouncilMember,
    CouncilRole,
    InitiativeStatus,
    ReviewAssignment,
    ReviewScore,
)
from caicach.initiatives.review.reminders import remind_reviewers, reminder_days
from caicach.initiatives.review.services import (
    council_member_add,
    council_member_remove,
    council_member_set_role,
    council_save,
    review_assign,
    review_declare_conflict,
    review_save,
    review_submit,
)
from tests.conftest import Org, People
from tests.core.factories import make_user, person
from tests.initiatives.factories import Board, make_board, make_campaign, make_dossier


@pytest.fixture
def board(org: Org, people: People) -> Board:
    return make_board(org, people)


# --- The council and its members ----------------------------------------------------------


def test_a_council_is_created_then_edited_with_its_version(org: Org, people: People) -> None:
    campaign = make_campaign(org, people)
    council = council_save(
        campaign=campaign, actor=people.reform_officer, data={"name": "Hội đồng sáng kiến"}
    )
    assert AuditEvent.objects.filter(action="council.create", object_id=str(council.pk)).exists()
    council = council_save(
        campaign=campaign, actor=people.reform_officer, data={"name": "Hội đồng sáng kiến tỉnh"}, version=1
    )
    assert council.version == 2 and Council.objects.get().name == "Hội đồng sáng kiến tỉnh"
    event = AuditEvent.objects.get(action="council.update")
    assert event.changes["name"] == ["Hội đồng sáng kiến", "Hội đồng sáng kiến tỉnh"]
    with pytest.raises(ValidationError):  # stale
        council_save(campaign=campaign, actor=people.reform_officer, data={"name": "Khác"}, version=1)
    with pytest.raises(ValidationError):
        council_save(campaign=campaign, actor=people.reform_officer, data={"name": "  "}, version=2)
    assert Council.objects.get().name == "Hội đồng sáng kiến tỉnh"


def test_a_council_has_one_chair_one_secretary_and_no_one_twice(
    board: Board, org: Org, people: People
) -> None:
    newcomer = person("moi.hd", org.office, Role.COUNCIL_MEMBER, full_name="Người Mới")
    with pytest.raises(ValidationError) as error:
        council_member_add(
            council=board.council, actor=people.reform_officer, user=newcomer, role=CouncilRole.CHAIR
        )
    assert "Lâm Chủ Tịch" in error.value.messages[0]
    with pytest.raises(ValidationError):
        council_member_add(
            council=board.council, actor=people.reform_officer, user=board.member, role="member"
        )
    with pytest.raises(ValidationError):
        council_member_set_role(
            member=board.member_seat, actor=people.reform_officer, role=CouncilRole.SECRETARY
        )
    assert CouncilMember.objects.filter(council=board.council).count() == 4
    seat = council_member_add(
        council=board.council, actor=people.reform_officer, user=newcomer, role=CouncilRole.VICE_CHAIR
    )
    assert seat.position == 5
    assert Notification.objects.filter(recipient=newcomer, title__contains=board.council.name).exists()
    assert (
        AuditEvent.objects.filter(action="council.member_add", object_id=str(board.council.pk)).count() == 5
    )


def test_scoring_cannot_start_without_a_chair_and_a_secretary(org: Org, people: People, board: Board) -> None:
    make_dossier(board.campaign, org.commune)
    council_member_remove(member=board.secretary_seat, actor=people.reform_officer)
    with pytest.raises(ValidationError) as error:
        review_assign(campaign=board.campaign, actor=people.reform_officer)
    assert "Thư ký Hội đồng" in error.value.messages[0]
    assert not ReviewAssignment.objects.exists()


def test_a_member_who_submitted_a_sheet_stays_on_the_council(org: Org, people: People, board: Board) -> None:
    make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    sheet = board.member_seat.assignments.get()
    review_submit(
        assignment=sheet,
        actor=board.member,
        points={c.pk: 5 for c in board.rubric.criteria.all()},
        comment="",
        version=sheet.version,
    )
    with pytest.raises(ValidationError):
        council_member_remove(member=board.member_seat, actor=people.reform_officer)
    # One without a submitted sheet goes, with their unsubmitted assignments.
    council_member_remove(member=board.chair_seat, actor=people.reform_officer)
    assert not CouncilMember.objects.filter(pk=board.chair_seat.pk).exists()
    assert ReviewAssignment.objects.filter(member__council=board.council).count() == 3


# --- Assignment and conflict of interest ---------------------------------------------------


def test_assignment_gives_every_accepted_dossier_to_every_member_and_moves_it_to_review(
    org: Org, people: People, board: Board
) -> None:
    accepted = [make_dossier(board.campaign, org.commune, title=f"Sáng kiến {n}") for n in range(3)]
    draft = make_dossier(board.campaign, org.commune, title="Bản nháp", status=InitiativeStatus.DRAFT)
    created = review_assign(campaign=board.campaign, actor=people.reform_officer)
    assert len(created) == 3 * 4
    for dossier in accepted:
        dossier.refresh_from_db()
        assert dossier.status == InitiativeStatus.IN_REVIEW and dossier.version == 2
    draft.refresh_from_db()
    assert draft.status == InitiativeStatus.DRAFT and not draft.review_assignments.exists()
    events = AuditEvent.objects.filter(action="initiative.review_assign")
    assert events.count() == 3 and events.first().changes["status"] == ["accepted", "in_review"]  # type: ignore[union-attr]
    members = set(
        Notification.objects.filter(title__contains="giao chấm").values_list("recipient_id", flat=True)
    )
    assert members == {board.chair.pk, board.secretary.pk, board.member.pk, board.colleague.pk}
    # Running it again with nothing left to accept is refused; a member who joins later gets
    # the dossiers already in review when they are chosen.
    with pytest.raises(ValidationError):
        review_assign(campaign=board.campaign, actor=people.reform_officer)
    late = council_member_add(
        council=board.council,
        actor=people.reform_officer,
        user=make_user("muon", unit=org.office),
        role="member",
    )
    created = review_assign(campaign=board.campaign, actor=people.reform_officer, initiatives=accepted)
    assert {a.member_id for a in created} == {late.pk} and len(created) == 3


def test_an_author_and_the_authors_colleagues_are_excluded_with_the_reason(
    org: Org, people: People, board: Board
) -> None:
    # The member is an author with an account; the colleague works in the dossier's unit.
    by_member = make_dossier(board.campaign, org.science, title="Của thành viên", author=board.member)
    # The chair created the dossier on the authors' behalf (no Authorship row of theirs).
    by_chair = make_dossier(board.campaign, org.commune, title="Do chủ tịch lập", created_by=board.chair)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    excluded = {
        (a.initiative_id, a.member_id): a.exclusion_reason
        for a in ReviewAssignment.objects.filter(excluded=True)
    }
    assert excluded == {
        (by_member.pk, board.member_seat.pk): "Là tác giả của sáng kiến.",
        (by_member.pk, board.colleague_seat.pk): "Cùng đơn vị với tác giả (Sở Khoa học và Công nghệ).",
        (by_chair.pk, board.chair_seat.pk): "Là tác giả của sáng kiến.",
    }
    # Excluded members neither see nor score the dossier.
    sheet = ReviewAssignment.objects.get(initiative=by_member, member=board.colleague_seat)
    assert not can(board.colleague, "score", sheet)
    assert not can(board.colleague, "view", by_member) and by_member not in initiatives_for(board.colleague)
    assert can(board.colleague, "view", by_chair) and by_chair in initiatives_for(board.colleague)


def test_a_role_held_in_the_dossiers_unit_counts_as_the_same_unit(
    org: Org, people: People, board: Board
) -> None:
    # The ordinary member works in the Office but also holds an active role in the commune.
    Membership.objects.create(user=board.member, unit=org.commune, role=Role.UNIT_STAFF)
    inactive = person("cu.hd", org.office, Role.COUNCIL_MEMBER)
    Membership.objects.create(user=inactive, unit=org.commune, role=Role.UNIT_STAFF, is_active=False)
    seat = council_member_add(
        council=board.council, actor=people.reform_officer, user=inactive, role="member"
    )
    dossier = make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    assert ReviewAssignment.objects.get(initiative=dossier, member=board.member_seat).excluded
    assert not ReviewAssignment.objects.get(initiative=dossier, member=seat).excluded


def test_only_accepted_dossiers_of_the_campaign_and_its_own_members_can_be_chosen(
    org: Org, people: People, board: Board
) -> None:
    submitted = make_dossier(board.campaign, org.commune, status=InitiativeStatus.SUBMITTED)
    other = make_dossier(make_campaign(org, people, board.rubric), org.commune)
    accepted = make_dossier(board.campaign, org.commune)
    for chosen in ([submitted], [other], []):
        with pytest.raises(ValidationError):
            review_assign(campaign=board.campaign, actor=people.reform_officer, initiatives=chosen)
    stranger = CouncilMember(pk=999_999)
    with pytest.raises(ValidationError):
        review_assign(campaign=board.campaign, actor=people.reform_officer, members=[stranger])
    created = review_assign(
        campaign=board.campaign, actor=people.reform_officer, initiatives=[accepted],
        members=[board.chair_seat, board.secretary_seat],
    )  # fmt: skip
    assert {a.member_id for a in created} == {board.chair_seat.pk, board.secretary_seat.pk}


def test_a_member_declares_a_conflict_and_is_excluded(org: Org, people: People, board: Board) -> None:
    dossier = make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    sheet = ReviewAssignment.objects.get(initiative=dossier, member=board.member_seat)
    sheet = review_save(
        assignment=sheet, actor=board.member, points={board.rubric.criteria.first().pk: 10},  # type: ignore[union-attr]
        comment="", version=sheet.version,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):  # only the member themselves
        review_declare_conflict(assignment=sheet, actor=board.chair, reason="Người thân")
    with pytest.raises(ValidationError):
        review_declare_conflict(assignment=sheet, actor=board.member, reason="  ")
    review_declare_conflict(assignment=sheet, actor=board.member, reason="Là người hướng dẫn tác giả")
    sheet.refresh_from_db()
    assert sheet.excluded and sheet.exclusion_reason == "Tự khai báo: Là người hướng dẫn tác giả"
    assert sheet.total is None and not ReviewScore.objects.filter(assignment=sheet).exists()
    assert AuditEvent.objects.filter(action="review.declare_conflict", object_id=str(sheet.pk)).exists()
    told = set(Notification.objects.filter(title__contains="xung đột").values_list("recipient_id", flat=True))
    assert told == {board.chair.pk, board.secretary.pk}
    assert not can(board.member, "score", sheet) and not can(board.member, "view", dossier)
    with pytest.raises(ValidationError):
        review_declare_conflict(assignment=sheet, actor=board.member, reason="Lần nữa")


# --- Reminders ------------------------------------------------------------------------------


def test_members_with_sheets_to_submit_are_reminded_before_the_deadline(
    org: Org, people: People, board: Board
) -> None:
    deadline = datetime.date(2024, 8, 30)  # a Friday
    first, second = make_dossier(board.campaign, org.commune), make_dossier(board.campaign, org.science)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    sheet = ReviewAssignment.objects.get(initiative=first, member=board.member_seat)
    points = {c.pk: Decimal(1) for c in board.rubric.criteria.all()}
    review_submit(assignment=sheet, actor=board.member, points=points, comment="", version=sheet.version)
    sheet = ReviewAssignment.objects.get(initiative=second, member=board.member_seat)
    review_submit(assignment=sheet, actor=board.member, points=points, comment="", version=sheet.version)
    before = calendar.working_day_before(deadline, 2)
    assert reminder_days(board.council) == {before, deadline}

    remind_reviewers(before - datetime.timedelta(days=1))
    assert not Notification.objects.filter(title__startswith="Nhắc chấm điểm").exists()
    remind_reviewers(before)
    reminded = set(
        Notification.objects.filter(title__startswith="Nhắc chấm điểm").values_list("recipient_id", flat=True)
    )
    # The member has submitted everything; the colleague is excluded from the second dossier
    # but still owes the first one.
    assert reminded == {board.chair.pk, board.secretary.pk, board.colleague.pk}
    body = Notification.objects.filter(title__startswith="Nhắc chấm điểm").first().body  # type: ignore[union-attr]
    assert "30/08/2024" in body


def test_no_reminder_once_the_round_is_closed_or_without_a_deadline(
    org: Org, people: People, board: Board
) -> None:
    make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    Council.objects.filter(pk=board.council.pk).update(round_status="closed")
    remind_reviewers(datetime.date(2024, 8, 30))
    Council.objects.filter(pk=board.council.pk).update(round_status="open", scoring_deadline=None)
    remind_reviewers(datetime.date(2024, 8, 30))
    assert not Notification.objects.filter(title__startswith="Nhắc chấm điểm").exists()
