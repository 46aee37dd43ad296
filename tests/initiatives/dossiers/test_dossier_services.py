"""Creating and editing a dossier through the services: every field, the whole authors table,
the campaign's window and eligible units, stale edits, the audit trail and the search column."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core import clock
from caicach.core.models import AuditEvent, Role
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.initiatives.dossiers.services import (
    initiative_update,
    refresh_search_text,
)
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    CampaignStatus,
    Council,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
)
from tests.conftest import Org, People
from tests.core.factories import person
from tests.initiatives.factories import SEED_TITLE, make_draft, open_campaign, seed_authors


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )


def test_a_unit_staff_member_creates_a_draft_with_the_seed_authors(
    campaign: Campaign, org: Org, people: People
) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science, campaign=campaign)
    assert initiative.status == InitiativeStatus.DRAFT
    assert initiative.created_by == people.unit_staff
    assert initiative.version == 1
    rows = list(initiative.authorships.order_by("position"))
    assert [(a.position, a.full_name, a.share, a.is_lead) for a in rows] == [
        (1, "Lê Tuấn Phú", Decimal("30.00"), False),
        (2, "Nguyễn Phương Thảo", Decimal("30.00"), False),
        (3, "Đông Thị Huệ", Decimal("40.00"), True),
    ]
    assert rows[2].user == people.unit_staff
    assert rows[0].date_of_birth == datetime.date(1967, 1, 28)
    assert initiative.first_applied_on == datetime.date(2024, 2, 29)
    # "Kính gửi" defaults to the receiving unit when the campaign has no council yet.
    assert initiative.addressee == "Sở Nội vụ"
    event = AuditEvent.objects.get(action="initiative.create")
    assert event.object_id == str(initiative.pk)
    assert event.actor == people.unit_staff
    assert event.changes["authors"][1][2] == "Đông Thị Huệ — 30/06/1989 — 40% — tác giả chính"


def test_the_addressee_defaults_to_the_council_when_there_is_one(
    campaign: Campaign, org: Org, people: People
) -> None:
    Council.objects.create(campaign=campaign, name="Hội đồng sáng kiến tỉnh Tây Ninh")
    initiative = make_draft(actor=people.unit_staff, unit=org.science, campaign=campaign)
    assert initiative.addressee == "Hội đồng sáng kiến tỉnh Tây Ninh"
    own = make_draft(
        actor=people.unit_staff,
        unit=org.science,
        campaign=campaign,
        data={"addressee": "Ủy ban nhân dân tỉnh"},
    )
    assert own.addressee == "Ủy ban nhân dân tỉnh"


def test_a_dossier_outside_any_campaign_is_allowed(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_head, unit=org.science)
    assert initiative.campaign is None
    assert initiative.addressee == ""


def test_an_experience_initiative_keeps_its_own_sections(org: Org, people: People) -> None:
    initiative = make_draft(
        actor=people.unit_staff,
        unit=org.science,
        kind=InitiativeKind.EXPERIENCE,
        data={"measures": "Niêm yết công khai thủ tục.", "lessons": "Cần sự vào cuộc của cả hệ thống."},
    )
    assert initiative.kind == InitiativeKind.EXPERIENCE
    assert initiative.measures == "Niêm yết công khai thủ tục."
    assert initiative.sections == Initiative.EXPERIENCE_SECTIONS


def test_sections_of_the_other_layout_are_a_programming_error(org: Org, people: People) -> None:
    with pytest.raises(TypeError):
        make_draft(actor=people.unit_staff, unit=org.science, data={"measures": "Không thuộc mẫu này"})
    with pytest.raises(TypeError):
        make_draft(actor=people.unit_staff, unit=org.science, data={"no_such_field": "x"})
    assert not Initiative.objects.exists()


def test_decomposed_input_is_stored_composed(org: Org, people: People) -> None:
    decomposed_title = unicodedata.normalize("NFD", "Nâng cao hiệu quả Quy chế làm việc")
    authors = seed_authors()
    authors[0]["full_name"] = unicodedata.normalize("NFD", "Lê   Tuấn Phú ")
    initiative = make_draft(
        actor=people.unit_staff, unit=org.science, data={"title": decomposed_title}, authors=authors
    )
    initiative.refresh_from_db()
    assert initiative.title == "Nâng cao hiệu quả Quy chế làm việc"
    assert unicodedata.is_normalized("NFC", initiative.title)
    assert initiative.authorships.get(position=1).full_name == "Lê Tuấn Phú"


def test_the_search_column_folds_title_authors_and_sections(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    initiative.refresh_from_db()
    assert "nang cao hieu qua" in initiative.search_text
    assert "dong thi hue" in initiative.search_text
    assert "trach nhiem cua mot so co quan" in initiative.search_text
    Authorship.objects.filter(initiative=initiative, position=1).update(full_name="Trần Mới")
    refresh_search_text(initiative)
    initiative.refresh_from_db()
    assert "tran moi" in initiative.search_text
    assert "le tuan phu" not in initiative.search_text


# --- Who, when and for which unit ---------------------------------------------------------------


def test_staff_of_another_unit_cannot_create_for_this_unit(
    campaign: Campaign, org: Org, people: People
) -> None:
    with pytest.raises(PermissionDenied):
        make_draft(actor=people.outsider, unit=org.science, campaign=campaign)
    with pytest.raises(PermissionDenied):
        make_draft(actor=people.reform_officer, unit=org.science, campaign=campaign)
    assert not Initiative.objects.exists()
    assert not AuditEvent.objects.filter(action="initiative.create").exists()


def test_an_administrator_may_create_for_any_unit(campaign: Campaign, org: Org, people: People) -> None:
    assert make_draft(actor=people.admin, unit=org.commune, campaign=campaign).unit == org.commune


def test_a_closed_window_refuses_new_dossiers_with_its_date(
    campaign: Campaign, org: Org, people: People
) -> None:
    yesterday = clock.today() - datetime.timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(window_end=yesterday)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        make_draft(actor=people.unit_staff, unit=org.science, campaign=campaign)
    assert caught.value.messages == [f"Đợt phát động đã hết hạn nhận hồ sơ ngày {yesterday:%d/%m/%Y}."]
    assert not Initiative.objects.exists()


def test_a_window_not_yet_open_says_when_it_opens(campaign: Campaign, org: Org, people: People) -> None:
    start = clock.today() + datetime.timedelta(days=3)
    Campaign.objects.filter(pk=campaign.pk).update(window_start=start, window_end=start)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError, match=f"từ ngày {start:%d/%m/%Y}"):
        make_draft(actor=people.unit_staff, unit=org.science, campaign=campaign)


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.CLOSED])
def test_a_campaign_not_in_force_takes_no_dossiers(
    campaign: Campaign, org: Org, people: People, status: str
) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        make_draft(actor=people.unit_staff, unit=org.science, campaign=campaign)
    assert not Initiative.objects.exists()


def test_a_unit_not_called_on_by_the_campaign_is_refused(
    campaign: Campaign, org: Org, people: People
) -> None:
    staff = person("cbvp", org.office, Role.UNIT_STAFF)
    with pytest.raises(ValidationError, match="không thuộc danh sách đơn vị tham gia"):
        make_draft(actor=staff, unit=org.office, campaign=campaign)
    assert not Initiative.objects.exists()


def test_a_title_is_required_and_nothing_is_saved_without_it(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        make_draft(actor=people.unit_staff, unit=org.science, data={"title": "   "})
    assert "title" in caught.value.message_dict
    assert not Initiative.objects.exists()
    assert not Authorship.objects.exists()


def test_a_first_application_in_the_future_is_refused(org: Org, people: People) -> None:
    future = clock.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        make_draft(actor=people.unit_staff, unit=org.science, data={"first_applied_on": future})
    assert "first_applied_on" in caught.value.message_dict


def test_a_first_application_before_the_floor_year_is_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        make_draft(
            actor=people.unit_staff, unit=org.science, data={"first_applied_on": datetime.date(1, 1, 1)}
        )
    assert caught.value.message_dict["first_applied_on"][0].startswith(
        "Ngày áp dụng lần đầu phải từ ngày 01/01/2000 đến ngày"
    )
    assert not Initiative.objects.exists()


def test_field_errors_and_author_errors_are_reported_together(org: Org, people: People) -> None:
    authors = seed_authors()
    authors[0]["share"] = Decimal("20")
    with pytest.raises(ValidationError) as caught:
        make_draft(actor=people.unit_staff, unit=org.science, data={"title": ""}, authors=authors)
    assert set(caught.value.message_dict) == {"title", "authors"}


# --- Editing ------------------------------------------------------------------------------------


def _update(initiative: Initiative, actor: Any, **kwargs: Any) -> Initiative:
    kwargs.setdefault("data", {})
    kwargs.setdefault("authors", None)
    kwargs.setdefault("version", initiative.version)
    return initiative_update(initiative=initiative, actor=actor, **kwargs)


def test_an_author_edits_fields_and_the_authors_table_in_one_go(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    authors = seed_authors(people.unit_staff)
    authors[0]["share"], authors[2]["share"] = Decimal("25.5"), Decimal("44.5")
    del authors[1]
    authors[0]["share"] = Decimal("55.5")
    updated = _update(
        initiative,
        people.unit_staff,
        data={"title": "Tên mới", "necessity": "Vì cần thiết."},
        authors=authors,
    )
    assert updated.version == 2
    updated.refresh_from_db()
    assert updated.title == "Tên mới"
    assert updated.necessity == "Vì cần thiết."
    assert updated.essence.startswith("Sáng kiến tập trung")  # untouched
    assert [(a.position, a.full_name, a.share) for a in updated.authorships.order_by("position")] == [
        (1, "Lê Tuấn Phú", Decimal("55.50")),
        (2, "Đông Thị Huệ", Decimal("44.50")),
    ]
    event = AuditEvent.objects.get(action="initiative.update")
    assert event.changes["title"] == [SEED_TITLE, "Tên mới"]
    assert len(event.changes["authors"][0]) == 3
    assert len(event.changes["authors"][1]) == 2
    assert "tên mới" in updated.search_text or "ten moi" in updated.search_text


def test_a_co_author_with_an_account_may_edit_the_draft(org: Org, people: People) -> None:
    co_author = person("dongtacgia", org.commune, Role.UNIT_STAFF, full_name="Đông Thị Huệ")
    initiative = make_draft(actor=people.unit_staff, unit=org.science, authors=seed_authors(co_author))
    assert _update(initiative, co_author, data={"purpose": "Mục đích."}).purpose == "Mục đích."


def test_someone_who_is_not_an_author_may_not_edit(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    with pytest.raises(PermissionDenied):
        _update(initiative, people.unit_head, data={"title": "Sửa trộm"})
    initiative.refresh_from_db()
    assert initiative.title == SEED_TITLE
    assert initiative.version == 1


def test_a_stale_edit_is_refused_and_changes_nothing(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    _update(initiative, people.unit_staff, data={"title": "Bản thứ hai"})
    with pytest.raises(ValidationError) as caught:
        _update(initiative, people.unit_staff, data={"title": "Bản cũ đè lên"}, version=1)
    assert caught.value.messages == [str(STALE_EDIT_MESSAGE)]
    initiative.refresh_from_db()
    assert initiative.title == "Bản thứ hai"
    assert AuditEvent.objects.filter(action="initiative.update").count() == 1


def test_invalid_authors_on_edit_save_nothing_at_all(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    authors = seed_authors()
    authors[2]["share"] = Decimal("39.99")
    with pytest.raises(ValidationError) as caught:
        _update(initiative, people.unit_staff, data={"title": "Không được lưu"}, authors=authors)
    assert caught.value.message_dict["authors"] == [
        "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 99,99%)."
    ]
    initiative.refresh_from_db()
    assert initiative.title == SEED_TITLE
    assert initiative.version == 1
    assert list(initiative.authorships.values_list("share", flat=True)) == [
        Decimal("30.00"),
        Decimal("30.00"),
        Decimal("40.00"),
    ]


@pytest.mark.parametrize(
    "status", [InitiativeStatus.AWAITING_CONFIRMATION, InitiativeStatus.SUBMITTED, InitiativeStatus.ACCEPTED]
)
def test_a_dossier_sent_on_can_no_longer_be_edited(org: Org, people: People, status: str) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    with pytest.raises(ValidationError, match="không thể sửa"):
        _update(initiative, people.unit_staff, data={"title": "Muộn rồi"})
    initiative.refresh_from_db()
    assert initiative.title == SEED_TITLE


def test_a_returned_dossier_is_edited_again(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    Initiative.objects.filter(pk=initiative.pk).update(status=InitiativeStatus.RETURNED)
    assert _update(initiative, people.unit_staff, data={"benefits": "Bổ sung lợi ích."}).benefits == (
        "Bổ sung lợi ích."
    )


def test_an_unchanged_authors_table_is_not_reported_as_changed(org: Org, people: People) -> None:
    initiative = make_draft(actor=people.unit_staff, unit=org.science)
    _update(
        initiative, people.unit_staff, data={"purpose": "Mục đích"}, authors=seed_authors(people.unit_staff)
    )
    event = AuditEvent.objects.get(action="initiative.update")
    assert set(event.changes) == {"purpose"}


def test_reform_fields_and_indices_are_set_and_their_changes_audited(org: Org, people: People) -> None:
    from caicach.core.models import ReformField, ReformIndex
    from caicach.initiatives.dossiers.services import initiative_create

    procedures = ReformField.objects.create(code="TTHC", name="Cải cách thủ tục hành chính")
    digital = ReformField.objects.create(code="CQS", name="Chính quyền số")
    sipas = ReformIndex.objects.create(code="SIPAS", name="Chỉ số SIPAS")
    initiative = initiative_create(
        actor=people.unit_staff,
        unit=org.science,
        campaign=None,
        kind=InitiativeKind.SOLUTION,
        data={"title": "Một cửa số"},
        authors=seed_authors(),
        reform_fields=[procedures],
        target_indices=[sipas.pk],
    )
    assert list(initiative.reform_fields.all()) == [procedures]
    assert list(initiative.target_indices.all()) == [sipas]
    _update(initiative, people.unit_staff, reform_fields=[digital, procedures], target_indices=[sipas])
    event = AuditEvent.objects.get(action="initiative.update")
    assert event.changes == {"reform_fields": [[procedures.pk], sorted([procedures.pk, digital.pk])]}
    with pytest.raises(ValidationError):
        _update(initiative, people.unit_staff, version=2, target_indices=[999_999])
    assert list(initiative.target_indices.all()) == [sipas]
