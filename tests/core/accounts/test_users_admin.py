"""The user administration: pages, permissions, services and their audit events."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from caicach.core.accounts import services
from caicach.core.accounts.queries import user_fingerprint
from caicach.core.models import AuditEvent, Membership, Role, User
from caicach.core.once import FIELD, new_token
from caicach.core.permissions import can
from tests.conftest import Org, People
from tests.core.factories import person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-ban-dau-2026"


def _many_users(org: Org, count: int = 35) -> None:
    for i in range(count):
        person(
            f"nv{i:03d}",
            org.science if i % 2 else org.commune,
            Role.UNIT_STAFF,
            full_name=f"Trần Văn Thử {i}",
        )


# --- Permission matrix ------------------------------------------------------------------------

ADMIN_GETS = ["user_list", "user_create"]
ADMIN_OBJECT_GETS = ["user_update", "user_password"]
ADMIN_OBJECT_POSTS = ["user_set_active", "membership_add"]


@pytest.mark.parametrize("name", ADMIN_GETS)
def test_admin_pages_redirect_anonymous_visitors_to_login(client: Client, name: str, db: None) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ADMIN_GETS)
@pytest.mark.parametrize(
    "who", ["reform_officer", "office_officer", "unit_head", "unit_staff", "leader", "outsider"]
)
def test_admin_pages_are_404_for_non_admins(client: Client, people: People, name: str, who: str) -> None:
    client.force_login(getattr(people, who))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", ADMIN_GETS)
def test_admin_pages_open_for_the_admin(client: Client, people: People, name: str) -> None:
    client.force_login(people.admin)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_OBJECT_GETS)
def test_admin_object_pages_are_404_for_non_admins_even_the_unit_head(
    client: Client, people: People, name: str
) -> None:
    client.force_login(people.unit_head)
    assert client.get(reverse(name, kwargs={"pk": people.unit_staff.pk})).status_code == 404
    client.force_login(people.admin)
    assert client.get(reverse(name, kwargs={"pk": people.unit_staff.pk})).status_code == 200


@pytest.mark.parametrize("name", ADMIN_OBJECT_POSTS)
def test_admin_actions_are_404_for_non_admins_and_change_nothing(
    client: Client, people: People, name: str
) -> None:
    client.force_login(people.unit_head)
    response = client.post(
        reverse(name, kwargs={"pk": people.unit_staff.pk}),
        {"is_active": "0", "unit": people.unit_head.unit_id, "role": Role.UNIT_HEAD},
    )
    assert response.status_code == 404
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.is_active
    assert not Membership.objects.filter(user=people.unit_staff, role=Role.UNIT_HEAD).exists()


def test_membership_remove_is_404_for_non_admins(client: Client, people: People) -> None:
    membership = Membership.objects.get(user=people.unit_staff)
    client.force_login(people.unit_head)
    assert client.post(reverse("membership_remove", kwargs={"pk": membership.pk})).status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


def test_user_detail_permissions(client: Client, people: People) -> None:
    url = reverse("user_detail", kwargs={"pk": people.unit_staff.pk})
    assert client.get(url)["Location"].startswith(reverse("login"))
    for who, status in [
        ("admin", 200),
        ("unit_head", 200),  # heads see their own unit's staff
        ("unit_staff", 200),  # oneself
        ("outsider", 404),
        ("reform_officer", 404),
        ("leader", 404),
    ]:
        client.force_login(getattr(people, who))
        assert client.get(url).status_code == status, who


@pytest.mark.parametrize(
    ("who", "sees_record", "sees_personal_data"),
    [
        ("admin", True, True),
        ("unit_staff", True, True),  # oneself
        ("unit_head", True, False),  # work contact only
        ("colleague", False, False),
        ("outsider", False, False),
    ],
)
def test_birth_date_and_qualification_are_for_the_admin_and_the_person_only(
    client: Client, org: Org, people: People, who: str, sees_record: bool, sees_personal_data: bool
) -> None:
    staff = people.unit_staff
    User.objects.filter(pk=staff.pk).update(
        date_of_birth=datetime.date(1987, 3, 14),
        qualification="Thạc sĩ Quản lý công",
        phone="0912345678",
        email="canbo@example.gov.vn",
    )
    colleague = who == "colleague"
    viewer = person("dongnghiep", org.science, Role.UNIT_STAFF) if colleague else getattr(people, who)
    assert can(viewer, "view", staff) is sees_record
    assert can(viewer, "view_personal_data", staff) is sees_personal_data
    client.force_login(viewer)
    response = client.get(reverse("user_detail", kwargs={"pk": staff.pk}))
    assert response.status_code == (200 if sees_record else 404)
    if not sees_record:
        return
    html = response.content.decode()
    assert ("14/03/1987" in html) is sees_personal_data
    assert ("Thạc sĩ Quản lý công" in html) is sees_personal_data
    # The work contact stays for whoever may open the record.
    assert "0912345678" in html and "canbo@example.gov.vn" in html


def _lock_out(client: Client, username: str, settings: Any) -> None:
    settings.LOGIN_FREE_FAILURES_PER_PAIR = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": username, "password": "sai"}, REMOTE_ADDR="198.51.100.23")
    assert AuditEvent.objects.filter(action="auth.lockout").exists()


def test_a_unit_head_does_not_see_a_staff_members_trail(
    client: Client, people: People, settings: Any
) -> None:
    _lock_out(client, "canbo", settings)
    client.force_login(people.unit_head)
    response = client.get(reverse("user_detail", kwargs={"pk": people.unit_staff.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["show_timeline"] is False
    assert response.context["events"] == []
    assert "Tạm chặn đăng nhập do đăng nhập sai nhiều lần" not in html
    assert "198.51.100.23" not in html


@pytest.mark.parametrize("who", ["admin", "unit_staff"])
def test_the_admin_and_the_person_themself_see_the_trail_without_addresses(
    client: Client, people: People, settings: Any, who: str
) -> None:
    _lock_out(client, "canbo", settings)
    client.force_login(getattr(people, who))
    response = client.get(reverse("user_detail", kwargs={"pk": people.unit_staff.pk}))
    html = response.content.decode()
    assert response.context["show_timeline"] is True
    assert "Tạm chặn đăng nhập do đăng nhập sai nhiều lần" in html
    assert all("198.51.100.23" not in event.message for event in response.context["events"])
    # The address shows only to the administrator, in the recent failures they may unlock.
    assert ("198.51.100.23" in html) is (who == "admin")


def test_unit_head_sees_no_admin_buttons_on_a_staff_record(client: Client, people: People) -> None:
    client.force_login(people.unit_head)
    html = client.get(reverse("user_detail", kwargs={"pk": people.unit_staff.pk})).content.decode()
    assert reverse("user_update", kwargs={"pk": people.unit_staff.pk}) not in html
    assert reverse("membership_add", kwargs={"pk": people.unit_staff.pk}) not in html


# --- List -------------------------------------------------------------------------------------


def test_user_list_query_count_does_not_grow_with_rows(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    _many_users(org, 40)
    client.force_login(people.admin)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("user_list"))
    assert response.status_code == 200
    assert len(response.context["users"]) == 25
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("user_list"), {"q": "tran van", "unit": str(org.science.pk), "page": "2"}
        )
    assert response.status_code == 200


def test_user_list_search_ignores_accents_and_case(client: Client, org: Org, people: People) -> None:
    person("tim1", org.science, full_name="Nguyễn Thị Hương")
    person("tim2", org.science, full_name="Đỗ Văn Đức")
    client.force_login(people.admin)

    def names(q: str) -> set[str]:
        return {u.full_name for u in client.get(reverse("user_list"), {"q": q}).context["users"]}

    assert "Nguyễn Thị Hương" in names("nguyen thi huong")
    assert "Nguyễn Thị Hương" in names("NGUYỄN")
    assert names("do van duc") == {"Đỗ Văn Đức"}


def test_user_list_filters_by_unit_and_role(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    by_unit = client.get(reverse("user_list"), {"unit": org.science.pk}).context["users"]
    assert {u.username for u in by_unit} == {"truongdonvi", "canbo"}
    by_role = client.get(reverse("user_list"), {"role": Role.UNIT_HEAD}).context["users"]
    assert {u.username for u in by_role} == {"truongdonvi"}


def test_user_list_unit_and_role_must_be_held_together(client: Client, org: Org, people: People) -> None:
    # Staff in Science and Technology, head of the commune: not a head in Science.
    person("lan", org.science, Role.UNIT_STAFF, full_name="Lê Thị Lan")
    services.membership_add(
        actor=people.admin, user=User.objects.get(username="lan"), unit=org.commune, role=Role.UNIT_HEAD
    )
    client.force_login(people.admin)

    def usernames(**query: Any) -> set[str]:
        return {u.username for u in client.get(reverse("user_list"), query).context["users"]}

    assert usernames(unit=org.science.pk, role=Role.UNIT_HEAD) == {"truongdonvi"}
    assert usernames(unit=org.commune.pk, role=Role.UNIT_HEAD) == {"lan"}
    assert usernames(unit=org.science.pk, role=Role.UNIT_STAFF) == {"canbo", "lan"}
    # By unit alone: those working there and those holding any role there.
    assert usernames(unit=org.commune.pk) == {"lan"}
    assert usernames(unit=org.science.pk) == {"truongdonvi", "canbo", "lan"}
    # The unit picker keeps the choice (and escapes what it prints).
    html = client.get(reverse("user_list"), {"unit": org.science.pk}).content.decode()
    assert f'<option value="{org.science.pk}" selected>SKHCN — Sở Khoa học và Công nghệ</option>' in html
    assert '<option value="">Tất cả đơn vị</option>' in html


def test_user_list_search_wants_every_word_and_follows_edits(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.admin)

    def usernames(q: str) -> set[str]:
        return {u.username for u in client.get(reverse("user_list"), {"q": q}).context["users"]}

    assert usernames("can bo nguyen") == {"canbo"}
    assert usernames("canbo@example") == {"canbo"}
    # Two of three words: not a match. PostgreSQL then offers the closest names (a misspelt
    # name); SQLite has no trigrams.
    assert usernames("nguyen thi tran") == ({"canbo"} if connection.vendor == "postgresql" else set())
    assert usernames("le van tam") == set()
    services.user_update(
        user=people.unit_staff,
        actor=people.admin,
        data={"full_name": "Trần Thị Mới"},
        fingerprint=user_fingerprint(people.unit_staff),
    )
    assert usernames("tran thi moi") == {"canbo"}
    assert usernames("can bo nguyen") == set()


def test_user_list_htmx_request_gets_only_the_rows(client: Client, people: People) -> None:
    client.force_login(people.admin)
    response = client.get(reverse("user_list"), {"q": "can bo"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Nguyễn Thị Cán Bộ" in html


# --- Create / update --------------------------------------------------------------------------


def _create_data(org: Org, **changes: Any) -> dict[str, Any]:
    data = {
        "username": "moi",
        "full_name": "Lý Văn Mới",
        "date_of_birth": "15/08/1990",
        "position": "Chuyên viên",
        "qualification": "Thạc sĩ Luật",
        "unit": org.home_affairs.pk,
        "role": Role.REFORM_OFFICER,
        "email": "moi@example.org",
        "phone": "0909 000 111",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        FIELD: new_token(),
    }
    data.update(changes)
    return data


def test_admin_creates_a_user_with_a_role_and_audit_events(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(reverse("user_create"), _create_data(org))
    created = User.objects.get(username="moi")
    assert response["Location"] == reverse("user_detail", kwargs={"pk": created.pk})
    assert created.check_password(NEW_PASSWORD)
    assert created.unit == org.home_affairs
    assert created.date_of_birth is not None and created.date_of_birth.isoformat() == "1990-08-15"
    assert Membership.objects.filter(user=created, unit=org.home_affairs, role=Role.REFORM_OFFICER).exists()
    assert set(AuditEvent.objects.filter(object_id=str(created.pk)).values_list("action", flat=True)) == {
        "user.create",
        "membership.add",
    }


def test_create_refuses_a_taken_username_case_insensitively(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(reverse("user_create"), _create_data(org, username="CANBO"))
    assert response.status_code == 200
    assert "Tên đăng nhập này đã được dùng" in response.content.decode()
    assert not User.objects.filter(username="CANBO").exists()


def test_create_refuses_a_username_taken_in_a_race_with_the_same_message(
    org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rival account lands between our check and our insert (here: while the password
    # rules run), so only the case-insensitive unique constraint stands in the way.
    def rival_meanwhile(password: str, user: Any = None) -> None:
        User.objects.create_user(username="LyVanMoi", full_name="Người khác", password=NEW_PASSWORD)

    monkeypatch.setattr("django.contrib.auth.password_validation.validate_password", rival_meanwhile)
    data = {"username": "lyvanmoi", "full_name": "Lý Văn Mới", "unit": org.home_affairs}

    with pytest.raises(ValidationError) as error:
        services.user_create(actor=people.admin, data=data, password=NEW_PASSWORD)

    assert error.value.message_dict == {"username": ["Tên đăng nhập này đã được dùng."]}
    # (The rival shares our test transaction here, so it is rolled back with it.)
    assert not User.objects.filter(username="lyvanmoi").exists()
    assert not AuditEvent.objects.filter(action="user.create").exists()


def test_the_database_refuses_usernames_differing_only_in_case(people: People) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="CanBo", full_name="Trùng tên", password=NEW_PASSWORD)


def test_create_applies_the_password_rules_and_creates_nothing(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.admin)
    response = client.post(reverse("user_create"), _create_data(org, password1="123", password2="123"))
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn" in response.content.decode()
    assert not User.objects.filter(username="moi").exists()
    assert not AuditEvent.objects.filter(action="user.create").exists()


def test_create_refuses_mismatched_passwords(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(reverse("user_create"), _create_data(org, password2="khac-han-nhau-2026"))
    assert "không khớp" in response.content.decode()
    assert not User.objects.filter(username="moi").exists()


def test_admin_updates_a_user_and_the_change_is_audited(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    url = reverse("user_update", kwargs={"pk": people.unit_staff.pk})
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(unit=org.commune.pk, position="Công chức văn phòng", date_of_birth="")
    response = client.post(url, data)
    assert response.status_code == 302
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.unit == org.commune
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes["unit"] == [org.science.pk, org.commune.pk]


def test_user_update_service_refuses_a_stale_fingerprint(people: People) -> None:
    stale = user_fingerprint(people.unit_staff)
    User.objects.filter(pk=people.unit_staff.pk).update(full_name="Tên mới")
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        services.user_update(
            user=people.unit_staff, actor=people.admin, data={"position": "X"}, fingerprint=stale
        )


def test_user_detail_shows_memberships_and_timeline_with_constant_queries(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    for unit in (org.province, org.office, org.commune, org.district, org.home_affairs):
        services.membership_add(
            actor=people.admin, user=people.unit_staff, unit=unit, role=Role.COUNCIL_MEMBER
        )
    client.force_login(people.admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("user_detail", kwargs={"pk": people.unit_staff.pk}))
    html = response.content.decode()
    assert "Giao vai trò" in html
    assert html.count("Thành viên Hội đồng sáng kiến") >= 5


# --- Activate / deactivate --------------------------------------------------------------------


def test_admin_deactivates_and_reactivates_a_user(client: Client, people: People) -> None:
    client.force_login(people.admin)
    url = reverse("user_set_active", kwargs={"pk": people.unit_staff.pk})
    client.post(url, {"is_active": "0"})
    people.unit_staff.refresh_from_db()
    assert not people.unit_staff.is_active
    client.post(url, {"is_active": "1"})
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.is_active
    assert list(AuditEvent.objects.filter(action__startswith="user.").values_list("action", flat=True)) == [
        "user.activate",
        "user.deactivate",
    ]


def test_admin_cannot_deactivate_themselves(client: Client, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(
        reverse("user_set_active", kwargs={"pk": people.admin.pk}), {"is_active": "0"}, follow=True
    )
    assert "không thể tự khóa" in response.content.decode()
    people.admin.refresh_from_db()
    assert people.admin.is_active


def test_user_set_active_is_post_only(client: Client, people: People) -> None:
    client.force_login(people.admin)
    assert client.get(reverse("user_set_active", kwargs={"pk": people.unit_staff.pk})).status_code == 405


# --- Roles ------------------------------------------------------------------------------------


def test_membership_add_grants_the_role(client: Client, org: Org, people: People) -> None:
    client.force_login(people.admin)
    client.post(
        reverse("membership_add", kwargs={"pk": people.unit_staff.pk}),
        {"unit": org.home_affairs.pk, "role": Role.COUNCIL_MEMBER},
    )
    assert Membership.objects.filter(
        user=people.unit_staff, role=Role.COUNCIL_MEMBER, is_active=True
    ).exists()
    assert AuditEvent.objects.filter(action="membership.add").count() == 1


def test_membership_add_refuses_a_duplicate_with_a_clear_message(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.admin)
    response = client.post(
        reverse("membership_add", kwargs={"pk": people.unit_staff.pk}),
        {"unit": org.science.pk, "role": Role.UNIT_STAFF},
    )
    assert response.status_code == 400
    assert "đã có vai trò" in response.content.decode()
    assert Membership.objects.filter(user=people.unit_staff).count() == 1
    assert not AuditEvent.objects.filter(action="membership.add").exists()


def test_membership_remove_keeps_history_and_revoking_takes_effect(client: Client, people: People) -> None:
    membership = Membership.objects.get(user=people.reform_officer)
    assert can(people.reform_officer, "core.view_register")
    client.force_login(people.admin)
    client.post(reverse("membership_remove", kwargs={"pk": membership.pk}))
    membership.refresh_from_db()
    assert membership.is_active is False
    assert AuditEvent.objects.filter(action="membership.remove").count() == 1
    fresh = User.objects.get(pk=people.reform_officer.pk)
    assert not can(fresh, "core.view_register")


def test_an_ended_role_can_be_given_again(people: People, org: Org) -> None:
    membership = Membership.objects.get(user=people.unit_staff)
    services.membership_remove(actor=people.admin, membership=membership)
    again = services.membership_add(
        actor=people.admin, user=people.unit_staff, unit=org.science, role=Role.UNIT_STAFF
    )
    assert again.pk == membership.pk and again.is_active


def test_admin_cannot_remove_their_own_admin_role(people: People) -> None:
    membership = Membership.objects.get(user=people.admin, role=Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=people.admin, membership=membership)
    membership.refresh_from_db()
    assert membership.is_active


# --- Admin password reset ---------------------------------------------------------------------


def test_admin_resets_a_password_and_it_is_audited_as_a_reset(client: Client, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(
        reverse("user_password", kwargs={"pk": people.unit_staff.pk}),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.password_reset", actor=people.admin).count() == 1


def test_user_factory_users_without_memberships_are_listed(client: Client, people: People) -> None:
    User.objects.create_user(username="khongvaitro", full_name="Không Vai Trò", password=NEW_PASSWORD)
    client.force_login(people.admin)
    html = client.get(reverse("user_list"), {"q": "khong vai tro"}).content.decode()
    assert "Không Vai Trò" in html
