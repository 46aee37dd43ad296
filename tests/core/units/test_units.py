"""Organisation units: services (edit, stale edit, merge), the tree, roll-up, and pages."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, Unit, UnitKind
from caicach.core.once import FIELD, new_token
from caicach.core.units.queries import (
    STATUS_ACTIVE,
    STATUS_INACTIVE,
    effective_unit,
    rollup_map,
    unit_rows,
    units_by_id,
)
from caicach.core.units.services import unit_create, unit_merge, unit_update
from tests.conftest import Org, People
from tests.core.factories import person

JULY_2025 = datetime.date(2025, 7, 1)


def new_unit(code: str, **fields: Any) -> Unit:
    fields.setdefault("name", f"Đơn vị {code}")
    fields.setdefault("kind", UnitKind.COMMUNE_COMMITTEE)
    return Unit.objects.create(code=code, **fields)


def unit_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "XMOI",
        "name": "Ủy ban nhân dân xã Mới",
        "short_name": "UBND xã Mới",
        "kind": UnitKind.COMMUNE_COMMITTEE,
        "parent": None,
        "valid_from": JULY_2025,
        "valid_to": None,
        "document_symbol": "UBND",
        "place_name": "Mới",
        "email": "",
        "address": "",
    }
    data.update(overrides)
    return data


# --- services ---------------------------------------------------------------------------------


def test_it_creates_a_unit_with_an_audit_event(org: Org, people: People) -> None:
    unit = unit_create(actor=people.admin, data=unit_data(parent=org.province))

    assert unit.parent == org.province
    event = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert event.actor == people.admin
    assert event.changes["name"] == [None, "Ủy ban nhân dân xã Mới"]
    assert event.changes["parent"] == [None, org.province.pk]


def test_it_stores_decomposed_vietnamese_as_nfc(org: Org, people: People) -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân xã Hòa Hội")
    assert decomposed != unicodedata.normalize("NFC", decomposed)

    unit = unit_create(actor=people.admin, data=unit_data(name=decomposed, place_name=decomposed))

    unit.refresh_from_db()
    assert unit.name == unicodedata.normalize("NFC", decomposed)
    assert Unit.objects.filter(name="Ủy ban nhân dân xã Hòa Hội").exists()


def test_it_refuses_a_duplicate_code(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        unit_create(actor=people.admin, data=unit_data(code=org.commune.code))
    assert "đã được dùng" in str(error.value)


def test_it_updates_records_before_and_after_and_bumps_the_version(org: Org, people: People) -> None:
    unit = org.commune
    old_short_name = unit.short_name
    updated = unit_update(
        actor=people.admin, unit=unit, data={"short_name": "UBND xã Hảo Đước"}, expected_version=unit.version
    )

    assert updated.version == 2
    assert Unit.objects.get(pk=unit.pk).short_name == "UBND xã Hảo Đước"
    event = AuditEvent.objects.get(action="unit.update")
    assert event.changes == {"short_name": [old_short_name, "UBND xã Hảo Đước"]}


def test_it_refuses_a_stale_edit_with_a_clear_message(org: Org, people: People) -> None:
    loaded_version = org.commune.version
    unit_update(
        actor=people.admin, unit=org.commune, data={"short_name": "Lần 1"}, expected_version=loaded_version
    )

    with pytest.raises(ValidationError) as error:
        unit_update(
            actor=people.admin,
            unit=org.commune,
            data={"short_name": "Lần 2"},
            expected_version=loaded_version,
        )

    assert "người khác thay đổi" in str(error.value)
    assert Unit.objects.get(pk=org.commune.pk).short_name == "Lần 1"
    assert AuditEvent.objects.filter(action="unit.update").count() == 1


def test_the_conditional_update_lets_only_one_of_two_concurrent_editors_win(org: Org, people: People) -> None:
    # Simulate the race: the other editor's UPDATE lands between our read and our write.
    Unit.objects.filter(pk=org.commune.pk).update(version=2)
    with pytest.raises(ValidationError):
        unit_update(actor=people.admin, unit=org.commune, data={"name": "Tên mới"}, expected_version=1)
    assert Unit.objects.get(pk=org.commune.pk).name == "Ủy ban nhân dân xã Hảo Đước"


def test_it_refuses_a_parent_that_is_a_descendant(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        unit_update(
            actor=people.admin,
            unit=org.district,
            data={"parent": org.district_home_affairs},
            expected_version=org.district.version,
        )
    assert "cấp dưới" in str(error.value)


def test_it_refuses_validity_ending_before_it_starts(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        unit_create(
            actor=people.admin,
            data=unit_data(valid_from=datetime.date(2025, 7, 1), valid_to=datetime.date(2025, 6, 1)),
        )


@pytest.mark.parametrize(
    "dates",
    [
        {"valid_from": datetime.date(1, 1, 1)},
        {"valid_from": datetime.date(1900, 1, 1)},
        {"valid_to": datetime.date(9999, 12, 31)},
    ],
)
def test_a_unit_valid_from_or_to_an_absurd_date_is_refused(
    org: Org, people: People, dates: dict[str, datetime.date]
) -> None:
    with pytest.raises(ValidationError) as caught:
        unit_create(actor=people.admin, data=unit_data(**dates))
    assert " phải từ ngày 02/09/1945 đến ngày " in caught.value.message_dict[next(iter(dates))][0]
    assert not Unit.objects.filter(code="XMOI").exists()


def test_a_merge_dated_9999_is_refused(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as caught:
        unit_merge(
            actor=people.admin,
            unit=org.other_commune,
            successor=org.commune,
            effective_date=datetime.date(9999, 12, 31),
            expected_version=org.other_commune.version,
        )
    assert "effective_date" in caught.value.message_dict
    assert Unit.objects.get(pk=org.other_commune.pk).valid_to is None


def test_a_failing_service_leaves_no_audit_event(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        unit_update(
            actor=people.admin, unit=org.commune, data={"code": org.province.code}, expected_version=1
        )
    assert not AuditEvent.objects.exists()


def test_merge_ends_the_unit_the_day_before_and_sets_the_successor(org: Org, people: People) -> None:
    merged = unit_merge(
        actor=people.admin,
        unit=org.other_commune,
        successor=org.commune,
        effective_date=JULY_2025,
        expected_version=org.other_commune.version,
    )

    assert merged.valid_to == datetime.date(2025, 6, 30)
    assert merged.successor == org.commune
    assert merged.version == 2
    event = AuditEvent.objects.get(action="unit.merge")
    assert event.changes["valid_to"] == [None, "2025-06-30"]
    assert event.changes["successor"] == [None, org.commune.pk]


def test_merge_refuses_a_cycle(org: Org, people: People) -> None:
    unit_merge(
        actor=people.admin,
        unit=org.other_commune,
        successor=org.commune,
        effective_date=JULY_2025,
        expected_version=org.other_commune.version,
    )
    org.commune.refresh_from_db()

    # B → A: A ended on 30/06/2025 and already leads to B, so the merge is refused.
    with pytest.raises(ValidationError):
        unit_merge(
            actor=people.admin,
            unit=org.commune,
            successor=org.other_commune,
            effective_date=JULY_2025,
            expected_version=org.commune.version,
        )
    assert Unit.objects.get(pk=org.commune.pk).successor_id is None


def test_merge_refuses_a_cycle_even_when_the_target_is_still_active(org: Org, people: People) -> None:
    # A merged into B from a future date: A is still active today, yet B → A would loop.
    future = datetime.date(2027, 1, 1)
    unit_merge(
        actor=people.admin,
        unit=org.other_commune,
        successor=org.commune,
        effective_date=future,
        expected_version=org.other_commune.version,
    )
    org.commune.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        unit_merge(
            actor=people.admin,
            unit=org.commune,
            successor=org.other_commune,
            effective_date=datetime.date(2026, 1, 1),
            expected_version=org.commune.version,
        )
    assert "sáp nhập vào đơn vị này" in str(error.value)


def test_merge_refuses_a_successor_inactive_on_the_effective_date(org: Org, people: People) -> None:
    old = new_unit("XCU", kind=UnitKind.COMMUNE_COMMITTEE, valid_to=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError) as error:
        unit_merge(
            actor=people.admin,
            unit=org.other_commune,
            successor=old,
            effective_date=JULY_2025,
            expected_version=org.other_commune.version,
        )
    assert "không còn hiệu lực" in str(error.value)


def test_merge_refuses_merging_into_a_descendant(org: Org, people: People) -> None:
    with pytest.raises(ValidationError) as error:
        unit_merge(
            actor=people.admin,
            unit=org.district,
            successor=org.district_home_affairs,
            effective_date=JULY_2025,
            expected_version=org.district.version,
        )
    assert "cấp dưới" in str(error.value)


def test_merge_refuses_itself_and_a_stale_version(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        unit_merge(
            actor=people.admin,
            unit=org.commune,
            successor=org.commune,
            effective_date=JULY_2025,
            expected_version=org.commune.version,
        )
    with pytest.raises(ValidationError):
        unit_merge(
            actor=people.admin,
            unit=org.other_commune,
            successor=org.commune,
            effective_date=JULY_2025,
            expected_version=99,
        )
    assert not AuditEvent.objects.exists()


def test_merge_refuses_a_date_that_would_push_back_an_existing_end(org: Org, people: People) -> None:
    ended = new_unit("XHET", valid_to=datetime.date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        unit_merge(
            actor=people.admin,
            unit=ended,
            successor=org.commune,
            effective_date=datetime.date(2025, 7, 2),
            expected_version=ended.version,
        )

    assert "chỉ còn hiệu lực đến ngày 30/06/2025" in str(error.value)
    assert "không được sau ngày 01/07/2025" in str(error.value)
    ended.refresh_from_db()
    assert ended.valid_to == datetime.date(2025, 6, 30) and ended.successor_id is None
    assert not AuditEvent.objects.exists()


def test_merge_accepts_the_day_after_an_existing_end_or_an_earlier_one(org: Org, people: People) -> None:
    on_time = new_unit("XDUNG", valid_to=datetime.date(2025, 6, 30))
    earlier = new_unit("XSOM", valid_to=datetime.date(2025, 6, 30))

    unit_merge(
        actor=people.admin,
        unit=on_time,
        successor=org.commune,
        effective_date=JULY_2025,
        expected_version=on_time.version,
    )
    unit_merge(
        actor=people.admin,
        unit=earlier,
        successor=org.commune,
        effective_date=datetime.date(2025, 6, 1),
        expected_version=earlier.version,
    )

    assert Unit.objects.get(pk=on_time.pk).valid_to == datetime.date(2025, 6, 30)
    assert Unit.objects.get(pk=earlier.pk).valid_to == datetime.date(2025, 5, 31)


# --- the folded search column -----------------------------------------------------------------


def test_the_search_column_follows_every_write(org: Org, people: People) -> None:
    created = unit_create(actor=people.admin, data=unit_data(name="Ủy ban nhân dân xã Đức Hòa"))
    assert created.search_text == "xmoi uy ban nhan dan xa duc hoa ubnd xa moi"

    unit_update(actor=people.admin, unit=created, data={"short_name": "UBND Đức Hòa"}, expected_version=1)
    assert Unit.objects.get(pk=created.pk).search_text == "xmoi uy ban nhan dan xa duc hoa ubnd duc hoa"

    # A save limited to other fields leaves it alone; one touching the name refreshes it.
    unit = Unit.objects.get(pk=created.pk)
    unit.name = "Ủy ban nhân dân phường Đức Hòa"
    unit.save(update_fields=["name"])
    assert Unit.objects.get(pk=created.pk).search_text.startswith("xmoi uy ban nhan dan phuong duc hoa")


# --- structures and roll-up -----------------------------------------------------------------------


def test_both_the_three_tier_and_the_2025_two_tier_structures_are_representable(
    org: Org, people: People
) -> None:
    # Three tiers (before 1 July 2025): province → district → commune and district division.
    old_commune = unit_create(
        actor=people.admin,
        data=unit_data(
            code="XAN",
            name="Ủy ban nhân dân xã An Bình",
            parent=org.district,
            valid_from=None,
            valid_to=datetime.date(2025, 6, 30),
        ),
    )
    # Two tiers (from 1 July 2025): province → commune, the district's units merged into it.
    new_commune = unit_create(
        actor=people.admin,
        data=unit_data(code="XCT", name="Ủy ban nhân dân xã Châu Thành", parent=org.province),
    )
    unit_merge(
        actor=people.admin,
        unit=old_commune,
        successor=new_commune,
        effective_date=JULY_2025,
        expected_version=old_commune.version,
    )
    district = Unit.objects.get(pk=org.district.pk)
    unit_merge(
        actor=people.admin,
        unit=district,
        successor=new_commune,
        effective_date=JULY_2025,
        expected_version=district.version,
    )

    rows = {row.unit.code: row.depth for row in unit_rows()}
    assert rows["TNH"] == 0 and rows["CTH"] == 1 and rows["XAN"] == 2 and rows["CTH-PNV"] == 2
    assert rows["XCT"] == 1

    before = {row.unit.code for row in unit_rows(status=STATUS_ACTIVE, on=datetime.date(2025, 6, 30))}
    after = {row.unit.code for row in unit_rows(status=STATUS_ACTIVE, on=JULY_2025)}
    assert {"CTH", "XAN"} <= before and "XCT" in before | after
    assert "CTH" not in after and "XAN" not in after and "XCT" in after
    assert {row.unit.code for row in unit_rows(status=STATUS_INACTIVE, on=JULY_2025)} == {"CTH", "XAN"}


def test_reports_roll_a_merged_unit_up_to_its_successor_chain(org: Org, people: People) -> None:
    a = new_unit("A", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province)
    b = new_unit("B", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province)
    c = new_unit("C", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province)
    unit_merge(
        actor=people.admin,
        unit=a,
        successor=b,
        effective_date=datetime.date(2025, 1, 1),
        expected_version=a.version,
    )
    unit_merge(
        actor=people.admin,
        unit=Unit.objects.get(pk=b.pk),
        successor=c,
        effective_date=JULY_2025,
        expected_version=Unit.objects.get(pk=b.pk).version,
    )
    a.refresh_from_db()

    assert effective_unit(a, on=datetime.date(2024, 12, 31)) == a
    assert effective_unit(a, on=datetime.date(2025, 3, 1)) == b
    assert effective_unit(a, on=datetime.date(2026, 1, 1)) == c
    assert rollup_map(on=datetime.date(2026, 1, 1))[a.pk] == c.pk


def test_rollup_survives_a_successor_cycle_in_old_data(org: Org) -> None:
    a = new_unit("A", valid_to=datetime.date(2020, 1, 1))
    b = new_unit("B", valid_to=datetime.date(2020, 1, 1), successor=a)
    Unit.objects.filter(pk=a.pk).update(successor=b)

    found = effective_unit(Unit.objects.get(pk=a.pk), on=datetime.date(2026, 1, 1), units_by_id=units_by_id())
    assert found.pk in {a.pk, b.pk}


def test_the_tree_search_ignores_accents_and_case(org: Org) -> None:
    found = [row.unit.code for row in unit_rows(search="hao duoc")]
    assert found == ["XHT"]
    assert [row.unit.code for row in unit_rows(search="SỞ NỘI")] == ["SNV"]
    assert [row.unit.code for row in unit_rows(kind=UnitKind.DISTRICT_DIVISION)] == ["CTH-PNV"]


def test_the_search_wants_every_word_in_any_order_and_matches_codes(org: Org) -> None:
    assert [row.unit.code for row in unit_rows(search="chau thanh  noi vu")] == ["CTH-PNV"]
    assert [row.unit.code for row in unit_rows(search="huyện ủy ban")] == ["CTH"]
    assert [row.unit.code for row in unit_rows(search="skhcn")] == ["SKHCN"]
    assert list(unit_rows(search="noi vu binh duong")) == []


def test_the_trees_order_is_kept_until_a_unit_changes(org: Org) -> None:
    """A second look orders no unit (the tree's order was kept) and gives the same rows; a
    unit added since takes its place at once, and the active ones follow the day."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = [(row.unit.code, row.depth) for row in unit_rows(status=STATUS_ACTIVE)]
    with CaptureQueriesContext(connection) as again:
        assert [(row.unit.code, row.depth) for row in unit_rows(status=STATUS_ACTIVE)] == first
    nodes = 'SELECT "core_unit"."id" AS "id", "core_unit"."parent_id" AS "parent_id", "core_unit"."code"'
    assert not [query for query in again.captured_queries if query["sql"].startswith(nodes)]
    new_unit("CTH-XA", parent=org.district)
    rows = [(row.unit.code, row.depth) for row in unit_rows(status=STATUS_ACTIVE)]
    assert rows[rows.index(("CTH-PNV", 2)) + 1] == ("CTH-XA", 2) and len(rows) == len(first) + 1
    Unit.objects.filter(code="CTH-XA").update(valid_to=datetime.date(2030, 1, 1))
    later = [row.unit.code for row in unit_rows(status=STATUS_ACTIVE, on=datetime.date(2030, 6, 1))]
    assert "CTH-XA" not in later and "CTH-PNV" in later


def test_the_unfiltered_list_is_the_indented_tree(org: Org) -> None:
    rows = [(row.unit.code, row.depth) for row in unit_rows()]
    assert rows == [
        ("TNH", 0),
        ("CTH", 1),
        ("CTH-PNV", 2),
        ("SKHCN", 1),
        ("SNV", 1),
        ("VP", 1),
        ("XHT", 1),
        ("XTB", 1),
    ]
    # A slice (a page) brings only its own rows, parents and successors loaded.
    assert [(row.unit.code, row.depth) for row in unit_rows()[2:4]] == [("CTH-PNV", 2), ("SKHCN", 1)]
    assert unit_rows()[2].unit.parent == org.district


def test_the_database_itself_refuses_a_parent_cycle(org: Org) -> None:
    """The closure table's triggers would give A itself as an ancestor a second time."""
    a = new_unit("A")
    b = new_unit("B", parent=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=a.pk).update(parent=b)
    assert Unit.objects.get(pk=a.pk).parent_id is None


# --- pages ------------------------------------------------------------------------------------


def login_redirect(response: Any) -> bool:
    return bool(response.status_code == 302 and response["Location"].startswith(reverse("login")))


@pytest.mark.parametrize("url_name", ["unit_list", "unit_create", "unit_import", "unit_export"])
def test_anonymous_users_are_sent_to_login(client: Client, org: Org, url_name: str) -> None:
    assert login_redirect(client.get(reverse(url_name)))


@pytest.mark.parametrize("url_name", ["unit_detail", "unit_update", "unit_merge"])
def test_anonymous_users_are_sent_to_login_from_a_unit(client: Client, org: Org, url_name: str) -> None:
    assert login_redirect(client.get(reverse(url_name, args=[org.commune.pk])))


@pytest.mark.parametrize("persona", ["admin", "reform_officer", "unit_staff", "leader", "outsider"])
def test_every_logged_in_user_sees_the_unit_list_and_pages(
    client: Client, org: Org, people: People, persona: str
) -> None:
    client.force_login(getattr(people, persona))
    assert client.get(reverse("unit_list")).status_code == 200
    assert client.get(reverse("unit_detail", args=[org.commune.pk])).status_code == 200
    export = client.get(reverse("unit_export"))
    assert export.status_code == 200
    assert export.content.startswith(b"PK\x03\x04")


@pytest.mark.parametrize("persona", ["reform_officer", "office_officer", "unit_head", "leader", "outsider"])
def test_only_admins_reach_the_editing_pages(client: Client, org: Org, people: People, persona: str) -> None:
    client.force_login(getattr(people, persona))
    assert client.get(reverse("unit_create")).status_code == 404
    assert client.get(reverse("unit_import")).status_code == 404
    assert client.get(reverse("unit_update", args=[org.commune.pk])).status_code == 404
    assert client.get(reverse("unit_merge", args=[org.commune.pk])).status_code == 404
    response = client.post(reverse("unit_update", args=[org.commune.pk]), post_data(org.commune, name="X"))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


def test_admins_reach_the_editing_pages(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    for url in (
        reverse("unit_create"),
        reverse("unit_import"),
        reverse("unit_update", args=[org.commune.pk]),
        reverse("unit_merge", args=[org.commune.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_an_unknown_unit_is_a_404(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    assert client.get(reverse("unit_detail", args=[999999])).status_code == 404


def post_data(unit: Unit, **overrides: Any) -> dict[str, Any]:
    data = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "valid_from": unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "",
        "valid_to": unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "",
        "document_symbol": unit.document_symbol,
        "place_name": unit.place_name,
        "email": unit.email,
        "address": unit.address,
        "version": unit.version,
    }
    data.update(overrides)
    return data


def test_the_edit_page_saves_and_records_the_client_address(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(
        reverse("unit_update", args=[org.commune.pk]),
        post_data(org.commune, valid_from="01/07/2025"),
        REMOTE_ADDR="10.20.30.40",
    )

    assert response.status_code == 302
    assert Unit.objects.get(pk=org.commune.pk).valid_from == JULY_2025
    event = AuditEvent.objects.get(action="unit.update")
    assert event.ip_address == "10.20.30.40"
    assert event.changes == {"valid_from": [None, "2025-07-01"]}


def test_the_edit_page_shows_the_stale_edit_message(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    stale = post_data(org.commune, short_name="Của tôi")
    Unit.objects.filter(pk=org.commune.pk).update(version=5, short_name="Của người khác")

    response = client.post(reverse("unit_update", args=[org.commune.pk]), stale)

    assert response.status_code == 200
    assert "người khác thay đổi" in response.content.decode()
    assert Unit.objects.get(pk=org.commune.pk).short_name == "Của người khác"


def test_the_create_page_normalises_decomposed_input(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    name = unicodedata.normalize("NFD", "Ủy ban nhân dân phường Hòa Thành")
    response = client.post(
        reverse("unit_create"),
        {
            "code": "PHT",
            "name": name,
            "kind": UnitKind.COMMUNE_COMMITTEE,
            "parent": org.province.pk,
            FIELD: new_token(),
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="PHT").name == unicodedata.normalize("NFC", name)


def test_the_unit_pickers_escape_what_they_print(client: Client, org: Org, people: People) -> None:
    new_unit("X<1>", name='Đội "Công tác" <b>đặc biệt</b> & Cộng sự')
    client.force_login(people.admin)
    html = client.get(reverse("unit_merge", args=[org.commune.pk])).content.decode()
    assert "X&lt;1&gt; — Đội &quot;Công tác&quot; &lt;b&gt;đặc biệt&lt;/b&gt; &amp; Cộng sự</option>" in html
    assert "<b>đặc biệt</b>" not in html


def test_the_merge_page_merges(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(
        reverse("unit_merge", args=[org.other_commune.pk]),
        {"successor": org.commune.pk, "effective_date": "01/07/2025", "version": org.other_commune.version},
    )
    assert response.status_code == 302
    merged = Unit.objects.get(pk=org.other_commune.pk)
    assert merged.successor_id == org.commune.pk
    assert merged.valid_to == datetime.date(2025, 6, 30)


def test_the_detail_page_shows_children_predecessors_staff_and_timeline(
    client: Client, org: Org, people: People
) -> None:
    unit_merge(
        actor=people.admin,
        unit=org.other_commune,
        successor=org.commune,
        effective_date=JULY_2025,
        expected_version=org.other_commune.version,
    )
    client.force_login(people.unit_staff)

    page = client.get(reverse("unit_detail", args=[org.commune.pk])).content.decode()
    assert "Ủy ban nhân dân xã Thanh Điền" in page  # predecessor
    district_page = client.get(reverse("unit_detail", args=[org.district.pk])).content.decode()
    assert "Phòng Nội vụ huyện Châu Thành" in district_page  # child
    science = client.get(reverse("unit_detail", args=[org.science.pk])).content.decode()
    assert "Nguyễn Thị Cán Bộ" in science  # staff
    merged_page = client.get(reverse("unit_detail", args=[org.other_commune.pk])).content.decode()
    assert "Sáp nhập đơn vị" in merged_page  # timeline, in Vietnamese words
    assert "30/06/2025" in merged_page


def test_the_list_filters_by_search_and_status(client: Client, org: Org, people: People) -> None:
    unit_merge(
        actor=people.admin,
        unit=org.other_commune,
        successor=org.commune,
        effective_date=JULY_2025,
        expected_version=org.other_commune.version,
    )
    client.force_login(people.unit_staff)

    page = client.get(reverse("unit_list"), {"q": "thanh dien", "status": "all"}).content.decode()
    assert "Ủy ban nhân dân xã Thanh Điền" in page
    assert "Sở Nội vụ" not in page
    active = client.get(reverse("unit_list")).content.decode()
    assert "Ủy ban nhân dân xã Thanh Điền" not in active
    assert "Sở Nội vụ" in active


def test_the_list_serves_the_htmx_partial(client: Client, org: Org, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.get(reverse("unit_list"), {"q": "noi vu"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Sở Nội vụ" in response.content.decode()


def many_units(org: Org, count: int) -> None:
    for n in range(count):
        new_unit(f"X{n:03d}", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province)


def test_the_list_pages_through_the_tree_and_shows_parents_in_a_search(
    client: Client, org: Org, people: People
) -> None:
    many_units(org, 30)
    client.force_login(people.unit_staff)

    first = client.get(reverse("unit_list"))
    rows = [(row.unit.code, row.depth) for row in first.context["page_obj"]]
    assert rows[:4] == [("TNH", 0), ("CTH", 1), ("CTH-PNV", 2), ("SKHCN", 1)]
    assert len(rows) == 25 and first.context["page_obj"].paginator.count == Unit.objects.count()
    second = client.get(reverse("unit_list"), {"page": "2"}).context["page_obj"]
    assert [row.unit.code for row in second][-2:] == ["XHT", "XTB"]

    found = client.get(reverse("unit_list"), {"q": "noi vu chau thanh"})
    assert [row.unit.code for row in found.context["page_obj"]] == ["CTH-PNV"]
    assert "UBND huyện Châu Thành" in found.content.decode()  # the parent column


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "all", "page": "3"},
        {"status": "inactive"},
        {"q": "don vi x0", "status": "all", "page": "2"},
        {"kind": UnitKind.COMMUNE_COMMITTEE, "status": "active"},
    ],
)
def test_the_list_has_a_constant_query_count(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any, query: dict[str, str]
) -> None:
    many_units(org, 80)
    Unit.objects.filter(code__in=["X001", "X002"]).update(valid_to=datetime.date(2020, 1, 1))
    client.force_login(people.unit_staff)
    # Session, user, grants, inbox count, the session's idle-timeout stamp (3), and at most
    # three for the list itself: tree positions, active ids, the page's rows.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("unit_list"), query)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) > 0


def test_the_detail_page_has_a_constant_query_count(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    many_units(org, 40)
    for n in range(30):
        person(f"nv{n}", org.province)
    for n in range(25):
        unit_update(
            actor=people.admin,
            unit=org.province,
            data={"short_name": f"UBND tỉnh {n}"},
            expected_version=n + 1,
        )
    client.force_login(people.admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("unit_detail", args=[org.province.pk]))
    assert response.status_code == 200
    assert "UBND tỉnh 24" in response.content.decode()


def test_the_edit_and_export_pages_have_a_constant_query_count(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    many_units(org, 60)
    client.force_login(people.admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("unit_update", args=[org.commune.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("unit_merge", args=[org.commune.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("unit_export")).status_code == 200
