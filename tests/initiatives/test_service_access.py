"""The access contract for the campaign and council services: each checks the rule itself
(so the API and background tasks meet the same refusal as the pages) and a refused call
changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from caicach.core.models import User
from caicach.initiatives.campaigns.services import (
    campaign_close,
    campaign_create,
    campaign_extend_window,
    campaign_publish,
    campaign_update,
)
from caicach.initiatives.models import Campaign, Council, CouncilMember, CouncilRole, ReviewAssignment, Rubric
from caicach.initiatives.review.services import (
    council_member_add,
    council_member_remove,
    council_member_set_role,
    council_save,
    review_assign,
    rubric_create,
    rubric_update,
)
from tests.conftest import Org, People
from tests.initiatives.factories import Board, make_board, make_dossier
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(org: Org, people: People) -> Board:
    return make_board(org, people)


def state() -> tuple[Any, ...]:
    return (
        list(Campaign.objects.order_by("pk").values_list("version", "status", "title")),
        list(Council.objects.order_by("pk").values_list("version", "name")),
        list(CouncilMember.objects.order_by("pk").values_list("user_id", "role")),
        ReviewAssignment.objects.count(),
        list(Rubric.objects.order_by("pk").values_list("version", "name")),
    )


def refused(call: Callable[[], Any]) -> None:
    assert_refused(call, state)


def outsiders(people: People) -> list[User]:
    return [people.unit_staff, people.unit_head, people.office_officer, people.leader, people.outsider]


def test_only_reform_officers_create_campaigns(org: Org, people: People, board: Board) -> None:
    data = {"title": "Đợt khác", "issuing_unit": org.province, "receiving_unit": org.home_affairs}
    for actor in outsiders(people):
        refused(partial(campaign_create, actor=actor, data=data))


def test_only_the_campaigns_managers_edit_publish_extend_or_close_it(people: People, board: Board) -> None:
    campaign = board.campaign
    for actor in outsiders(people):
        refused(
            partial(
                campaign_update,
                campaign=campaign,
                actor=actor,
                data={"title": "Khác"},
                version=campaign.version,
            )
        )
        refused(partial(campaign_publish, campaign=campaign, actor=actor))
        refused(
            partial(
                campaign_extend_window, campaign=campaign, actor=actor, new_end=datetime.date(2030, 1, 1),
                reason="Gia hạn", version=campaign.version,
            )
        )  # fmt: skip
        refused(partial(campaign_close, campaign=campaign, actor=actor, version=campaign.version))


def test_only_managers_keep_rubrics_and_councils(org: Org, people: People, board: Board) -> None:
    rubric, council, seat = board.rubric, board.council, board.member_seat
    for actor in outsiders(people):
        refused(partial(rubric_create, actor=actor, data={"name": "Bộ khác", "pass_mark": 50}, criteria=[]))
        refused(
            partial(
                rubric_update,
                rubric=rubric,
                actor=actor,
                data={"name": "Khác"},
                criteria=[],
                version=rubric.version,
            )
        )
        refused(
            partial(
                council_save,
                campaign=board.campaign,
                actor=actor,
                data={"name": "Khác"},
                version=council.version,
            )
        )
        refused(
            partial(
                council_member_add,
                council=council,
                actor=actor,
                user=people.committee_member,
                role=CouncilRole.MEMBER,
            )
        )
        refused(partial(council_member_set_role, member=seat, actor=actor, role=CouncilRole.VICE_CHAIR))
        refused(partial(council_member_remove, member=seat, actor=actor))
    make_dossier(board.campaign, org.science)
    for actor in outsiders(people):
        refused(partial(review_assign, campaign=board.campaign, actor=actor))
    assert review_assign(campaign=board.campaign, actor=people.reform_officer)
