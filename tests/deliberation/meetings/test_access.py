"""Who sees which meeting: the rules and their list twins agree for every persona, and every
page answers an outsider with 404 and an anonymous visitor with the login page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import User
from caicach.core.permissions import can
from caicach.deliberation.meetings.rules import agenda_items_for, meetings_for
from caicach.deliberation.models import AgendaItem, Meeting
from tests.conftest import Org, People, on_day
from tests.deliberation.meetings.factories import TODAY, Scene, make_scene, program_item, with_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org: Org, people: People) -> Scene:
    return make_scene(org, people)


def personas(people: People, scene: Scene) -> dict[str, User]:
    return {
        "admin": people.admin,
        "office": people.office_officer,
        "chairman": scene.committee.chairman,
        "leader": scene.committee.vice,
        "member": scene.committee.member,
        "lead_unit_head": people.unit_head,
        "lead_unit_staff": people.unit_staff,
        "invited": people.reform_officer,  # works at Home Affairs, invited to ``meeting``
        "invited_colleague": people.council_member,  # also at Home Affairs
        "outsider": people.outsider,
    }


def test_the_rules_and_their_twins_agree_for_every_persona(org: Org, people: People, scene: Scene) -> None:
    # A third meeting whose only item is led by Home Affairs (invited elsewhere).
    extra = with_agenda(people, scene.other, [program_item(org, lead_unit=org.home_affairs)])
    meetings = list(Meeting.objects.all())
    items = list(AgendaItem.objects.select_related("meeting"))
    assert len(meetings) == 2 and len(items) == 2 and extra
    for name, user in personas(people, scene).items():
        assert set(meetings_for(user).values_list("pk", flat=True)) == {
            m.pk for m in meetings if can(user, "view", m)
        }, name
        assert set(agenda_items_for(user).values_list("pk", flat=True)) == {
            i.pk for i in items if can(user, "view", i)
        }, name


def test_who_sees_what(people: People, scene: Scene) -> None:
    meeting, other = scene.meeting, scene.other
    for user in (
        people.office_officer,
        scene.committee.vice,
        scene.committee.member,
        scene.committee.chairman,
    ):
        assert can(user, "view", meeting) and can(user, "view", other)
    assert can(people.unit_staff, "view", meeting)  # the lead unit of an item
    assert not can(people.unit_staff, "view", other)  # only the meetings with its items
    assert can(people.reform_officer, "view", meeting)  # invited
    assert not can(people.reform_officer, "view", scene.item)  # the meeting, not the dossier
    assert not can(people.reform_officer, "view", other)
    assert not can(people.outsider, "view", meeting)
    assert can(people.office_officer, "change", meeting)
    assert not can(scene.committee.vice, "change", meeting)
    assert not can(people.unit_head, "change", scene.item)


def expected(name: str, page: str) -> int:
    """What each persona gets on the pages of ``meeting`` (science leads, home affairs invited)."""
    office_only = page in ("meeting_update", "meeting_invitees")
    if name in ("admin", "office"):
        return 200
    if office_only:
        return 404
    if name in ("chairman", "leader", "member"):
        return 200
    if page == "agenda_item_detail":
        return 200 if name in ("lead_unit_head", "lead_unit_staff") else 404
    return 200 if name in ("lead_unit_head", "lead_unit_staff", "invited", "invited_colleague") else 404


@pytest.mark.parametrize(
    "page", ["meeting_detail", "meeting_update", "meeting_invitees", "agenda_item_detail"]
)
def test_the_permission_matrix_of_each_page(client: Client, people: People, scene: Scene, page: str) -> None:
    pk = scene.item.pk if page == "agenda_item_detail" else scene.meeting.pk
    url = reverse(f"deliberation:{page}", args=[pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for name, user in personas(people, scene).items():
        client.force_login(user)
        with on_day(TODAY):
            assert client.get(url).status_code == expected(name, page), (name, page)


def test_the_office_pages_of_the_list_and_the_counts(client: Client, people: People, scene: Scene) -> None:
    for url_name, office_leaders_only in (
        ("meeting_list", False),
        ("meeting_create", True),
        ("attendance_stats", True),
    ):
        url = reverse(f"deliberation:{url_name}")
        assert client.get(url).status_code == 302
        for name, user in personas(people, scene).items():
            client.force_login(user)
            status = client.get(url).status_code
            if not office_leaders_only:
                assert status == 200, (name, url_name)
            elif url_name == "meeting_create":
                assert status == (200 if name in ("admin", "office") else 404), (name, url_name)
            else:
                assert status == (200 if name in ("admin", "office", "chairman", "leader") else 404), name
            client.logout()


def test_the_list_shows_only_what_each_may_see(client: Client, people: People, scene: Scene) -> None:
    client.force_login(people.unit_staff)
    page = client.get(reverse("deliberation:meeting_list")).content.decode()
    assert scene.meeting.title in page and scene.other.title not in page
    client.force_login(people.outsider)
    page = client.get(reverse("deliberation:meeting_list")).content.decode()
    assert scene.meeting.title not in page
