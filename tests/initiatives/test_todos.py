"""What the dossiers' workflow puts on the home page: dossiers to confirm (the unit head), to
receive (the reform officer where they were sent), to score (a council member) and one's own
dossiers returned for completion (an author).

Each kind's filter is the role branch of a workflow rule, kept in step with it for every
persona in every state (the administrator's bypass left out); each entry reaches the right
person only, links to the page where the work is done, and goes away once it is done."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client

from caicach.core.models import Role, User
from caicach.core.permissions import can
from caicach.initiatives.dossiers.rules import returned_to, to_confirm_by, to_receive_by
from caicach.initiatives.models import Initiative, InitiativeStatus, ReviewAssignment
from caicach.initiatives.review.rules import to_score_by
from caicach.initiatives.review.services import review_assign, review_submit
from caicach.initiatives.workflow.services import initiative_accept, initiative_confirm, initiative_return
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.factories import complete_draft, make_board, make_dossier, province_campaign, submit
from tests.initiatives.test_access_matrix import campaign, cast  # noqa: F401  (fixtures)
from tests.initiatives.test_access_matrix import make_dossier as make_matrix_dossier

pytestmark = pytest.mark.django_db

S = InitiativeStatus


def todo_keys(client: Client, user: User) -> dict[str, list[str]]:
    """The home page's to-do kinds for ``user``, each with the links of its rows."""
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return {entry.key: [item.url for item in entry.items] for entry in response.context["todos"]}


# --- The filters and their rules ------------------------------------------------------------------


def test_each_dossier_filter_agrees_with_its_rule_for_every_persona_in_every_state(
    campaign: object,  # noqa: F811
    org: Org,
    cast: dict[str, User],  # noqa: F811
) -> None:
    for status in S.values:
        make_matrix_dossier(campaign, org, cast, status)  # type: ignore[arg-type]
    everything = list(Initiative.objects.all())
    kinds: tuple[tuple[Callable[[User], Q], Callable[[User, Initiative], bool]], ...] = (
        (to_confirm_by, lambda user, d: can(user, "confirm", d)),
        (to_receive_by, lambda user, d: can(user, "receive", d)),
        (returned_to, lambda user, d: d.status == S.RETURNED and can(user, "change", d)),
    )
    for where, rule in kinds:
        for key, user in cast.items():
            listed = set(Initiative.objects.filter(where(user)).values_list("pk", flat=True))
            if key == "admin":  # the bypass is not the administrator's work
                assert listed == set(), where.__name__
                continue
            allowed = {d.pk for d in everything if rule(user, d)}
            assert listed == allowed, (where.__name__, key)


def test_the_scoring_filter_agrees_with_the_score_rule_for_every_persona(
    campaign: object,  # noqa: F811
    org: Org,
    cast: dict[str, User],  # noqa: F811
) -> None:
    for status in S.values:
        make_matrix_dossier(campaign, org, cast, status)  # type: ignore[arg-type]
    sheets = list(ReviewAssignment.objects.select_related("member__council", "initiative"))
    assert sheets
    for key, user in cast.items():
        listed = set(ReviewAssignment.objects.filter(to_score_by(user)).values_list("pk", flat=True))
        allowed = {sheet.pk for sheet in sheets if can(user, "score", sheet)}
        assert listed == allowed, key
    assert ReviewAssignment.objects.filter(to_score_by(cast["reviewer"])).exists()


# --- On the home page ----------------------------------------------------------------------------


def sent_by_staff(org: Org, people: People) -> Initiative:
    """A complete dossier of Science & Technology sent by its author to the province campaign."""
    draft = complete_draft(
        author=people.unit_staff, unit=org.science, campaign=province_campaign(org, people)
    )
    return submit(draft, people.unit_staff)


def test_a_dossier_waits_on_its_unit_heads_home_page_until_confirmed_then_on_the_reform_officers(
    client: Client, org: Org, people: People, committed: Any
) -> None:
    dossier = sent_by_staff(org, people)
    url = f"/sang-kien/ho-so/{dossier.pk}/"
    assert dossier.get_absolute_url() == url
    assert todo_keys(client, people.unit_head) == {"initiatives.confirm": [url]}
    for persona in ("unit_staff", "reform_officer", "office_officer", "council_member", "leader", "outsider"):
        assert "initiatives.confirm" not in todo_keys(client, getattr(people, persona)), persona
    other_head = person("truong.xa", org.commune, Role.UNIT_HEAD)  # the head of another unit
    assert "initiatives.confirm" not in todo_keys(client, other_head)

    with committed():
        initiative_confirm(initiative=dossier, actor=people.unit_head)
    assert "initiatives.confirm" not in todo_keys(client, people.unit_head)
    assert todo_keys(client, people.reform_officer) == {"initiatives.receive": [url]}
    for persona in (
        "unit_head",
        "unit_staff",
        "office_officer",
        "council_member",
        "leader",
        "outsider",
        "admin",
    ):
        assert "initiatives.receive" not in todo_keys(client, getattr(people, persona)), persona
    # The district's reform officer: the dossier went to the province's campaign.
    district_officer = person("huyen.cchc", org.district_home_affairs, Role.REFORM_OFFICER)
    assert "initiatives.receive" not in todo_keys(client, district_officer)

    with committed():
        initiative_accept(initiative=dossier, actor=people.reform_officer)
    assert "initiatives.receive" not in todo_keys(client, people.reform_officer)


def test_a_returned_dossier_waits_on_its_authors_home_page_until_sent_again(
    client: Client, org: Org, people: People, committed: Any
) -> None:
    dossier = sent_by_staff(org, people)
    initiative_confirm(initiative=dossier, actor=people.unit_head)
    initiative_return(initiative=dossier, actor=people.reform_officer, comment="Bổ sung số liệu hiệu quả.")
    assert todo_keys(client, people.unit_staff) == {"initiatives.returned": [dossier.get_absolute_url()]}
    for persona in ("unit_head", "reform_officer", "office_officer", "council_member", "outsider", "admin"):
        assert "initiatives.returned" not in todo_keys(client, getattr(people, persona)), persona

    with committed():
        submit(dossier, people.unit_staff)
    assert "initiatives.returned" not in todo_keys(client, people.unit_staff)


def test_a_sheet_waits_on_its_members_home_page_until_submitted(
    client: Client, org: Org, people: People, committed: Any
) -> None:
    board = make_board(org, people)
    dossier = make_dossier(board.campaign, org.commune)
    review_assign(campaign=board.campaign, actor=people.reform_officer)
    sheet = ReviewAssignment.objects.get(initiative=dossier, member=board.member_seat)
    score_url = f"/sang-kien/cham-diem/{sheet.pk}/"
    member_todos = todo_keys(client, board.member)
    assert member_todos == {"initiatives.score": [score_url]}
    # The secretary has a sheet of their own; the reform officer and the outsider have none.
    assert "initiatives.score" in todo_keys(client, board.secretary)
    for persona in ("reform_officer", "unit_head", "office_officer", "outsider", "admin"):
        assert "initiatives.score" not in todo_keys(client, getattr(people, persona)), persona

    points = {c.pk: Decimal(10) for c in board.rubric.criteria.all()}
    with committed():
        review_submit(
            assignment=sheet, actor=board.member, points=points, comment="Đạt", version=sheet.version
        )
    assert "initiatives.score" not in todo_keys(client, board.member)
    assert client.get(score_url).status_code == 200  # the link is the member's own sheet
