"""Home Affairs' periodic summary (Báo cáo kết quả nhân rộng): drafted from the reports,
previewed, issued with a number after a confirmation, kept as issued; and the committee's
reporting regime. Only Home Affairs writes them; leaders read; anybody else gets 404."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caicach.core.models import User
from caicach.replication.models import (
    AdoptionStatus,
    Obligation,
    ReplicationSettings,
    ReplicationSummary,
)
from caicach.replication.monitoring import queries
from tests.conftest import Org, People, on_day
from tests.decree30 import assert_passes_decree30
from tests.documents import assert_signature_with_body, docx_text, printed
from tests.issuing import confirm_issue
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report

TODAY = datetime.date(2025, 1, 20)
d = datetime.date


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _scene(org: Org) -> None:
    directive = make_directive(org, issued_on=d(2024, 1, 10))
    dialogue = make_practice(org, name="Mô hình “Ngày thứ bảy lắng nghe dân nói”")
    maps = make_practice(org, name="Mô hình “Ký số Bản đồ khổ lớn”")
    applied = make_obligation(directive, org.science, dialogue)
    make_report(applied, d(2024, 10, 1), d(2024, 12, 31), adoption_status=AdoptionStatus.APPLIED)
    stopped = make_obligation(directive, org.commune, maps)
    make_report(stopped, d(2024, 10, 1), d(2024, 12, 31), adoption_status=AdoptionStatus.STOPPED)
    make_obligation(directive, org.other_commune, dialogue)  # silent


FORM = {
    "period_start": "01/01/2024",
    "period_end": "31/12/2024",
    "assessment": "Các đơn vị cơ bản triển khai nghiêm túc.",
    "proposals": "Đề nghị UBND tỉnh nhắc nhở các đơn vị chưa triển khai.",
    "signer_authority": "KT. GIÁM ĐỐC",
    "signer_title": "Phó Giám đốc",
    "signer_name": "Trương Văn Hòa",
    "recipients": "UBND tỉnh (để báo cáo);\nLưu: VT, SNV.",
}


def _create(client: Client) -> ReplicationSummary:
    page = client.get(reverse("replication:summary_create"))
    token = (
        page.context["form"]["form_token"].value() if "form_token" in page.context["form"].fields else None
    )
    data: dict[str, Any] = dict(FORM)
    for name, field in page.context["form"].fields.items():
        if name not in data and field.widget.is_hidden:
            data[name] = page.context["form"][name].value()
    if token:
        data["form_token"] = token
    response = client.post(reverse("replication:summary_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReplicationSummary.objects.get()


def test_home_affairs_drafts_previews_and_issues_the_summary(
    client: Client, org: Org, people: People, tmp_path: Path
) -> None:
    _scene(org)
    with on_day(TODAY):
        login(client, people.reform_officer)
        summary = _create(client)
        data = queries.summary_data(summary)
        assert [(row.obliged, row.reported, row.adopted) for row in data.figures] == [(1, 1, 0), (2, 1, 1)]
        assert {o.unit_id for o in data.laggards} == {org.commune.pk, org.other_commune.pk}
        page = client.get(summary.get_absolute_url()).content.decode()
        assert "Ủy ban nhân dân xã Thanh Điền" in page
        draft = client.get(reverse("replication:summary_document", args=[summary.pk]))
        text = docx_text(draft.content)
        assert "CƠ QUAN, ĐƠN VỊ CHƯA TRIỂN KHAI" in text and "đã dừng triển khai" in text
        response = confirm_issue(
            client,
            reverse("replication:summary_issue", args=[summary.pk]),
            {"issued_on": "20/01/2025", "version": summary.version},
        )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.registered_document is not None and summary.registered_document.reference.startswith(
        "01/BC-"
    )
    issued = client.get(reverse("replication:summary_document", args=[summary.pk])).content
    assert_passes_decree30(issued, tmp_path)
    assert_signature_with_body(
        printed(issued), heading=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Trương Văn Hòa", closing="./."
    )
    # Issued means read-only: a second issue and an edit are refused with a message.
    again = client.post(
        reverse("replication:summary_issue", args=[summary.pk]),
        {"issued_on": "21/01/2025", "version": summary.version},
        follow=True,
    )
    assert "đã được ban hành" in again.content.decode()


def test_a_summary_refuses_a_reversed_period_and_a_recipients_list_without_the_archive(
    client: Client, org: Org, people: People
) -> None:
    with on_day(TODAY):
        login(client, people.reform_officer)
        page = client.get(reverse("replication:summary_create"))
        data = {**FORM, "period_start": "31/12/2024", "period_end": "01/01/2024", "recipients": "UBND tỉnh;"}
        data["form_token"] = page.context["form"]["form_token"].value()
        response = client.post(reverse("replication:summary_create"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "không được trước" in text and "Lưu: VT" in text
    assert not ReplicationSummary.objects.exists()


@pytest.mark.parametrize(
    ("who", "list_status", "create_status"),
    [
        ("reform_officer", 200, 200),
        ("leader", 200, 404),
        ("unit_staff", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_who_opens_the_summaries(
    client: Client, org: Org, people: People, who: str, list_status: int, create_status: int
) -> None:
    summary = ReplicationSummary.objects.create(
        issuing_unit=org.home_affairs,
        period_start=d(2024, 1, 1),
        period_end=d(2024, 12, 31),
        signer_title="Giám đốc",
        recipients="Lưu: VT, SNV.",
    )
    with on_day(TODAY):
        login(client, getattr(people, who))
        assert client.get(reverse("replication:summary_list")).status_code == list_status
        assert client.get(reverse("replication:summary_create")).status_code == create_status
        assert client.get(summary.get_absolute_url()).status_code == list_status


def test_the_summary_page_has_a_query_ceiling(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    _scene(org)
    summary = ReplicationSummary.objects.create(
        issuing_unit=org.home_affairs,
        period_start=d(2024, 1, 1),
        period_end=d(2024, 12, 31),
        signer_title="Giám đốc",
        recipients="Lưu: VT, SNV.",
    )
    with on_day(TODAY):
        login(client, people.reform_officer)
        with django_assert_max_num_queries(20):
            assert client.get(summary.get_absolute_url()).status_code == 200


def test_home_affairs_sets_the_reporting_regime_and_a_stale_edit_changes_nothing(
    client: Client, org: Org, people: People
) -> None:
    url = reverse("replication:replication_settings")
    data = {
        "default_cycle": "half_yearly",
        "report_due_working_days": "7",
        "reminder_working_days": "2",
        "laggard_not_started_months": "3",
        "version": "1",
    }
    login(client, people.reform_officer)
    assert client.post(url, data).status_code == 302
    saved = ReplicationSettings.objects.get(unit=org.province)
    assert (saved.default_cycle, saved.report_due_working_days, saved.version) == ("half_yearly", 7, 2)
    stale = client.post(url, {**data, "report_due_working_days": "9"})  # version 1 again
    assert stale.status_code == 200 and "thay đổi" in stale.content.decode()
    saved.refresh_from_db()
    assert saved.report_due_working_days == 7
    assert login(Client(), people.leader).get(url).status_code == 404


@pytest.mark.renew_on_commit
def test_the_summary_figures_are_kept_and_a_report_sent_shows_once_committed(
    org: Org, people: People, committed: Any
) -> None:
    """The summary's figures and laggards are kept (a national summary read the country's
    obligations four times a visit); a report sent renews them when it commits."""
    _scene(org)
    summary = ReplicationSummary.objects.create(
        issuing_unit=org.home_affairs, period_start=d(2024, 1, 1), period_end=d(2024, 12, 31)
    )

    def figures() -> tuple[dict[str, tuple[int, int, int]], list[int], int]:
        data = queries.summary_data(summary, laggard_limit=5)
        by_name = {f.practice.name: (f.obliged, f.reported, f.adopted) for f in data.figures}
        return by_name, [o.unit_id for o in data.laggards], data.units_reporting

    before = figures()
    with CaptureQueriesContext(connection) as first:
        assert figures() == before
    assert not any("COUNT" in query["sql"] for query in first)  # nothing counted again
    dialogue = "Mô hình “Ngày thứ bảy lắng nghe dân nói”"
    assert before[0][dialogue] == (2, 1, 1) and org.other_commune.pk in before[1]

    silent = Obligation.objects.get(unit=org.other_commune)
    with committed():
        make_report(silent, d(2024, 10, 1), d(2024, 12, 31), adoption_status=AdoptionStatus.APPLIED)
    after = figures()
    assert after[0][dialogue] == (2, 2, 2)
    assert org.other_commune.pk not in after[1] and after[2] == before[2] + 1


@pytest.mark.renew_on_commit
def test_summaries_kept_together_keep_each_its_own_period_directive_and_length(org: Org) -> None:
    """What the kept figures are keyed on besides the tables they read: two summaries of the
    same committee over other periods, or of one directive, or listing fewer laggards, never
    read each other's."""
    _scene(org)
    other = make_directive(org, issued_on=d(2024, 1, 10))
    make_obligation(other, org.science, make_practice(org, name="Mô hình khác"))
    year = ReplicationSummary.objects.create(
        issuing_unit=org.home_affairs, period_start=d(2024, 1, 1), period_end=d(2024, 12, 31)
    )
    spring = ReplicationSummary.objects.create(
        issuing_unit=org.home_affairs, period_start=d(2024, 1, 1), period_end=d(2024, 3, 31)
    )
    one = ReplicationSummary.objects.create(
        issuing_unit=org.home_affairs, period_start=d(2024, 1, 1), period_end=d(2024, 12, 31), directive=other
    )

    def reported(summary: ReplicationSummary) -> int:
        return sum(f.reported for f in queries.summary_data(summary).figures)

    assert reported(year) == 2 and reported(spring) == 0  # the reports cover October to December
    assert {f.practice.name for f in queries.summary_data(one).figures} == {"Mô hình khác"}
    assert len(queries.summary_data(year).laggards) == 3
    shorter = queries.summary_data(year, laggard_limit=1)
    assert len(shorter.laggards) == 1 and shorter.laggard_count == 3
