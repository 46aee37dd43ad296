"""The effectiveness report (seed 000): filed after recognition by the initiative's authors,
prefilled from the dossier, kept as a draft until sent, then printed in the seed's layout and
listed on the dossier."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, Notification, User
from caicach.core.once import FIELD, new_token
from caicach.initiatives.models import (
    Campaign,
    EffectivenessReport,
    Initiative,
    InitiativeStatus,
    ReportStatus,
)
from caicach.initiatives.recognition.services import (
    effectiveness_report_create,
    effectiveness_report_submit,
    effectiveness_report_update,
)
from tests.conftest import Org, People
from tests.initiatives.factories import dossier, issued_campaign, outcome

PERSONAS = (
    "admin", "reform_officer", "office_officer", "unit_head", "unit_staff", "council_member",
    "committee_member", "leader", "outsider",
)  # fmt: skip
# Who reads a report: the authors (unit_staff is the lead author), the head of their unit,
# the campaign's managers.
READERS = {"admin", "reform_officer", "unit_head", "unit_staff"}
TEXT = {
    "effectiveness": "Giúp nâng cao hiệu quả quản lý, cải thiện trách nhiệm và kỷ luật làm việc.",
    "replicability": "Đây là cách làm có thể nhân rộng cho các tỉnh, thành khác.",
}


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return issued_campaign(org, people)


@pytest.fixture
def initiative(campaign: Campaign, org: Org, people: People) -> Initiative:
    initiative = dossier(campaign, org.science, author_user=people.unit_staff)
    outcome(initiative, recognised=True)
    Initiative.objects.filter(pk=initiative.pk).update(confirmed_by=people.unit_head)
    initiative.refresh_from_db()
    return initiative


@pytest.fixture
def report(initiative: Initiative, people: People) -> EffectivenessReport:
    return effectiveness_report_create(initiative=initiative, actor=people.unit_staff, data={})


# --- Services ---------------------------------------------------------------------------------------------


def test_a_new_report_is_prefilled_from_the_dossier(initiative: Initiative, people: People) -> None:
    report = effectiveness_report_create(initiative=initiative, actor=people.unit_staff, data=TEXT)
    assert report.status == ReportStatus.DRAFT
    assert report.essence == initiative.essence
    assert report.representative_name == "Đông Thị Huệ"  # the lead author
    assert report.confirmed_by_name == people.unit_head.full_name
    assert report.effectiveness == TEXT["effectiveness"]
    assert AuditEvent.objects.filter(
        action="effectiveness_report.create", object_id=str(initiative.pk)
    ).exists()


def test_only_authors_of_a_recognised_initiative_file_one(
    campaign: Campaign, initiative: Initiative, org: Org, people: People
) -> None:
    for outsider in (people.unit_head, people.reform_officer, people.admin):
        with pytest.raises(PermissionDenied):
            effectiveness_report_create(initiative=initiative, actor=outsider, data=TEXT)
    refused = dossier(campaign, org.science, title="Chưa đạt", author_user=people.unit_staff)
    outcome(refused, recognised=False, reasons="Không mới.")
    with pytest.raises(ValidationError, match="đã được công nhận"):
        effectiveness_report_create(initiative=refused, actor=people.unit_staff, data=TEXT)
    assert not EffectivenessReport.objects.exists()


def test_the_draft_is_edited_until_sent_and_stale_edits_are_refused(
    report: EffectivenessReport, people: People
) -> None:
    updated = effectiveness_report_update(
        report=report, actor=people.unit_staff, data=TEXT, version=report.version
    )
    assert updated.version == report.version + 1
    event = AuditEvent.objects.get(action="effectiveness_report.update")
    assert event.changes["effectiveness"] == ["", TEXT["effectiveness"]]
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        effectiveness_report_update(
            report=report, actor=people.unit_staff, data={"effectiveness": "Cũ."}, version=report.version
        )
    with pytest.raises(PermissionDenied):
        effectiveness_report_update(report=report, actor=people.unit_head, data={}, version=updated.version)
    updated.refresh_from_db()
    assert updated.effectiveness == TEXT["effectiveness"]


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_an_edit_without_its_version_is_refused_and_blanks_nothing(
    client: Client, report: EffectivenessReport, people: People, version: str | None
) -> None:
    """An empty POST once blanked reports: the form took ``version`` as optional and the
    service skipped the check without it."""
    report = effectiveness_report_update(report=report, actor=people.unit_staff, data=TEXT, version=1)
    client.force_login(people.unit_staff)
    data = {} if version is None else {"version": version}
    response = client.post(reverse("initiatives:effectiveness_edit", kwargs={"pk": report.pk}), data)
    assert response.status_code == 200
    assert "người khác thay đổi" in response.content.decode()
    report.refresh_from_db()
    assert report.effectiveness == TEXT["effectiveness"] and report.version == 2
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        effectiveness_report_update(report=report, actor=people.unit_staff, data={}, version=None)  # type: ignore[arg-type]


def test_sending_needs_every_section_and_tells_the_unit_head(
    report: EffectivenessReport, people: People
) -> None:
    with pytest.raises(ValidationError) as caught:
        effectiveness_report_submit(report=report, actor=people.unit_staff, version=report.version)
    assert set(caught.value.message_dict) == {"effectiveness", "replicability"}
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    report = effectiveness_report_update(
        report=report, actor=people.unit_staff, data=TEXT, version=report.version
    )
    sent = effectiveness_report_submit(report=report, actor=people.unit_staff, version=report.version)
    assert sent.status == ReportStatus.SUBMITTED and sent.submitted_at is not None
    assert AuditEvent.objects.filter(action="effectiveness_report.submit").exists()
    assert Notification.objects.filter(
        recipient=people.unit_head, title="Báo cáo hiệu quả áp dụng sáng kiến cần xác nhận"
    ).exists()
    with pytest.raises(ValidationError, match="đã gửi"):
        effectiveness_report_update(report=sent, actor=people.unit_staff, data=TEXT, version=sent.version)
    with pytest.raises(ValidationError, match="đã được gửi"):
        effectiveness_report_submit(report=sent, actor=people.unit_staff, version=sent.version)


def test_unknown_fields_are_a_programming_error(initiative: Initiative, people: People) -> None:
    with pytest.raises(TypeError):
        effectiveness_report_create(
            initiative=initiative, actor=people.unit_staff, data={"status": "submitted"}
        )


# --- Pages ------------------------------------------------------------------------------------------------


def status_for(client: Client, user: User, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    client.force_login(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    client.logout()
    return response.status_code


def test_who_may_start_a_report(client: Client, initiative: Initiative, people: People) -> None:
    url = reverse("initiatives:effectiveness_create", kwargs={"pk": initiative.pk})
    for persona in PERSONAS:
        expected = 200 if persona == "unit_staff" else 404
        assert status_for(client, getattr(people, persona), "get", url) == expected, persona
    assert client.get(url).status_code == 302
    Initiative.objects.filter(pk=initiative.pk).update(status=InitiativeStatus.IN_REVIEW)
    assert status_for(client, people.unit_staff, "get", url) == 404


def test_who_may_read_edit_send_and_download_a_report(
    client: Client, report: EffectivenessReport, people: People
) -> None:
    detail = reverse("initiatives:effectiveness_detail", kwargs={"pk": report.pk})
    edit = reverse("initiatives:effectiveness_edit", kwargs={"pk": report.pk})
    download = reverse("initiatives:effectiveness_docx", kwargs={"pk": report.pk})
    submit = reverse("initiatives:effectiveness_submit", kwargs={"pk": report.pk})
    for persona in PERSONAS:
        user = getattr(people, persona)
        readable = 200 if persona in READERS else 404
        assert status_for(client, user, "get", detail) == readable, persona
        assert status_for(client, user, "get", download) == readable, persona
        assert status_for(client, user, "get", edit) == (200 if persona == "unit_staff" else 404), persona
        if persona != "unit_staff":
            assert status_for(client, user, "post", submit, {"version": report.version}) == 404, persona
    for url in (detail, edit, download):
        assert client.get(url).status_code == 302


def test_the_whole_flow_in_the_browser(client: Client, initiative: Initiative, people: People) -> None:
    client.force_login(people.unit_staff)
    form = client.get(
        reverse("initiatives:effectiveness_create", kwargs={"pk": initiative.pk})
    ).content.decode()
    assert initiative.essence in form  # prefilled
    response = client.post(
        reverse("initiatives:effectiveness_create", kwargs={"pk": initiative.pk}),
        {"essence": initiative.essence, "effectiveness": TEXT["effectiveness"], "replicability": "",
         "confirmed_by_name": "Phạm Văn Đà", "representative_name": "Đông Thị Huệ", FIELD: new_token()},
    )  # fmt: skip
    report = EffectivenessReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:effectiveness_detail", kwargs={"pk": report.pk})

    edit = reverse("initiatives:effectiveness_edit", kwargs={"pk": report.pk})
    response = client.post(edit, {**TEXT, "essence": initiative.essence, "version": report.version - 1})
    assert response.status_code == 200 and "người khác thay đổi" in response.content.decode()
    response = client.post(
        edit, {**TEXT, "essence": initiative.essence, "confirmed_by_name": "Phạm Văn Đà",
               "representative_name": "Đông Thị Huệ", "version": report.version},
    )  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.replicability == TEXT["replicability"]

    submit = reverse("initiatives:effectiveness_submit", kwargs={"pk": report.pk})
    response = client.post(submit, {"version": report.version}, follow=True)
    assert "Đã gửi báo cáo hiệu quả áp dụng." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # Sent: no more edits; the author is told so on the report's page, not given a 404.
    client.force_login(people.unit_staff)
    response = client.get(edit, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "initiatives:effectiveness_detail", kwargs={"pk": report.pk}
    )
    assert "Báo cáo đã được gửi; không sửa được nữa." in response.content.decode()

    client.force_login(people.unit_head)
    response = client.get(reverse("initiatives:effectiveness_docx", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert "bao-cao-hieu-qua-sang-kien" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Hiệu quả áp dụng, khả năng nhân rộng của sáng kiến" in text
    assert TEXT["replicability"] in text


def test_the_report_page_has_a_constant_query_count(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    authors = [(f"Tác giả {n}", "5", None) for n in range(20)]
    initiative = dossier(campaign, org.science, authors=authors, author_user=people.unit_staff)
    outcome(initiative, recognised=True)
    report = effectiveness_report_create(initiative=initiative, actor=people.unit_staff, data=TEXT)
    client.force_login(people.reform_officer)
    # Session, user, grants, unit tree, unread count, the session's save (in a savepoint):
    # the same on every page. The report with its dossier, the authors, its timeline: three more.
    for index in range(5):
        report = effectiveness_report_update(
            report=report,
            actor=people.unit_staff,
            data={"replicability": f"Bản {index}"},
            version=report.version,
        )
    with django_assert_max_num_queries(11):
        response = client.get(reverse("initiatives:effectiveness_detail", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response.content.decode().count("Tác giả ") >= 20


def test_the_form_and_the_download_have_a_constant_query_count(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    authors = [(f"Tác giả {n}", "5", None) for n in range(20)]
    initiative = dossier(campaign, org.science, authors=authors, author_user=people.unit_staff)
    outcome(initiative, recognised=True)
    report = effectiveness_report_create(initiative=initiative, actor=people.unit_staff, data=TEXT)
    client.force_login(people.unit_staff)
    for url in (
        reverse("initiatives:effectiveness_create", kwargs={"pk": initiative.pk}),
        reverse("initiatives:effectiveness_edit", kwargs={"pk": report.pk}),
        reverse("initiatives:effectiveness_docx", kwargs={"pk": report.pk}),
    ):
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200, url
    table = docx.Document(io.BytesIO(response.content)).tables[1]
    assert len(table.rows) == 21  # the header and every author
