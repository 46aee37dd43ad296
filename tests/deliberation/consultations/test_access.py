"""Who sees what: the rule and its list twin agree for every persona in every state, and every
page answers an outsider with 404."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import User
from caicach.core.permissions import can
from caicach.deliberation.consultations.rules import consultations_for
from caicach.deliberation.consultations.services import consultation_close
from caicach.deliberation.models import Consultation
from tests.conftest import Org, People, on_day
from tests.deliberation.factories import DEADLINE, Committee, answer, draft, make_committee, opinion_of, sent

pytestmark = pytest.mark.django_db


def personas(people: People, committee: Committee) -> dict[str, User]:
    return {
        "admin": people.admin,
        "office_officer": people.office_officer,
        "reform_officer": people.reform_officer,
        "unit_head": people.unit_head,  # the lead unit
        "unit_staff": people.unit_staff,
        "council_member": people.council_member,
        "member": committee.member,
        "vice": committee.vice,
        "chairman": committee.chairman,
        "third": committee.third,
        "outsider": people.outsider,
    }


@pytest.fixture
def scene(org: Org, people: People) -> tuple[Committee, list[Consultation]]:
    committee = make_committee(org, people)
    waiting = draft(org, people, title="Dự thảo đang soạn")
    open_ = sent(org, people, title="Đang lấy ý kiến")
    chosen = sent(org, people, title="Chỉ hỏi hai thành viên", members=[committee.member, committee.chairman])
    secret = sent(org, people, title="Nội dung mật", is_secret=True)
    closing = sent(org, people, title="Đã tổng hợp")
    answer(closing, committee.member, "agree")
    closing.refresh_from_db()
    with on_day(DEADLINE + datetime.timedelta(days=1)):
        closed = consultation_close(
            actor=people.office_officer, consultation=closing, version=closing.version
        )
    return committee, [waiting, open_, chosen, secret, closed]


def test_the_view_rule_and_its_list_twin_agree_for_every_persona(
    people: People, scene: tuple[Committee, list[Consultation]]
) -> None:
    committee, consultations = scene
    for name, user in personas(people, committee).items():
        listed = set(consultations_for(user).values_list("pk", flat=True))
        allowed = {c.pk for c in consultations if can(user, "view", c)}
        assert listed == allowed, name


def test_who_sees_what(people: People, scene: tuple[Committee, list[Consultation]]) -> None:
    committee, (waiting, open_, chosen, secret, _closed) = scene
    assert can(people.office_officer, "view", waiting)
    assert not can(committee.member, "view", waiting)  # a draft is the Office's until sent
    assert can(committee.member, "view", open_)
    assert not can(committee.third, "view", chosen)  # not among the chosen
    assert can(committee.chairman, "view", chosen)
    assert can(committee.vice, "view", chosen)  # a leader sees all of the committee's
    assert can(people.unit_staff, "view", open_)  # the lead unit
    assert not can(people.outsider, "view", open_)
    assert not can(people.reform_officer, "view", open_)
    # Individual answers: the Office, the leaders and the lead unit; a member only their own.
    assert can(people.office_officer, "view_answers", open_)
    assert can(committee.vice, "view_answers", open_)
    assert can(people.unit_head, "view_answers", open_)
    assert not can(committee.member, "view_answers", open_)
    own = opinion_of(open_, committee.member)
    other = opinion_of(open_, committee.third)
    assert can(committee.member, "view_opinion", own)
    assert not can(committee.member, "view_opinion", other)
    # Secret: no file online for anybody, the Office enters the answers.
    assert not can(people.office_officer, "view_files", secret)
    assert not can(committee.member, "answer", opinion_of(secret, committee.member))
    assert can(people.office_officer, "enter", opinion_of(secret, committee.member))
    assert not can(people.office_officer, "enter", own)


PAGES = ("deliberation:consultation_detail", "deliberation:result_sheet_docx")


@pytest.mark.parametrize("url_name", PAGES)
def test_an_outsider_gets_404_on_every_page_of_a_consultation(
    client: Client, people: People, scene: tuple[Committee, list[Consultation]], url_name: str
) -> None:
    _committee, consultations = scene
    client.force_login(people.outsider)
    for consultation in consultations:
        assert client.get(reverse(url_name, args=[consultation.pk])).status_code == 404


def test_the_permission_matrix_of_the_consultation_page(
    client: Client, people: People, scene: tuple[Committee, list[Consultation]]
) -> None:
    committee, consultations = scene
    for name, user in personas(people, committee).items():
        client.force_login(user)
        for consultation in consultations:
            status = client.get(
                reverse("deliberation:consultation_detail", args=[consultation.pk])
            ).status_code
            assert status == (200 if can(user, "view", consultation) else 404), (name, consultation.title)


def test_the_result_sheet_is_for_those_who_see_every_answer(
    client: Client, people: People, scene: tuple[Committee, list[Consultation]]
) -> None:
    committee, (_waiting, open_, *_rest) = scene
    client.force_login(committee.member)
    assert client.get(reverse("deliberation:result_sheet_docx", args=[open_.pk])).status_code == 404
    client.force_login(committee.vice)
    assert client.get(reverse("deliberation:result_sheet_docx", args=[open_.pk])).status_code == 200


def test_files_of_a_draft_are_for_those_who_see_it(
    client: Client, people: People, scene: tuple[Committee, list[Consultation]]
) -> None:
    committee, (_waiting, _open, chosen, *_rest) = scene
    file = chosen.files.get()
    url = reverse("deliberation:file_download", args=[file.pk])
    client.force_login(committee.third)
    assert client.get(url).status_code == 404
    client.force_login(committee.member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_punctuality_is_for_the_office_and_the_leaders(
    client: Client, people: People, scene: tuple[Committee, list[Consultation]]
) -> None:
    committee, _consultations = scene
    url = reverse("deliberation:punctuality")
    for user, status in (
        (people.office_officer, 200),
        (committee.chairman, 200),
        (committee.vice, 200),
        (committee.member, 404),
        (people.unit_head, 404),
        (people.outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
