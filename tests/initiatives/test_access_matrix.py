"""The access matrix (role × action × dossier state), and the list query kept in
step with the ``view`` rule for every persona and every state.

The dossier is sent by the Department of Science & Technology to a campaign of the province
committee received by the Department of Home Affairs. Authors see and edit their own drafts;
the unit's head sees the unit's dossiers and confirms them; the province's reform officer
sees the dossier once it reached the campaign; council members see it only when it is
assigned to them (and not when excluded for a conflict of interest); anyone else: nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from caicach.core.models import Role, User
from caicach.core.permissions import can
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Council,
    CouncilMember,
    Initiative,
    InitiativeStatus,
    ReviewAssignment,
)
from tests.conftest import Org, People
from tests.core.factories import person

S = InitiativeStatus
ACTIONS = ("view", "change", "submit", "confirm", "receive", "manage")


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune], issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip


@pytest.fixture
def cast(org: Org, people: People) -> dict[str, User]:
    """Everyone who might try, keyed by what they are to the dossier."""
    return {
        "author": people.unit_staff,
        "co_author": person("dongtacgia", org.commune, Role.UNIT_STAFF, full_name="Đồng Tác Giả"),
        "unit_head": people.unit_head,
        "colleague": person("dongnghiep", org.science, Role.UNIT_STAFF, full_name="Đồng Nghiệp"),
        "reform_officer": people.reform_officer,
        "district_officer": person("huyen.cchc", org.district_home_affairs, Role.REFORM_OFFICER),
        "reviewer": people.council_member,
        "excluded_reviewer": person("hoidong2", org.home_affairs, Role.COUNCIL_MEMBER),
        "other_member": person("hoidong3", org.home_affairs, Role.COUNCIL_MEMBER),
        "office_officer": people.office_officer,
        "leader": people.leader,
        "outsider": people.outsider,
        "admin": people.admin,
    }


def make_dossier(campaign: Campaign, org: Org, cast: dict[str, User], status: str) -> Initiative:
    initiative = Initiative.objects.create(
        campaign=campaign, unit=org.science, title=f"Sáng kiến ở trạng thái {status}", status=status,
        created_by=cast["author"],
    )  # fmt: skip
    Authorship.objects.create(
        initiative=initiative, position=1, user=cast["author"], full_name="Nguyễn Thị Cán Bộ",
        share=Decimal("60"), is_lead=True,
    )  # fmt: skip
    Authorship.objects.create(
        initiative=initiative,
        position=2,
        user=cast["co_author"],
        full_name="Đồng Tác Giả",
        share=Decimal("40"),
    )
    council, _ = Council.objects.get_or_create(campaign=campaign, defaults={"name": "Hội đồng sáng kiến"})
    for key, excluded in (("reviewer", False), ("excluded_reviewer", True)):
        member, _ = CouncilMember.objects.get_or_create(council=council, user=cast[key])
        if status in (S.IN_REVIEW, S.RECOGNISED):
            ReviewAssignment.objects.create(initiative=initiative, member=member, excluded=excluded)
    CouncilMember.objects.get_or_create(council=council, user=cast["other_member"])
    return initiative


# Who may do what, per state. Anything not listed is refused.
EXPECTED: dict[str, dict[str, set[str]]] = {
    S.DRAFT: {
        "view": {"author", "co_author", "unit_head", "admin"},
        "change": {"author", "co_author", "admin"},
        "submit": {"author", "co_author", "admin"},
    },
    S.AWAITING_CONFIRMATION: {
        "view": {"author", "co_author", "unit_head", "admin"},
        "confirm": {"unit_head", "admin"},
    },
    S.SUBMITTED: {
        "view": {"author", "co_author", "unit_head", "reform_officer", "admin"},
        "receive": {"reform_officer", "admin"},
        "manage": {"reform_officer", "admin"},
    },
    S.RETURNED: {
        # The officer who returned it follows it until it comes back.
        "view": {"author", "co_author", "unit_head", "reform_officer", "admin"},
        "change": {"author", "co_author", "admin"},
        "submit": {"author", "co_author", "admin"},
    },
    S.IN_REVIEW: {
        "view": {"author", "co_author", "unit_head", "reform_officer", "reviewer", "admin"},
        "manage": {"reform_officer", "admin"},
    },
    S.RECOGNISED: {
        "view": {"author", "co_author", "unit_head", "reform_officer", "reviewer", "admin"},
        "manage": {"reform_officer", "admin"},
    },
}


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_role_may_do_exactly_what_the_matrix_allows(
    status: str, campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    initiative = make_dossier(campaign, org, cast, status)
    for action in ACTIONS:
        allowed = {key for key, user in cast.items() if can(user, action, initiative)}
        assert allowed == EXPECTED[status].get(action, set()), (status, action)


def test_the_list_query_agrees_with_the_view_rule_in_every_state(
    campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    dossiers = [make_dossier(campaign, org, cast, status) for status in S.values]
    # One dossier outside any campaign, sent by the commune: the province officer's
    # jurisdiction covers it once confirmed; the district's does not.
    Initiative.objects.create(
        unit=org.commune, title="Ngoài đợt", status=S.SUBMITTED, created_by=cast["co_author"]
    )
    everything = list(Initiative.objects.all())
    assert len(everything) == len(dossiers) + 1
    for key, user in cast.items():
        listed = set(initiatives_for(user).values_list("pk", flat=True))
        allowed = {d.pk for d in everything if can(user, "view", d)}
        assert listed == allowed, key
    assert set(initiatives_for(cast["outsider"])) == set()
    assert set(initiatives_for(cast["district_officer"])) == set()


def test_an_outsider_gets_404_on_every_dossier_page(
    client: Client, campaign: Campaign, org: Org, cast: dict[str, User]
) -> None:
    initiative = make_dossier(campaign, org, cast, S.SUBMITTED)
    client.force_login(cast["outsider"])
    assert client.get(initiative.get_absolute_url()).status_code == 404
    client.force_login(cast["reform_officer"])
    assert client.get(initiative.get_absolute_url()).status_code == 200
