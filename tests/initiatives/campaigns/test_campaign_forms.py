"""Creating and editing a campaign in the browser: every field, the units chosen one by one
or by kind within the officer's jurisdiction, section III as repeated rows, stale edits."""

from __future__ import annotations

import datetime
from html import escape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, ReformField, ReformIndex, Role, Unit, UnitKind, User
from caicach.core.once import FIELD, new_token
from caicach.core.units import forms as unit_forms
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.initiatives.campaigns.forms import CampaignForm
from caicach.initiatives.demo import SEED_CAMPAIGN, load_seed_campaign
from caicach.initiatives.models import Campaign, CampaignStatus, Rubric
from tests.conftest import Org, People
from tests.core.factories import make_unit, person

CREATE = reverse("initiatives:campaign_create")


@pytest.fixture
def tree(org: Org) -> dict[str, Unit]:
    """Communes and divisions under Châu Thành, and under another district."""
    other_district = make_unit(
        "BCA", name="Ủy ban nhân dân huyện Bến Cầu", kind=UnitKind.DISTRICT_COMMITTEE, parent=org.province
    )
    return {
        "ct_commune_1": make_unit(
            "CT-X1", name="UBND xã Thanh Điền", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.district
        ),
        "ct_commune_2": make_unit(
            "CT-X2", name="UBND xã An Cơ", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.district
        ),
        "ct_closed_commune": make_unit(
            "CT-X3",
            name="UBND xã đã sáp nhập",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=org.district,
            valid_to=datetime.date(2020, 1, 1),
        ),
        "ct_division": make_unit(
            "CT-PTC",
            name="Phòng Tài chính huyện Châu Thành",
            kind=UnitKind.DISTRICT_DIVISION,
            parent=org.district,
        ),
        "bc_commune": make_unit(
            "BC-X1", name="UBND xã Lợi Thuận", kind=UnitKind.COMMUNE_COMMITTEE, parent=other_district
        ),
        "bc_division": make_unit(
            "BC-PNV",
            name="Phòng Nội vụ huyện Bến Cầu",
            kind=UnitKind.DISTRICT_DIVISION,
            parent=other_district,
        ),
    }


@pytest.fixture
def district_officer(org: Org) -> User:
    return person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER, full_name="Chuyên Viên Huyện")


def post_data(issuer: Unit, receiver: Unit, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: value for key, value in SEED_CAMPAIGN.items() if isinstance(value, str | int)
    }
    data.update(
        {
            "issuing_unit": issuer.pk,
            "receiving_unit": receiver.pk,
            "window_start": "15/05/2024",
            "window_end": "25/06/2024",
            "signer_authority": "KT. CHỦ TỊCH",
            "signer_title": "PHÓ CHỦ TỊCH",
            "signer_name": "Nguyễn Văn Thành",
            "reminder_working_days": 3,
            "implementation-TOTAL_FORMS": 3,
            "implementation-INITIAL_FORMS": 0,
            "implementation-MIN_NUM_FORMS": 0,
            "implementation-MAX_NUM_FORMS": 30,
            "implementation-0-heading": "Phòng Nội vụ huyện:",
            "implementation-0-duties": "Theo dõi, tổng hợp.",
            "implementation-1-heading": "",
            "implementation-1-duties": "",
            "implementation-2-heading": "Các xã, thị trấn",
            "implementation-2-duties": "Triển khai đến cán bộ.",
            FIELD: new_token(),
        }
    )
    data.update(overrides)
    return data


def form_for(user: User, data: dict[str, Any]) -> CampaignForm:
    return CampaignForm(data, actor=user)


def test_adding_by_kind_takes_the_communes_of_the_issuing_district_only(
    org: Org, tree: dict[str, Unit], district_officer: User
) -> None:
    form = form_for(
        district_officer,
        post_data(org.district, org.district_home_affairs, add_kinds=[UnitKind.COMMUNE_COMMITTEE]),
    )
    assert form.is_valid(), form.errors
    chosen = {unit.code for unit in form.cleaned_data["eligible_units"]}
    # Not the merged commune, not the commune under the province, not Bến Cầu's.
    assert chosen == {"CT-X1", "CT-X2"}


def test_adding_by_kind_keeps_the_units_chosen_one_by_one(
    org: Org, tree: dict[str, Unit], district_officer: User
) -> None:
    form = form_for(
        district_officer,
        post_data(
            org.district, org.district_home_affairs,
            eligible_units=[org.district_home_affairs.pk, tree["ct_commune_1"].pk],
            add_kinds=[UnitKind.COMMUNE_COMMITTEE, UnitKind.DISTRICT_DIVISION],
        ),
    )  # fmt: skip
    assert form.is_valid(), form.errors
    codes = [unit.code for unit in form.cleaned_data["eligible_units"]]
    assert sorted(codes) == ["CT-PTC", "CT-X1", "CT-X2", "CTH-PNV"]
    assert len(codes) == len(set(codes))


def test_the_province_officer_adds_every_commune_of_the_province(
    org: Org, tree: dict[str, Unit], people: People
) -> None:
    # Issued by the Department of Home Affairs: its jurisdiction is the province committee's.
    form = form_for(
        people.reform_officer,
        post_data(org.home_affairs, org.home_affairs, add_kinds=[UnitKind.COMMUNE_COMMITTEE]),
    )
    assert form.is_valid(), form.errors
    assert {unit.code for unit in form.cleaned_data["eligible_units"]} == {
        "XHT",
        "XTB",
        "CT-X1",
        "CT-X2",
        "BC-X1",
    }


def test_units_outside_the_officers_jurisdiction_cannot_be_picked(
    org: Org, tree: dict[str, Unit], district_officer: User
) -> None:
    form = form_for(
        district_officer,
        post_data(org.district, org.district_home_affairs, eligible_units=[tree["bc_commune"].pk]),
    )
    assert not form.is_valid()
    assert "eligible_units" in form.errors
    form = form_for(district_officer, post_data(org.province, org.district_home_affairs))
    assert not form.is_valid()
    assert "issuing_unit" in form.errors
    offered = {pk for pk, _ in form.fields["eligible_units"].widget.choices}
    assert tree["ct_commune_1"].pk in offered
    assert not {tree["bc_commune"].pk, org.commune.pk, tree["ct_closed_commune"].pk} & offered


def test_adding_by_kind_needs_an_issuing_unit(org: Org, district_officer: User) -> None:
    data = post_data(org.district, org.district_home_affairs, add_kinds=[UnitKind.COMMUNE_COMMITTEE])
    data["issuing_unit"] = ""
    form = form_for(district_officer, data)
    assert not form.is_valid()
    assert "add_kinds" in form.errors


def test_a_reform_officer_creates_a_campaign_with_every_field(
    client: Client, org: Org, tree: dict[str, Unit], district_officer: User
) -> None:
    field = ReformField.objects.create(code="TTHC", name="Cải cách thủ tục hành chính")
    index = ReformIndex.objects.create(code="SIPAS", name="Chỉ số SIPAS")
    rubric = Rubric.objects.create(name="Bộ tiêu chí 30/40/30", pass_mark=50)
    client.force_login(district_officer)
    assert client.get(CREATE).status_code == 200
    data = post_data(
        org.district, org.district_home_affairs, add_kinds=[UnitKind.COMMUNE_COMMITTEE],
        eligible_units=[tree["ct_division"].pk], reform_fields=[field.pk], target_indices=[index.pk],
        rubric=rubric.pk, min_initiatives_per_unit=2, reminder_working_days=4,
    )  # fmt: skip
    response = client.post(CREATE, data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.issuing_unit == org.district
    assert campaign.window_start == datetime.date(2024, 5, 15)
    assert (campaign.min_initiatives_per_unit, campaign.reminder_working_days, campaign.rubric) == (
        2,
        4,
        rubric,
    )
    assert campaign.implementation == [
        {"heading": "Phòng Nội vụ huyện:", "duties": "Theo dõi, tổng hợp."},
        {"heading": "Các xã, thị trấn", "duties": "Triển khai đến cán bộ."},
    ]
    assert {u.code for u in campaign.eligible_units.all()} == {"CT-PTC", "CT-X1", "CT-X2"}
    assert list(campaign.reform_fields.all()) == [field]
    assert list(campaign.target_indices.all()) == [index]
    assert AuditEvent.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


def test_the_form_shows_the_services_errors_and_saves_nothing(
    client: Client, org: Org, district_officer: User
) -> None:
    client.force_login(district_officer)
    response = client.post(
        CREATE, post_data(org.district, org.district_home_affairs, recipients="Sở Nội vụ;")
    )
    assert response.status_code == 200
    assert "Lưu: VT" in response.context["form"].errors["recipients"][0]
    response = client.post(
        CREATE,
        post_data(
            org.district, org.district_home_affairs, window_start="25/06/2024", window_end="15/05/2024"
        ),
    )
    assert "window_end" in response.context["form"].errors
    response = client.post(
        CREATE, post_data(org.district, org.district_home_affairs, **{"implementation-0-heading": ""})
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["heading"]
    assert not Campaign.objects.exists()


def test_editing_a_draft_keeps_its_content_and_refuses_a_stale_page(
    client: Client, org: Org, people: People
) -> None:
    draft = load_seed_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.commune],
    )
    url = reverse("initiatives:campaign_update", kwargs={"pk": draft.pk})
    client.force_login(people.reform_officer)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["title"].value() == draft.title
    assert form["version"].value() == draft.version
    assert page.context["formset"].forms[0]["heading"].value() == "Phòng Nội vụ huyện:"
    data = post_data(org.province, org.home_affairs, eligible_units=[org.commune.pk], version=draft.version)
    data["title"] = "Kế hoạch đã sửa"
    assert client.post(url, data).status_code == 302
    assert Campaign.objects.get(pk=draft.pk).title == "Kế hoạch đã sửa"
    # The same (now stale) page sent again.
    data["title"] = "Sửa lần hai từ trang cũ"
    response = client.post(url, data)
    assert response.status_code == 200
    assert str(STALE_EDIT_MESSAGE) in response.content.decode()
    assert Campaign.objects.get(pk=draft.pk).title == "Kế hoạch đã sửa"


def test_an_issued_plan_is_not_edited(client: Client, org: Org, people: People) -> None:
    issued = load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs, eligible_units=[],
        issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip
    client.force_login(people.reform_officer)
    response = client.get(reverse("initiatives:campaign_update", kwargs={"pk": issued.pk}))
    assert response.status_code == 302
    assert response["Location"] == issued.get_absolute_url()


@pytest.fixture
def national_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    """More units in the officer's jurisdiction than a select holds."""
    monkeypatch.setattr(unit_forms, "LOOKUP_THRESHOLD", 3)


def test_past_the_threshold_the_units_are_written_one_a_line(
    client: Client, org: Org, tree: dict[str, Unit], district_officer: User, national_scale: None
) -> None:
    client.force_login(district_officer)
    page = client.get(CREATE).content.decode()
    assert '<textarea aria-describedby="id_eligible_units_hint" id="id_eligible_units"' in page
    assert 'name="eligible_units_lookup"' in page and "<select" in page  # the other pickers
    typed = "ct-x1\nUBND xã An Cơ; CT-PTC — Phòng Tài chính huyện Châu Thành\nCT-X1"
    response = client.post(CREATE, post_data(org.district, org.district_home_affairs, eligible_units=typed))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert [unit.code for unit in campaign.eligible_units.all()] == ["CT-PTC", "CT-X1", "CT-X2"]
    # The draft's page lists them one a line; sent back as shown, they stay.
    url = reverse("initiatives:campaign_update", kwargs={"pk": campaign.pk})
    shown = "CT-PTC — Phòng Tài chính huyện Châu Thành\nCT-X1 — UBND xã Thanh Điền\nCT-X2 — UBND xã An Cơ"
    assert f'rows="12">\n{shown}</textarea>' in client.get(url).content.decode()
    data = post_data(org.district, org.district_home_affairs, eligible_units=shown, version=campaign.version)
    data["title"] = "Kế hoạch đã sửa"
    assert client.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Kế hoạch đã sửa"
    assert [unit.code for unit in campaign.eligible_units.all()] == ["CT-PTC", "CT-X1", "CT-X2"]


def test_past_the_threshold_a_unit_outside_the_jurisdiction_is_refused_and_the_text_kept(
    client: Client, org: Org, tree: dict[str, Unit], district_officer: User, national_scale: None
) -> None:
    client.force_login(district_officer)
    typed = "CT-X1\r\nBC-X1\r\nxã không có\r\n"
    response = client.post(CREATE, post_data(org.district, org.district_home_affairs, eligible_units=typed))
    assert response.status_code == 200
    assert response.context["form"].errors["eligible_units"] == [
        "Không tìm thấy đơn vị (trong các đơn vị được phép chọn) khớp với: “BC-X1”, “xã không có”."
    ]
    assert f">\n{escape(typed)}</textarea>" in response.content.decode()
    assert not Campaign.objects.exists()
