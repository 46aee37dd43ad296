"""The dossier's way from its authors to the receiving body: submit, confirm, accept with a
numbered receipt, or return for completion and resubmit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from caicach.core import clock
from caicach.core.models import AuditEvent, Notification, RegisteredDocument, Role, User
from caicach.core.months import add_months
from caicach.initiatives.dossiers.services import initiative_update
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    InitiativeVersion,
)
from caicach.initiatives.workflow.services import (
    filing_deadline,
    initiative_accept,
    initiative_confirm,
    initiative_return,
    initiative_submit,
    result_due_on,
)
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.factories import accept, complete_draft, province_campaign, send, submit


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return province_campaign(org, people)


@pytest.fixture
def draft(org: Org, people: People, campaign: Campaign) -> Initiative:
    return complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)


@pytest.fixture
def district_officer(org: Org) -> User:
    return person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER, full_name="Trần Nội Vụ Huyện")


def fresh(initiative: Initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


def unchanged(initiative: Initiative, before: Initiative) -> None:
    after = fresh(initiative)
    for name in (
        "status",
        "version",
        "revision",
        "submitted_at",
        "receipt_id",
        "confirmed_at",
        "returned_at",
    ):
        assert getattr(after, name) == getattr(before, name), name


def inbox(user: User) -> list[str]:
    """What the workflow told ``user`` (the campaign's own announcement left out)."""
    return list(
        Notification.objects.filter(recipient=user, title__startswith="Hồ sơ").values_list("title", flat=True)
    )


# --- Dates ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_result_is_due_three_calendar_months_after_acceptance_on_a_working_day() -> None:
    assert result_due_on(datetime.date(2024, 11, 30)) == datetime.date(2025, 2, 28)  # a Friday
    assert result_due_on(datetime.date(2023, 11, 30)) == datetime.date(2024, 2, 29)  # leap year
    # 28/02/2026 is a Saturday: the period ends on the next working day (Civil Code Art. 148).
    assert result_due_on(datetime.date(2025, 11, 30)) == datetime.date(2026, 3, 2)


def test_the_filing_deadline_is_one_year_after_the_first_application_that_day_included() -> None:
    assert filing_deadline(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    assert filing_deadline(datetime.date(2024, 5, 15)) == datetime.date(2025, 5, 15)


# --- Submit --------------------------------------------------------------------------------------


def test_an_author_submits_a_complete_dossier_to_the_unit_head(draft: Initiative, people: People) -> None:
    submitted = submit(draft, people.unit_staff)
    assert submitted.status == InitiativeStatus.AWAITING_CONFIRMATION
    assert submitted.revision == 1
    assert submitted.first_submitted_at is not None
    assert submitted.submitted_at == submitted.first_submitted_at
    saved = fresh(draft)
    assert saved.status == InitiativeStatus.AWAITING_CONFIRMATION
    assert saved.version == draft.version + 1
    version = InitiativeVersion.objects.get(initiative=draft)
    assert version.number == 1
    assert version.data["title"] == draft.title
    assert [a["share"] for a in version.data["authors"]] == ["30.00", "30.00", "40.00"]
    event = AuditEvent.objects.get(action="initiative.submit", object_id=str(draft.pk))
    assert event.actor == people.unit_staff
    assert event.changes["status"] == ["draft", "awaiting_confirmation"]
    assert inbox(people.unit_head) == [f"Hồ sơ sáng kiến chờ xác nhận: {draft.title}"]
    assert inbox(people.reform_officer) == []


def test_a_dossier_already_sent_cannot_be_sent_again(draft: Initiative, people: People) -> None:
    submit(draft, people.unit_staff)
    before = fresh(draft)
    with pytest.raises(ValidationError, match="Chờ thủ trưởng đơn vị xác nhận"):
        initiative_submit(initiative=draft, actor=people.unit_staff, version=before.version)
    unchanged(draft, before)
    assert InitiativeVersion.objects.filter(initiative=draft).count() == 1


@pytest.mark.parametrize("persona", ["unit_head", "reform_officer", "outsider"])
def test_only_an_author_may_submit(draft: Initiative, people: People, persona: str) -> None:
    before = fresh(draft)
    with pytest.raises(PermissionDenied):
        initiative_submit(initiative=draft, actor=getattr(people, persona), version=before.version)
    unchanged(draft, before)
    assert not InitiativeVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="initiative.submit").exists()


def test_a_co_author_with_an_account_may_submit(org: Org, people: People, campaign: Campaign) -> None:
    colleague = person("dongtacgia", org.science, Role.UNIT_STAFF, full_name="Đông Thị Huệ")
    authors = [
        {"full_name": "Nguyễn Thị Cán Bộ", "share": Decimal(60), "is_lead": True, "user": people.unit_staff},
        {"full_name": "Đông Thị Huệ", "share": Decimal(40), "user": colleague},
    ]
    draft = complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign, authors=authors)
    assert submit(draft, colleague).status == InitiativeStatus.AWAITING_CONFIRMATION


def test_a_stale_submission_is_refused(draft: Initiative, people: People) -> None:
    before = fresh(draft)
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        initiative_submit(initiative=draft, actor=people.unit_staff, version=before.version - 1)
    unchanged(draft, before)


def test_an_incomplete_dossier_lists_every_missing_field_at_once(
    org: Org, people: People, campaign: Campaign
) -> None:
    draft = complete_draft(
        author=people.unit_staff,
        unit=org.science,
        campaign=campaign,
        data={"first_applied_on": None, "essence": "  ", "necessity": "", "benefits": ""},
    )
    before = fresh(draft)
    with pytest.raises(ValidationError) as caught:
        submit(draft, people.unit_staff)
    assert caught.value.code == "incomplete"
    (message,) = caught.value.messages
    assert message.startswith("Hồ sơ chưa đủ nội dung để gửi. Vui lòng bổ sung: ")
    for label in (
        "Ngày áp dụng lần đầu hoặc áp dụng thử",
        "Mô tả bản chất của sáng kiến",
        "5. Sự cần thiết phải áp dụng giải pháp sáng kiến",
        "7.3. Lợi ích kinh tế, xã hội của sáng kiến",
    ):
        assert label in message, label
    assert "6. Mục đích" not in message  # filled in
    unchanged(draft, before)


def test_an_experience_initiative_needs_its_own_sections(
    org: Org, people: People, campaign: Campaign
) -> None:
    draft = complete_draft(
        author=people.unit_staff,
        unit=org.science,
        campaign=campaign,
        kind=InitiativeKind.EXPERIENCE,
        data={"measures": "", "lessons": ""},
    )
    with pytest.raises(ValidationError) as caught:
        submit(draft, people.unit_staff)
    message = caught.value.messages[0]
    assert "Các biện pháp đã tiến hành để giải quyết vấn đề" in message
    assert "Những bài học kinh nghiệm" in message
    assert "mô tả bản chất" not in message  # the essence is asked of solutions only
    Initiative.objects.filter(pk=draft.pk).update(measures="Niêm yết công khai.", lessons="Cần kiên trì.")
    assert submit(draft, people.unit_staff).status == InitiativeStatus.AWAITING_CONFIRMATION


def test_the_authors_table_is_checked_again_on_submission(draft: Initiative, people: People) -> None:
    # Rows written behind the service's back (an import gone wrong, a manual fix) are caught.
    Authorship.objects.filter(initiative=draft, position=1).update(share=Decimal(20))
    before = fresh(draft)
    with pytest.raises(ValidationError, match="Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%"):
        submit(draft, people.unit_staff)
    unchanged(draft, before)


def test_after_the_window_closes_a_first_submission_is_refused_with_the_date_and_contact(
    draft: Initiative, people: People, campaign: Campaign
) -> None:
    closed_on = clock.today() - datetime.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(window_end=closed_on)
    before = fresh(draft)
    with pytest.raises(ValidationError) as caught:
        submit(draft, people.unit_staff)
    assert caught.value.messages == [
        f"Đợt phát động đã hết hạn nhận hồ sơ ngày {closed_on:%d/%m/%Y}; liên hệ Sở Nội vụ "
        "(phongnv-cth@tayninh.gov.vn) để được gia hạn."
    ]
    unchanged(draft, before)


def test_the_last_day_of_the_window_still_counts(
    draft: Initiative, people: People, campaign: Campaign
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(window_end=clock.today())
    assert submit(draft, people.unit_staff).status == InitiativeStatus.AWAITING_CONFIRMATION


def test_a_dossier_returned_for_completion_may_come_back_after_the_window(
    draft: Initiative, people: People, campaign: Campaign
) -> None:
    send(draft, people)
    initiative_return(initiative=draft, actor=people.reform_officer, comment="Bổ sung số liệu.")
    Campaign.objects.filter(pk=campaign.pk).update(window_end=clock.today() - datetime.timedelta(days=5))
    assert submit(draft, people.unit_staff).revision == 2


def test_a_request_filed_exactly_one_year_after_the_first_application_is_in_time(
    org: Org, people: People, campaign: Campaign
) -> None:
    first = add_months(clock.today(), -12)
    draft = complete_draft(
        author=people.unit_staff, unit=org.science, campaign=campaign, data={"first_applied_on": first}
    )
    assert submit(draft, people.unit_staff).status == InitiativeStatus.AWAITING_CONFIRMATION


def test_a_request_filed_one_day_too_late_names_both_dates(
    org: Org, people: People, campaign: Campaign
) -> None:
    today = clock.today()
    first = add_months(today, -12) - datetime.timedelta(days=1)
    draft = complete_draft(
        author=people.unit_staff, unit=org.science, campaign=campaign, data={"first_applied_on": first}
    )
    before = fresh(draft)
    with pytest.raises(ValidationError) as caught:
        submit(draft, people.unit_staff)
    assert caught.value.code == "filing_limit"
    message = caught.value.messages[0]
    assert f"áp dụng lần đầu ({first:%d/%m/%Y})" in message
    assert f"chậm nhất ngày {filing_deadline(first):%d/%m/%Y}" in message
    assert f"ngày nộp là {today:%d/%m/%Y}" in message
    unchanged(draft, before)


def test_the_filing_limit_counts_from_the_first_submission_not_the_resubmission(
    draft: Initiative, people: People
) -> None:
    send(draft, people)
    initiative_return(initiative=draft, actor=people.reform_officer, comment="Bổ sung.")
    # Filed in time a year ago; completed now.
    a_year_ago = clock.now() - datetime.timedelta(days=400)
    Initiative.objects.filter(pk=draft.pk).update(
        first_submitted_at=a_year_ago,
        first_applied_on=timezone.localdate(a_year_ago) - datetime.timedelta(days=30),
    )
    assert submit(draft, people.unit_staff).status == InitiativeStatus.AWAITING_CONFIRMATION


# --- Confirm -------------------------------------------------------------------------------------


def test_the_unit_head_confirms_and_the_campaigns_reform_officers_are_told(
    draft: Initiative, people: People, district_officer: User
) -> None:
    submit(draft, people.unit_staff)
    confirmed = initiative_confirm(
        initiative=draft, actor=people.unit_head, note="Đơn vị xác nhận sáng kiến đã được áp dụng."
    )
    assert confirmed.status == InitiativeStatus.SUBMITTED
    saved = fresh(draft)
    assert saved.confirmed_by == people.unit_head
    assert saved.confirmed_at is not None
    assert saved.confirmation_note == "Đơn vị xác nhận sáng kiến đã được áp dụng."
    event = AuditEvent.objects.get(action="initiative.confirm")
    assert event.changes["status"] == ["awaiting_confirmation", "submitted"]
    assert inbox(people.reform_officer) == [f"Hồ sơ sáng kiến mới gửi đến: {draft.title}"]
    assert inbox(district_officer) == []  # not their campaign


def test_a_draft_cannot_be_confirmed(draft: Initiative, people: People) -> None:
    before = fresh(draft)
    with pytest.raises(ValidationError, match="Đang soạn"):
        initiative_confirm(initiative=draft, actor=people.unit_head)
    unchanged(draft, before)


@pytest.mark.parametrize("persona", ["unit_staff", "reform_officer", "outsider"])
def test_only_the_units_head_confirms(draft: Initiative, people: People, persona: str) -> None:
    submit(draft, people.unit_staff)
    before = fresh(draft)
    with pytest.raises(PermissionDenied):
        initiative_confirm(initiative=draft, actor=getattr(people, persona))
    unchanged(draft, before)
    assert not AuditEvent.objects.filter(action="initiative.confirm").exists()


def test_a_dossier_outside_any_campaign_cannot_be_sent(org: Org, people: People) -> None:
    """No council would ever see it: refused before it reaches the unit head."""
    draft = complete_draft(author=people.unit_staff, unit=org.science, campaign=None)
    before = fresh(draft)
    with pytest.raises(ValidationError) as caught:
        submit(draft, people.unit_staff)
    assert caught.value.code == "no_campaign"
    assert "không thuộc đợt phát động nào" in caught.value.messages[0]
    unchanged(draft, before)
    assert not AuditEvent.objects.filter(action="initiative.submit").exists()
    assert inbox(people.unit_head) == []


def test_a_dossier_outside_any_campaign_that_was_sent_gets_no_receipt(
    org: Org, people: People, district_officer: User
) -> None:
    """One sent before the rule (or imported) stays where it is: no receipt number."""
    staff = person("cbhuyen", org.district, Role.UNIT_STAFF)
    draft = complete_draft(author=staff, unit=org.district, campaign=None)
    Initiative.objects.filter(pk=draft.pk).update(
        status=InitiativeStatus.SUBMITTED, submitted_at=timezone.now()
    )
    before = fresh(draft)
    with pytest.raises(ValidationError) as caught:
        initiative_accept(initiative=draft, actor=district_officer)
    assert caught.value.code == "no_campaign"
    unchanged(draft, before)
    assert not RegisteredDocument.objects.exists()


# --- Accept --------------------------------------------------------------------------------------


def test_accepting_issues_a_numbered_receipt_and_the_due_date(
    draft: Initiative, people: People, org: Org
) -> None:
    send(draft, people)
    today = clock.today()
    accepted = initiative_accept(initiative=draft, actor=people.reform_officer)
    assert accepted.status == InitiativeStatus.ACCEPTED
    assert accepted.accepted_on == today
    assert accepted.result_due_on == result_due_on(today)
    receipt_id = fresh(draft).receipt_id
    assert receipt_id is not None
    receipt = RegisteredDocument.objects.get(pk=receipt_id)
    assert receipt.reference == "01/GBN-SNV"
    assert receipt.unit == org.home_affairs
    assert receipt.document_type == "GBN"
    assert receipt.object_id == str(draft.pk)
    assert receipt.created_by == people.reform_officer
    event = AuditEvent.objects.get(action="initiative.accept")
    assert event.changes["receipt"] == [None, "01/GBN-SNV"]
    assert inbox(people.unit_staff) == [f"Hồ sơ sáng kiến đã được tiếp nhận: {draft.title}"]
    body = Notification.objects.get(recipient=people.unit_staff, title__startswith="Hồ sơ").body
    assert "giấy biên nhận số 01/GBN-SNV" in body
    assert f"Thời hạn trả kết quả: {accepted.result_due_on:%d/%m/%Y}" in body


def test_receipts_are_numbered_in_sequence(org: Org, people: People, campaign: Campaign) -> None:
    first = complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)
    second = complete_draft(
        author=people.unit_staff, unit=org.science, campaign=campaign, data={"title": "Một sáng kiến khác"}
    )
    assert accept(first, people).receipt.reference == "01/GBN-SNV"  # type: ignore[union-attr]
    assert accept(second, people).receipt.reference == "02/GBN-SNV"  # type: ignore[union-attr]


def test_a_dossier_accepted_on_30_november_is_due_at_the_end_of_february(org: Org, people: People) -> None:
    with freeze_time("2024-11-30 09:00:00+07:00"):
        campaign = province_campaign(org, people)
        draft = complete_draft(author=people.unit_staff, unit=org.science, campaign=campaign)
        accepted = accept(draft, people)
    assert accepted.accepted_on == datetime.date(2024, 11, 30)
    assert accepted.result_due_on == datetime.date(2025, 2, 28)
    assert accepted.receipt is not None and accepted.receipt.year == 2024


def test_the_acceptance_date_may_be_back_dated_but_not_before_the_dossier_arrived(
    draft: Initiative, people: People
) -> None:
    send(draft, people)
    before = fresh(draft)
    with pytest.raises(ValidationError) as caught:
        initiative_accept(
            initiative=draft,
            actor=people.reform_officer,
            accepted_on=clock.today() + datetime.timedelta(1),
        )
    assert "accepted_on" in caught.value.message_dict
    with pytest.raises(ValidationError, match="trước ngày gửi hồ sơ"):
        initiative_accept(
            initiative=draft,
            actor=people.reform_officer,
            accepted_on=clock.today() - datetime.timedelta(1),
        )
    unchanged(draft, before)
    assert not RegisteredDocument.objects.filter(document_type="GBN").exists()


def test_a_dossier_awaiting_its_heads_confirmation_cannot_be_accepted(
    draft: Initiative, people: People
) -> None:
    submit(draft, people.unit_staff)
    before = fresh(draft)
    with pytest.raises(ValidationError, match="Chờ thủ trưởng đơn vị xác nhận"):
        initiative_accept(initiative=draft, actor=people.reform_officer)
    unchanged(draft, before)
    assert not RegisteredDocument.objects.filter(document_type="GBN").exists()


@pytest.mark.parametrize("persona", ["unit_head", "unit_staff", "district_officer", "outsider"])
def test_only_the_receiving_bodys_officers_accept(
    draft: Initiative, people: People, district_officer: User, persona: str
) -> None:
    send(draft, people)
    actor = district_officer if persona == "district_officer" else getattr(people, persona)
    before = fresh(draft)
    with pytest.raises(PermissionDenied):
        initiative_accept(initiative=draft, actor=actor)
    unchanged(draft, before)
    assert not RegisteredDocument.objects.filter(document_type="GBN").exists()


# --- Return and resubmit -------------------------------------------------------------------------


def test_returning_needs_a_comment(draft: Initiative, people: People) -> None:
    send(draft, people)
    before = fresh(draft)
    with pytest.raises(ValidationError) as caught:
        initiative_return(initiative=draft, actor=people.reform_officer, comment="   ")
    assert "comment" in caught.value.message_dict
    unchanged(draft, before)
    assert not AuditEvent.objects.filter(action="initiative.return").exists()


def test_a_returned_dossier_is_completed_and_resubmitted_keeping_both_versions(
    draft: Initiative, people: People
) -> None:
    send(draft, people)
    first_sent = fresh(draft).first_submitted_at
    returned = initiative_return(
        initiative=draft, actor=people.reform_officer, comment="Bổ sung số liệu minh chứng kết quả."
    )
    assert returned.status == InitiativeStatus.RETURNED
    saved = fresh(draft)
    assert saved.return_comment == "Bổ sung số liệu minh chứng kết quả."
    assert saved.returned_at is not None
    event = AuditEvent.objects.get(action="initiative.return")
    assert event.message == "Bổ sung số liệu minh chứng kết quả."
    assert inbox(people.unit_staff) == [f"Hồ sơ sáng kiến được trả lại để bổ sung: {draft.title}"]

    edited = initiative_update(
        initiative=saved,
        actor=people.unit_staff,
        data={"results": "Tỷ lệ hồ sơ trình đúng hạn tăng từ 70% lên 95%."},
        authors=None,
        version=saved.version,
    )
    again = submit(edited, people.unit_staff)
    assert again.status == InitiativeStatus.AWAITING_CONFIRMATION
    assert again.revision == 2
    saved = fresh(draft)
    assert saved.first_submitted_at == first_sent
    assert saved.submitted_at is not None and first_sent is not None and saved.submitted_at > first_sent
    versions = list(InitiativeVersion.objects.filter(initiative=draft).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data["results"] == "Chất lượng chuẩn bị, trình các nội dung ngày càng được nâng cao."
    assert versions[1].data["results"] == "Tỷ lệ hồ sơ trình đúng hạn tăng từ 70% lên 95%."
    assert Notification.objects.filter(
        recipient=people.unit_head, body__contains="gửi hồ sơ (lần 2)"
    ).exists()


def test_an_accepted_dossier_cannot_be_returned(draft: Initiative, people: People) -> None:
    accept(draft, people)
    before = fresh(draft)
    with pytest.raises(ValidationError, match="Đã tiếp nhận"):
        initiative_return(initiative=draft, actor=people.reform_officer, comment="Bổ sung.")
    unchanged(draft, before)


@pytest.mark.parametrize("persona", ["unit_head", "unit_staff", "outsider"])
def test_only_the_receiving_bodys_officers_return(draft: Initiative, people: People, persona: str) -> None:
    send(draft, people)
    before = fresh(draft)
    with pytest.raises(PermissionDenied):
        initiative_return(initiative=draft, actor=getattr(people, persona), comment="Bổ sung.")
    unchanged(draft, before)
