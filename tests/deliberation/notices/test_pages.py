"""The notices pages: who sees what (the rule and its list twin agree; outsiders 404,
anonymous to the login), the Office's draft and the signer's confirmation, the points page,
and query counts that do not grow with the rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import Role, User
from caicach.core.permissions import can
from caicach.deliberation.models import ConclusionPoint, MeetingDocument, MeetingStatus
from caicach.deliberation.notices.queries import meeting_panel
from caicach.deliberation.notices.rules import meetings_with_notices_for
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.deliberation.notices.factories import (
    AFTER,
    DRAFTED_ON,
    Scene,
    concluded_draft,
    invited,
    make_meeting,
    scene,
)

pytestmark = pytest.mark.django_db

PAGES = (
    "invitation_edit",
    "invitation_preview",
    "invitation_download",
    "conclusion_edit",
    "conclusion_preview",
    "conclusion_download",
)


def personas(people: People, s: Scene) -> dict[str, User]:
    return {
        "office": people.office_officer,
        "chairman": s.committee.chairman,
        "leader": people.leader,
        "member": people.committee_member,
        "lead_unit": people.unit_staff,
        "invited_unit": people.reform_officer,  # Sở Nội vụ is invited
        "outsider": people.outsider,
    }


def test_the_view_rule_and_its_list_twin_agree(org: Org, people: People) -> None:
    s = scene(org, people)
    other = make_meeting(org, chair=None, title="Phiên họp khác")
    other.invitees.all().delete()
    other.agenda_items.all().delete()
    office_head = person("truongvp", org.office, Role.UNIT_HEAD, full_name="Phạm Trưởng Văn Phòng")
    extra = {"admin": people.admin, "office_head": office_head, "chief": s.chief}
    assert can(office_head, "notices.view_drafts", s.meeting)
    for name, user in {**personas(people, s), **extra}.items():
        listed = set(meetings_with_notices_for(user).values_list("pk", flat=True))
        allowed = {m.pk for m in (s.meeting, other) if can(user, "notices.view", m)}
        assert listed == allowed, name


@pytest.mark.parametrize(
    ("who", "edit", "preview"),
    [
        ("office", 200, 200),
        ("chairman", 200, 200),
        ("leader", 200, 200),
        ("member", 200, 404),
        ("lead_unit", 200, 404),
        ("invited_unit", 200, 404),
        ("outsider", 404, 404),
    ],
)
def test_permission_matrix(
    client: Client, org: Org, people: People, who: str, edit: int, preview: int
) -> None:
    s = scene(org, people)
    with on_day(DRAFTED_ON):
        from tests.deliberation.notices.factories import drafted_invitation

        drafted_invitation(s, people)
        client.force_login(personas(people, s)[who])
        assert client.get(reverse("deliberation:invitation_edit", args=[s.meeting.pk])).status_code == edit
        assert (
            client.get(reverse("deliberation:invitation_preview", args=[s.meeting.pk])).status_code == preview
        )
        assert client.get(reverse("deliberation:conclusion_edit", args=[s.meeting.pk])).status_code == edit
        issue = client.post(reverse("deliberation:invitation_issue", args=[s.meeting.pk]), {"version": 1})
        assert issue.status_code == (200 if who == "chairman" else 404)


def test_anonymous_goes_to_the_login(client: Client, org: Org, people: People) -> None:
    s = scene(org, people)
    for name in PAGES:
        response = client.get(reverse(f"deliberation:{name}", args=[s.meeting.pk]))
        assert (response.status_code == 302 and "/login" in response["Location"]) or "dang-nhap" in response[
            "Location"
        ]


def test_the_office_drafts_and_the_chairman_confirms_then_issues(
    client: Client, org: Org, people: People
) -> None:
    s = scene(org, people)
    url = reverse("deliberation:invitation_edit", args=[s.meeting.pk])
    with on_day(DRAFTED_ON):
        client.force_login(people.office_officer)
        page = client.get(url)
        assert "Soạn dự thảo" in page.content.decode()
        saved = client.post(
            url,
            {
                "summary": "",
                "recipients": "",
                "signer": s.committee.chairman.pk,
                "version": 0,
                "action": "save",
            },
        )
        assert saved.status_code == 302
        preview = client.get(reverse("deliberation:invitation_preview", args=[s.meeting.pk]))
        assert preview.status_code == 200 and preview["Content-Type"].startswith("application/vnd.openxml")
        client.force_login(s.committee.chairman)
        issue_url = reverse("deliberation:invitation_issue", args=[s.meeting.pk])
        confirm = client.post(issue_url, {"version": 1})
        body = confirm.content.decode()
        assert "01/GM-UBND" in body and "2 đơn vị được mời" in body
        assert not MeetingDocument.objects.get().registered_document_id
        done = client.post(issue_url, {"version": 1, "expected_reference": "01/GM-UBND"})
        assert done.status_code == 302
        again = client.post(issue_url, {"version": 2, "expected_reference": "02/GM-UBND"}, follow=True)
        assert "Giấy mời đã được ban hành." in again.content.decode()
    s.meeting.refresh_from_db()
    assert s.meeting.status == MeetingStatus.INVITED
    download = client.get(reverse("deliberation:invitation_download", args=[s.meeting.pk]))
    assert download.status_code == 200


def test_the_points_page_adds_a_row_without_saving_and_saves_rows(
    client: Client, org: Org, people: People
) -> None:
    s = scene(org, people)
    invited(s, people)
    url = reverse("deliberation:conclusion_edit", args=[s.meeting.pk])
    client.force_login(people.office_officer)
    base = {"summary": "", "recipients": "", "signer": s.chief.pk, "version": 0, "kl-INITIAL_FORMS": 0}
    with on_day(AFTER):
        added = client.post(url, {**base, "kl-TOTAL_FORMS": 0, "action": "add_row"})
        assert added.status_code == 200 and added.content.decode().count("data-point-row") == 1
        assert not ConclusionPoint.objects.exists()
        rows = {
            "kl-TOTAL_FORMS": 2,
            "kl-0-position": 2,
            "kl-0-content": "Nội dung thứ hai",
            "kl-0-lead_unit": org.science.pk,
            "kl-0-deadline": "30/11/2024",
            "kl-1-position": 1,
            "kl-1-content": "Nội dung thứ nhất",
            "kl-1-lead_unit": org.home_affairs.pk,
            "kl-1-coordinating_units": [org.science.pk],
        }
        saved = client.post(url, {**base, **rows, "action": "save"})
        assert saved.status_code == 302
        assert list(ConclusionPoint.objects.order_by("position").values_list("content", flat=True)) == [
            "Nội dung thứ nhất",
            "Nội dung thứ hai",
        ]
        invalid = client.post(
            url, {**base, **rows, "version": 1, "kl-0-deadline": "31/02/2024", "action": "save"}
        )
        assert invalid.status_code == 400 and "Ngày không hợp lệ" in invalid.content.decode()


def test_the_points_page_and_the_panel_have_fixed_query_counts(
    client: Client, org: Org, people: People, django_assert_max_num_queries: object
) -> None:
    s = scene(org, people)
    concluded_draft(org, people, s, count=2)
    url = reverse("deliberation:conclusion_edit", args=[s.meeting.pk])
    client.force_login(people.office_officer)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with on_day(AFTER), CaptureQueriesContext(connection) as page:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as panel:
            meeting_panel(s.meeting, people.office_officer)
        return len(page) + 1000 * len(panel)

    before = count()
    document = MeetingDocument.objects.get(kind="conclusion")
    from caicach.deliberation.notices.services import conclusion_save
    from tests.deliberation.notices.factories import points

    with on_day(AFTER):
        conclusion_save(
            actor=people.office_officer,
            meeting=s.meeting,
            version=document.version,
            points=points(org, s, 12),
        )
    assert count() <= before


def test_the_meeting_panel_shows_drafts_only_to_the_office_and_leaders(org: Org, people: People) -> None:
    from django.template.loader import render_to_string

    s = scene(org, people)
    concluded_draft(org, people, s, count=2)
    with on_day(AFTER):
        office = meeting_panel(s.meeting, people.office_officer)
        member = meeting_panel(s.meeting, people.committee_member)
        outsider = meeting_panel(s.meeting, people.outsider)
        html = render_to_string("deliberation/notices/_meeting_panel.html", office)
    assert (
        office["notices"]["invitation"]["issued"]
        and office["notices"]["invitation"]["reference"] == "01/GM-UBND"
    )
    assert len(office["notices"]["points"]) == 2 and office["notices"]["may_draft"]
    assert member["notices"]["points"] == [] and not member["notices"]["may_draft"]
    assert outsider == {"notices": None}
    assert "01/GM-UBND" in html and "Ghi kết luận" in html and "2 nội dung kết luận" in html


def test_the_issued_invitation_downloads_for_those_concerned_only(
    client: Client, org: Org, people: People
) -> None:
    s = scene(org, people)
    invited(s, people)
    url = reverse("deliberation:invitation_download", args=[s.meeting.pk])
    for user, status in (
        (people.committee_member, 200),
        (people.unit_staff, 200),
        (people.reform_officer, 200),  # Sở Nội vụ is invited
        (people.outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(people.committee_member)
    before = client.get(reverse("deliberation:conclusion_download", args=[s.meeting.pk]), follow=True)
    assert "Văn bản chưa được ban hành." in before.content.decode()


def test_a_stale_draft_shows_the_message_and_changes_nothing(
    client: Client, org: Org, people: People
) -> None:
    s = scene(org, people)
    with on_day(DRAFTED_ON):
        from tests.deliberation.notices.factories import drafted_invitation

        drafted_invitation(s, people)
        client.force_login(people.office_officer)
        url = reverse("deliberation:invitation_edit", args=[s.meeting.pk])
        page = client.post(
            url, {"summary": "Bản cũ", "recipients": "", "signer": "", "version": 0, "action": "save"}
        )
    assert page.status_code == 400 and "người khác thay đổi" in page.content.decode()
    assert MeetingDocument.objects.get().summary == ""


def test_rows_ticked_for_removal_go_and_absurd_input_gets_messages(
    client: Client, org: Org, people: People
) -> None:
    s = scene(org, people)
    concluded_draft(org, people, s, count=2)
    url = reverse("deliberation:conclusion_edit", args=[s.meeting.pk])
    client.force_login(people.office_officer)
    base = {"summary": "", "recipients": "", "signer": s.chief.pk, "kl-INITIAL_FORMS": 0, "action": "save"}
    rows = {
        "kl-TOTAL_FORMS": 2,
        "kl-0-content": "Giữ lại",
        "kl-0-lead_unit": org.science.pk,
        "kl-1-content": "Bỏ đi",
        "kl-1-DELETE": "on",
    }
    with on_day(AFTER):
        assert client.post(url, {**base, **rows, "version": 1}).status_code == 302
        assert list(ConclusionPoint.objects.values_list("content", flat=True)) == ["Giữ lại"]
        absurd = {
            **base,
            "version": 2,
            "kl-TOTAL_FORMS": 99999,
            "kl-0-content": "X",
            "kl-0-position": 99999999999,
            "kl-0-deadline": "31/12/9999",
            "kl-0-lead_unit": 99999999999,
        }
        page = client.post(url, absurd)
        assert page.status_code == 400
        added = client.post(url, {**absurd, "action": "add_row"})
        assert added.status_code == 200
    assert list(ConclusionPoint.objects.values_list("content", flat=True)) == ["Giữ lại"]
