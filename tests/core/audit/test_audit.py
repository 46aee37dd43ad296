"""The audit trail: written in the service's transaction, append-only, shown as a timeline
and searchable by administrators."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caicach.core import clock
from caicach.core.audit import queries
from caicach.core.audit import services as audit
from caicach.core.audit.queries import AuditFilters, action_label, describe, search, timeline_for
from caicach.core.models import AuditEvent, Unit
from caicach.core.once import FIELD, new_token
from caicach.core.units.services import unit_create, unit_update
from tests.conftest import Org, People


def rename(people: People, unit: Unit, short_name: str) -> Unit:
    fresh = Unit.objects.get(pk=unit.pk)
    return unit_update(
        actor=people.admin, unit=fresh, data={"short_name": short_name}, expected_version=fresh.version
    )


def test_a_refused_change_leaves_no_event(org: Org, people: People) -> None:
    with pytest.raises(ValidationError):
        unit_create(actor=people.admin, data={"code": org.commune.code, "name": "Trùng mã", "kind": "other"})
    assert not AuditEvent.objects.exists()


def test_an_event_rolls_back_with_its_change(org: Org, people: People) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        rename(people, org.commune, "Sẽ bị hủy")
        assert AuditEvent.objects.count() == 1
        raise Boom
    assert not AuditEvent.objects.exists()
    assert Unit.objects.get(pk=org.commune.pk).short_name != "Sẽ bị hủy"


def test_an_event_holds_actor_object_changes_time_and_no_ip_outside_a_request(
    org: Org, people: People
) -> None:
    start = clock.now()
    rename(people, org.commune, "UBND xã Hảo Đước")

    event = AuditEvent.objects.get()
    assert event.actor == people.admin and event.actor_name == "Quản Trị Viên"
    assert event.content_type == ContentType.objects.get_for_model(Unit)
    assert event.object_id == str(org.commune.pk)
    assert event.object_repr == "Ủy ban nhân dân xã Hảo Đước"
    assert event.changes["short_name"][1] == "UBND xã Hảo Đước"
    assert event.created_at >= start
    assert event.ip_address is None


def test_events_cannot_be_edited_or_deleted(org: Org, people: People) -> None:
    rename(people, org.commune, "Một")
    event = AuditEvent.objects.get()

    event.message = "sửa lén"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(message="sửa lén")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get().message == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_the_database_refuses_rewrites_of_the_trail_its_search_column_included(
    org: Org, people: People
) -> None:
    rename(people, org.commune, "Một")
    event = AuditEvent.objects.get()
    for statement in (
        "UPDATE core_auditevent SET message = 'sửa lén' WHERE id = %s",
        "UPDATE core_auditevent SET search_text = 'sua len' WHERE id = %s",
        "UPDATE core_auditevent SET actor_id = NULL, search_text = 'sua len' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    # Deleting a user still clears the actor (the name stays in actor_name).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET actor_id = NULL WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get().search_text == event.search_text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_the_database_refuses_to_truncate_the_trail(org: Org, people: People) -> None:
    with connection.cursor() as cursor:
        # Armed again as in production, inside this test's transaction (tests/conftest.py
        # sets it aside for Django's flush between transactional tests).
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate")
    rename(people, org.commune, "Một")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred key checks now
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 1


def test_the_ip_comes_from_remote_addr_and_a_forged_forwarded_header_is_ignored(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.admin)
    client.post(
        reverse("unit_create"),
        {
            "code": "XMOI",
            "name": "Xã Mới",
            "kind": "commune_committee",
            "parent": org.province.pk,
            FIELD: new_token(),
        },
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert AuditEvent.objects.get(action="unit.create").ip_address == "192.0.2.7"


def test_the_timeline_is_newest_first_limited_and_described(org: Org, people: People) -> None:
    for n in range(3):
        rename(people, org.commune, f"Tên {n}")
    rename(people, org.province, "Không thuộc xã")
    unit_update(
        actor=people.admin,
        unit=Unit.objects.get(pk=org.commune.pk),
        data={"parent": org.district, "valid_from": datetime.date(2025, 7, 1)},
        expected_version=4,
    )

    events = timeline_for(org.commune, limit=3)

    assert len(events) == 3
    newest = events[0]
    assert newest.action_label == "Sửa thông tin đơn vị"  # type: ignore[attr-defined]
    rows = {row.field: row for row in newest.change_rows}  # type: ignore[attr-defined]
    assert rows["parent"].before == "Ủy ban nhân dân tỉnh Tây Ninh"
    assert rows["parent"].after == "Ủy ban nhân dân huyện Châu Thành"
    assert rows["parent"].label == "Đơn vị cấp trên"
    assert rows["valid_from"].after == "01/07/2025"
    assert [e.changes["short_name"][1] for e in events[1:]] == ["Tên 2", "Tên 1"]


def test_unknown_actions_fall_back_to_their_code(org: Org, people: People) -> None:
    with transaction.atomic():
        audit.record(actor=people.admin, action="khac.viec_la", obj=org.commune)
    assert action_label("khac.viec_la") == "khac.viec_la"
    assert describe(AuditEvent.objects.all())[0].action_label == "khac.viec_la"  # type: ignore[attr-defined]


def test_keys_that_are_not_fields_take_their_registered_label_and_choice_words(
    org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "CHANGE_LABELS", {k: dict(v) for k, v in queries.CHANGE_LABELS.items()})
    monkeypatch.setattr(queries, "CHANGE_CHOICES", dict(queries.CHANGE_CHOICES))
    queries.register_change_labels(
        Unit, {"tier": "Cấp hành chính"}, choices={"tier": [("commune", "Cấp xã")]}
    )
    with transaction.atomic():
        audit.record(
            actor=people.admin,
            action="unit.update",
            obj=org.commune,
            changes={
                "tier": [None, "commune"],
                "mystery_key": [None, "x"],
                "score": [None, "90.50"],
                "parent": [None, "Tỉnh mới (tên ghi sẵn)"],
                "successor": [None, 999999],
            },
        )
    (event,) = describe(AuditEvent.objects.filter(action="unit.update"))
    rows = {row.field: row for row in event.change_rows}  # type: ignore[attr-defined]
    assert (rows["tier"].label, rows["tier"].after, rows["tier"].labelled) == (
        "Cấp hành chính",
        "Cấp xã",
        True,
    )
    # An unknown key is shown as is, and marked so the demo-wide test can find it.
    assert (rows["mystery_key"].label, rows["mystery_key"].labelled) == ("Mystery_key", False)
    assert rows["score"].after == "90,50"  # the Vietnamese decimal comma
    assert rows["parent"].after == "Tỉnh mới (tên ghi sẵn)"  # a name the service recorded, not "#…"
    assert rows["successor"].after == "(đã xóa)"  # an object gone, never a raw id


def test_the_object_types_offered_are_each_audited_type_once_and_cached(
    org: Org, people: People, django_assert_num_queries: Any
) -> None:
    from django.core.cache import cache

    from caicach.core.audit.queries import AUDITED_TYPES_CACHE, audited_content_types

    for n in range(3):
        rename(people, org.commune, f"Tên {n}")
        rename(people, org.science, f"Tên {n}")
    assert AuditEvent.objects.count() == 6
    assert list(audited_content_types()) == [ContentType.objects.get_for_model(Unit)]
    assert cache.get(AUDITED_TYPES_CACHE) == [ContentType.objects.get_for_model(Unit).pk]  # not one per event
    with django_assert_num_queries(1):  # the cached ids, then only the content types
        list(audited_content_types())


def test_search_filters_by_actor_action_type_object_dates_and_text(org: Org, people: People) -> None:
    rename(people, org.commune, "Một")
    rename(people, org.science, "Hai")
    with transaction.atomic():
        audit.record(
            actor=people.reform_officer, action="initiative.submit", message="Sáng kiến số hóa hồ sơ"
        )
    old = AuditEvent.objects.get(action="initiative.submit")
    with transaction.atomic():
        AuditEvent.objects.create(
            action="unit.update",
            actor_name="Người cũ",
            created_at=timezone.make_aware(datetime.datetime(2024, 1, 15, 9, 0)),
        )

    unit_type = ContentType.objects.get_for_model(Unit)
    assert search(AuditFilters(actor="Cải Cách")).get() == old
    assert search(AuditFilters(actor="cvnoivu")).get() == old
    assert search(AuditFilters(action="unit.update")).count() == 3
    assert search(AuditFilters(action="unit.")).count() == 3
    assert search(AuditFilters(content_type=unit_type)).count() == 2
    assert search(AuditFilters(object_id=str(org.science.pk))).get().object_repr == "Sở Khoa học và Công nghệ"
    assert search(AuditFilters(text="số hóa")).get() == old
    # The one search service: accents folded, words by their start, not letters mid-word.
    assert old.search_text == "sang kien so hoa ho so"
    assert search(AuditFilters(text="SO HOA h")).get() == old
    assert not search(AuditFilters(text="oa")).exists()
    assert search(AuditFilters(text="Khoa học")).count() == 1
    jan = search(AuditFilters(date_from=datetime.date(2024, 1, 15), date_to=datetime.date(2024, 1, 15)))
    assert [e.actor_name for e in jan] == ["Người cũ"]
    assert search(AuditFilters(date_to=datetime.date(2024, 1, 14))).count() == 0


# --- the search page ------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client: Client, org: Org) -> None:
    response = client.get(reverse("audit_search"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_search_answers_only_get(client: Client, people: People, method: str) -> None:
    client.force_login(people.admin)
    before = AuditEvent.objects.count()
    response = getattr(client, method)(reverse("audit_search"))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "persona",
    ["reform_officer", "office_officer", "unit_head", "unit_staff", "leader", "council_member", "outsider"],
)
def test_only_admins_search_the_trail(client: Client, org: Org, people: People, persona: str) -> None:
    client.force_login(getattr(people, persona))
    assert client.get(reverse("audit_search")).status_code == 404


def test_the_search_page_lists_filtered_events_with_links_and_changes(
    client: Client, org: Org, people: People
) -> None:
    rename(people, org.commune, "UBND xã Hảo Đước")
    rename(people, org.science, "Sở KH&CN")
    client.force_login(people.admin)

    response = client.get(
        reverse("audit_search"),
        {"object_id": str(org.commune.pk), "date_from": clock.today().strftime("%d/%m/%Y")},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("unit_detail", args=[org.commune.pk])}"' in page
    assert "UBND xã Hảo Đước" in page
    assert "Sở Khoa học và Công nghệ" not in page
    assert "Tên viết tắt" in page  # the changed field by its Vietnamese label


def test_the_search_page_explains_a_bad_date(client: Client, org: Org, people: People) -> None:
    rename(people, org.commune, "Một")
    client.force_login(people.admin)
    response = client.get(reverse("audit_search"), {"date_from": "32/13/2025"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()
    assert "Ủy ban nhân dân xã Hảo Đước" not in response.content.decode()


def test_the_search_page_has_a_constant_query_count(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        rename(people, org.commune if n % 2 else org.province, f"Tên {n}")
        science = Unit.objects.get(pk=org.science.pk)
        unit_update(
            actor=people.admin,
            unit=science,
            data={"parent": org.district if n % 2 else org.home_affairs},
            expected_version=science.version,
        )
    client.force_login(people.admin)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("audit_search"))
    assert response.status_code == 200
    next_page = response.context["page_obj"].next_cursor
    assert next_page
    with django_assert_max_num_queries(11):
        response = client.get(reverse("audit_search"), {"after": next_page, "action": "unit."})
    assert response.status_code == 200


def test_the_search_pages_walk_the_whole_trail_newest_first_without_counting_it(
    client: Client, org: Org, people: People
) -> None:
    for n in range(60):
        rename(people, org.commune, f"Tên {n}")
    everything = list(AuditEvent.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    client.force_login(people.admin)
    seen: list[int] = []
    after = ""
    with CaptureQueriesContext(connection) as queries:
        while True:
            response = client.get(reverse("audit_search"), {"after": after} if after else {})
            page = response.context["page_obj"]
            seen += [event.pk for event in page.object_list]
            after = page.next_cursor
            if not after:
                break
    assert seen == everything and len(seen) > 50
    assert not [
        q for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "core_auditevent" in q["sql"]
    ]
    assert 'rel="next"' not in response.content.decode()  # the last page offers no older one


def test_a_mangled_cursor_starts_from_the_newest(client: Client, org: Org, people: People) -> None:
    rename(people, org.commune, "Tên mới")
    client.force_login(people.admin)
    response = client.get(reverse("audit_search"), {"after": "hôm qua~x"})
    assert response.status_code == 200
    assert response.context["page_obj"].is_first
