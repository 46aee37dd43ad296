"""A unit head may send a dossier back to its authors with comments before confirming it:
the authors see the comment on the dossier's page, edit and submit again; the receiving body
never saw it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, Notification, Role, User
from caicach.core.permissions import can
from caicach.initiatives.models import Campaign, Initiative, InitiativeStatus
from caicach.initiatives.workflow.services import (
    initiative_accept,
    initiative_confirm,
    initiative_return,
    initiative_send_back,
)
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.factories import complete_draft, province_campaign, submit

pytestmark = pytest.mark.django_db

COMMENT = "Bổ sung số liệu hiệu quả áp dụng 6 tháng đầu năm; ghi rõ tỷ lệ đóng góp của từng tác giả."


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return province_campaign(org, people)


@pytest.fixture
def awaiting(org: Org, people: People, campaign: Campaign) -> Initiative:
    """Submitted by its author, waiting for the Science head's confirmation."""
    draft = complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)
    return submit(draft, people.unit_staff)


def fresh(initiative: Initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


def test_the_head_sends_the_dossier_back_to_its_authors(awaiting: Initiative, people: People) -> None:
    back = initiative_send_back(initiative=awaiting, actor=people.unit_head, comment=COMMENT)
    assert back.status == InitiativeStatus.DRAFT and back.return_comment == COMMENT
    assert can(people.unit_staff, "change", back)  # the authors edit it again
    assert not can(people.reform_officer, "view", back)  # it never reached the receiving body
    event = AuditEvent.objects.get(action="initiative.send_back")
    assert event.changes["status"] == [InitiativeStatus.AWAITING_CONFIRMATION, InitiativeStatus.DRAFT]
    assert Notification.objects.filter(
        recipient=people.unit_staff, title__startswith="Thủ trưởng đơn vị trả lại hồ sơ"
    ).exists()
    resubmitted = submit(back, people.unit_staff)
    assert resubmitted.status == InitiativeStatus.AWAITING_CONFIRMATION


def test_a_dossier_the_receiving_body_had_returned_goes_back_to_returned(
    awaiting: Initiative, people: People
) -> None:
    initiative_confirm(initiative=awaiting, actor=people.unit_head)
    initiative_return(initiative=awaiting, actor=people.reform_officer, comment="Thiếu bản thuyết minh.")
    submit(awaiting, people.unit_staff)
    back = initiative_send_back(initiative=fresh(awaiting), actor=people.unit_head, comment=COMMENT)
    assert back.status == InitiativeStatus.RETURNED  # the receiving body still follows it
    assert can(people.reform_officer, "view", back)


@pytest.mark.parametrize("who", ["unit_staff", "reform_officer", "leader", "other_head"])
def test_only_the_units_head_sends_back(awaiting: Initiative, org: Org, people: People, who: str) -> None:
    actor: User = (
        person("truong.snv", org.home_affairs, Role.UNIT_HEAD)
        if who == "other_head"
        else getattr(people, who)
    )
    before = fresh(awaiting)
    with pytest.raises(PermissionDenied):
        initiative_send_back(initiative=awaiting, actor=actor, comment=COMMENT)
    after = fresh(awaiting)
    assert (after.status, after.version, after.return_comment) == (
        before.status,
        before.version,
        before.return_comment,
    )


def test_a_comment_is_required_and_a_confirmed_dossier_is_not_sent_back(
    awaiting: Initiative, people: People
) -> None:
    with pytest.raises(ValidationError):
        initiative_send_back(initiative=awaiting, actor=people.unit_head, comment="   ")
    initiative_confirm(initiative=awaiting, actor=people.unit_head)
    with pytest.raises(ValidationError):
        initiative_send_back(initiative=awaiting, actor=people.unit_head, comment=COMMENT)
    assert fresh(awaiting).status == InitiativeStatus.SUBMITTED


# --- Pages ---------------------------------------------------------------------------------------


def test_the_head_sends_back_from_the_dossier_page_and_the_author_reads_why(
    client: Client, awaiting: Initiative, people: People, django_assert_max_num_queries: Any
) -> None:
    client.force_login(people.unit_head)
    page = client.get(awaiting.get_absolute_url()).content.decode()
    url = reverse("initiatives:initiative_send_back", kwargs={"pk": awaiting.pk})
    assert url in page
    response = client.post(url, {"send_back-comment": ""}, follow=True)
    assert "Vui lòng ghi rõ ý kiến" in response.content.decode()
    assert fresh(awaiting).status == InitiativeStatus.AWAITING_CONFIRMATION
    response = client.post(url, {"send_back-comment": COMMENT})
    assert response.status_code == 302 and response["Location"] == awaiting.get_absolute_url()
    client.force_login(people.unit_staff)
    with django_assert_max_num_queries(40):
        page = client.get(awaiting.get_absolute_url()).content.decode()
    assert COMMENT in page
    # The head's second tab: the dossier is no longer awaiting them — said on its page.
    client.force_login(people.unit_head)
    response = client.post(url, {"send_back-comment": COMMENT}, follow=True)
    assert response.redirect_chain[-1][0] == awaiting.get_absolute_url()
    assert "message-error" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("unit_head", 302), ("unit_staff", 404), ("reform_officer", 404), ("outsider", 404), ("admin", 302)],
)
def test_who_may_post_a_send_back(
    client: Client, awaiting: Initiative, people: People, who: str, status: int
) -> None:
    client.force_login(getattr(people, who))
    url = reverse("initiatives:initiative_send_back", kwargs={"pk": awaiting.pk})
    assert client.post(url, {"send_back-comment": COMMENT}).status_code == status
    expected = InitiativeStatus.DRAFT if status == 302 else InitiativeStatus.AWAITING_CONFIRMATION
    assert fresh(awaiting).status == expected


def test_receiving_a_dossier_accepted_in_another_tab_says_so(
    client: Client, awaiting: Initiative, people: People
) -> None:
    initiative_confirm(initiative=awaiting, actor=people.unit_head)
    initiative_accept(initiative=awaiting, actor=people.reform_officer)
    client.force_login(people.reform_officer)
    response = client.get(reverse("initiatives:initiative_return", kwargs={"pk": awaiting.pk}), follow=True)
    assert response.redirect_chain[-1][0] == awaiting.get_absolute_url()
    assert "Hồ sơ không còn chờ tiếp nhận" in response.content.decode()


def test_editing_a_dossier_sent_meanwhile_says_so_on_its_page(
    client: Client, awaiting: Initiative, people: People
) -> None:
    client.force_login(people.unit_staff)
    for url in (
        reverse("initiatives:initiative_edit", kwargs={"pk": awaiting.pk}),
        reverse("initiatives:attachment_add", kwargs={"pk": awaiting.pk}),
    ):
        response = client.post(url, {}, follow=True)
        assert response.redirect_chain[-1][0] == awaiting.get_absolute_url()
        assert "không sửa được nữa" in response.content.decode()
    assert fresh(awaiting).status == InitiativeStatus.AWAITING_CONFIRMATION
