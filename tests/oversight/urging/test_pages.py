"""The urging pages: who opens what (Office, leader, the urged unit, outsiders → 404,
anonymous → login), the draft-preview-confirm-issue flow, the settings page, the
repeatedly overdue list, the rule/list-twin agreement and the query ceilings."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.issuing import EXPECTED_FIELD
from caicach.core.models import AuditEvent, Role
from caicach.core.once import FIELD, new_token
from caicach.core.permissions import can
from caicach.oversight.models import OversightSettings, UrgingNotice
from caicach.oversight.urging.rules import notices_for
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.oversight.urging.factories import extend, make_task
from tests.oversight.urging.test_notices import TODAY, draft, issued

pytestmark = pytest.mark.django_db


def get(client: Client, user: object, url: str) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    with on_day(TODAY):
        return client.get(url).status_code


def test_the_permission_matrix_of_a_draft(client: Client, org: Org, people: People) -> None:
    notice = draft(org, people)
    detail = reverse("oversight:notice_detail", args=[notice.pk])
    document = reverse("oversight:notice_document", args=[notice.pk])
    edit = reverse("oversight:notice_edit", args=[notice.pk])
    expected = {
        "office": (people.office_officer, 200, 200, 200),
        "leader": (people.leader, 200, 200, 404),
        "lead_unit": (people.unit_head, 404, 404, 404),  # not before it is issued
        "outsider": (people.outsider, 404, 404, 404),
        "member": (people.committee_member, 404, 404, 404),
    }
    for name, (user, see, download, change) in expected.items():
        assert (get(client, user, detail), get(client, user, document), get(client, user, edit)) == (
            see,
            download,
            change,
        ), name
    client.logout()
    with on_day(TODAY):
        assert client.get(detail).status_code == 302
        assert "/login" in client.get(detail)["Location"] or "dang-nhap" in client.get(detail)["Location"]


def test_the_urged_unit_sees_the_issued_notice(client: Client, org: Org, people: People) -> None:
    notice = issued(org, people)
    detail = reverse("oversight:notice_detail", args=[notice.pk])
    assert get(client, people.unit_staff, detail) == 200
    assert get(client, people.unit_head, reverse("oversight:notice_document", args=[notice.pk])) == 200
    assert get(client, people.outsider, detail) == 404
    # Issued: the edit page sends the Office back with the reason.
    client.force_login(people.office_officer)
    with on_day(TODAY):
        response = client.get(reverse("oversight:notice_edit", args=[notice.pk]), follow=True)
    assert response.status_code == 200
    assert "đã được ban hành" in response.content.decode()


def test_the_global_pages(client: Client, org: Org, people: People) -> None:
    pages = {
        reverse("oversight:notice_list"): {"office": 200, "leader": 200, "unit": 404, "outsider": 404},
        reverse("oversight:laggards"): {"office": 200, "leader": 200, "unit": 404, "outsider": 404},
        reverse("oversight:settings"): {"office": 200, "leader": 404, "unit": 404, "outsider": 404},
        reverse("oversight:notice_create") + f"?committee={org.province.pk}&unit={org.science.pk}": {
            "office": 200,
            "leader": 404,
            "unit": 404,
            "outsider": 404,
        },
    }
    users = {
        "office": people.office_officer,
        "leader": people.leader,
        "unit": people.unit_head,
        "outsider": people.outsider,
    }
    for url, answers in pages.items():
        for name, status in answers.items():
            assert get(client, users[name], url) == status, (url, name)
        client.logout()
        assert client.get(url).status_code == 302


def test_draft_preview_confirm_and_issue_through_the_pages(client: Client, org: Org, people: People) -> None:
    a = make_task(org, people, deadline=datetime.date(2026, 3, 2))
    b = make_task(org, people, deadline=datetime.date(2026, 3, 9), content="Nhiệm vụ thứ hai")
    create = reverse("oversight:notice_create") + f"?committee={org.province.pk}&unit={org.science.pk}"
    client.force_login(people.office_officer)
    with on_day(TODAY):
        page = client.get(create).content.decode()
        assert page.count('type="checkbox"') == 2 and page.count("checked") >= 2  # all ticked
        assert "quá hạn 10 ngày làm việc" in page
        data = {"tasks": [a.pk], "body": "Đề nghị hoàn thành ngay.", "recipients": "", FIELD: new_token()}
        response = client.post(create, data)
        notice = UrgingNotice.objects.get()
        assert response["Location"] == notice.get_absolute_url()
        assert client.post(create, data).status_code == 302  # a repeat makes nothing more
    assert UrgingNotice.objects.count() == 1
    assert list(notice.tasks.all()) == [a]
    client.force_login(people.leader)
    issue = reverse("oversight:notice_issue", args=[notice.pk])
    with on_day(TODAY):
        confirm = client.post(issue, {"version": notice.version})
        assert confirm.status_code == 200
        text = confirm.content.decode()
        assert "01/UBND-VP" in text and "CV" not in text.split("01/UBND-VP")[0][-20:]
        done = client.post(issue, {"version": notice.version, EXPECTED_FIELD: "01/UBND-VP"})
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.registered_document is not None and notice.registered_document.reference == "01/UBND-VP"
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.urge_count, b.urge_count) == (1, 0)
    with on_day(TODAY):
        again = client.post(issue, {"version": notice.version}, follow=True)
    assert again.status_code == 200 and "đã được ban hành" in again.content.decode()


def test_a_stale_issue_button_lands_on_the_notice_with_a_message(
    client: Client, org: Org, people: People
) -> None:
    notice = draft(org, people)
    client.force_login(people.leader)
    with on_day(TODAY):
        response = client.post(
            reverse("oversight:notice_issue", args=[notice.pk]), {"version": 99}, follow=True
        )
    assert response.status_code == 200
    assert "người khác thay đổi" in response.content.decode()
    assert UrgingNotice.objects.get().registered_document_id is None


def test_the_settings_page(client: Client, org: Org, people: People) -> None:
    url = reverse("oversight:settings")
    client.force_login(people.office_officer)
    data = {
        "remind_before_working_days": 2,
        "overdue_every_working_days": 3,
        "due_soon_working_days": 4,
        "repeated_overdue_after": 3,
    }
    assert client.post(url, data).status_code == 302
    row = OversightSettings.objects.get(unit=org.province)
    assert (row.remind_before_working_days, row.version) == (2, 1)
    absurd = client.post(url, {**data, "version": row.version, "remind_before_working_days": 10**12})
    assert absurd.status_code == 200
    stale = client.post(url, {**data, "version": 0, "overdue_every_working_days": 9})
    assert "người khác thay đổi" in stale.content.decode()
    assert client.post(url, {**data, "version": 1, "overdue_every_working_days": 9}).status_code == 302
    row.refresh_from_db()
    assert (row.overdue_every_working_days, row.version) == (9, 2)
    assert AuditEvent.objects.filter(action="oversight_settings.update").count() == 2


def test_repeatedly_overdue(client: Client, org: Org, people: People) -> None:
    urged = make_task(
        org, people, deadline=datetime.date(2026, 3, 2), content="Đôn đốc hai lần", urge_count=2
    )
    once_ = make_task(
        org, people, deadline=datetime.date(2026, 3, 2), content="Đôn đốc một lần", urge_count=1
    )
    extended = extend(
        make_task(org, people, deadline=datetime.date(2026, 2, 2), content="Quá hạn sau gia hạn"),
        datetime.date(2026, 3, 10),
    )
    make_task(org, people, deadline=datetime.date(2026, 4, 2), content="Chưa đến hạn", urge_count=5)
    client.force_login(people.leader)
    with on_day(TODAY):
        page = client.get(reverse("oversight:laggards")).content.decode()
    assert "Đôn đốc hai lần" in page and "Quá hạn sau gia hạn" in page
    assert "Đôn đốc một lần" not in page and "Chưa đến hạn" not in page
    # The committee's own threshold applies.
    OversightSettings.objects.create(unit=org.province, repeated_overdue_after=1)
    from caicach.oversight.urging.queries import laggards_for

    with on_day(TODAY):
        found = set(laggards_for(people.leader).values_list("pk", flat=True))
    assert found == {urged.pk, once_.pk, extended.pk}
    with on_day(TODAY):
        assert not laggards_for(people.outsider).exists()


def test_the_notice_rule_and_its_list_twin_agree(org: Org, people: People) -> None:
    issued_notice = issued(org, people)
    draft_notice = draft(org, people)
    chairman = person("chutich", org.province, Role.CHAIRMAN)
    for user in (*vars(people).values(), chairman):
        listed = set(notices_for(user).values_list("pk", flat=True))
        allowed = {n.pk for n in (issued_notice, draft_notice) if can(user, "view", n)}
        assert listed == allowed, user.username


def test_query_ceilings(
    client: Client, org: Org, people: People, django_assert_max_num_queries: object
) -> None:
    for _n in range(2):
        issued(org, people)
    make_task(org, people, deadline=datetime.date(2026, 3, 2), urge_count=3)
    pages = [reverse("oversight:notice_list"), reverse("oversight:laggards")]
    client.force_login(people.office_officer)

    def counts() -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        out = []
        for url in pages:
            with on_day(TODAY), CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    counts()  # warm the session and the calendar
    before = counts()
    for _n in range(4):
        issued(org, people)
    for _n in range(5):
        make_task(org, people, deadline=datetime.date(2026, 3, 2), urge_count=3, lead_unit=org.home_affairs)
    assert counts() == before
    notice = UrgingNotice.objects.first()
    assert notice is not None
    with on_day(TODAY), django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get(reverse("oversight:notice_detail", args=[notice.pk])).status_code == 200
