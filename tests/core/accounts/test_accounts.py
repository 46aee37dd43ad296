"""Login, logout, password change, profile and the home page."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core import clock
from caicach.core.models import AuditEvent, LoginFailure, User
from caicach.core.session_timeout import LAST_SEEN_KEY
from tests.conftest import PASSWORD, People

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


# --- Home -------------------------------------------------------------------------------------


def test_anonymous_home_redirects_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode()


def test_dashboard_greets_the_user_with_units_roles_and_unread_count(client: Client, people: People) -> None:
    from caicach.core.models import Notification

    Notification.objects.create(recipient=people.unit_head, title="Nhắc báo cáo tháng")
    Notification.objects.create(recipient=people.unit_head, title="Đã đọc", read_at=clock.now())
    client.force_login(people.unit_head)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phạm Thủ Trưởng" in html
    assert "Thủ trưởng đơn vị" in html and "Sở Khoa học và Công nghệ" in html
    assert response.context["unread"] == 1


def test_dashboard_query_count_is_small(
    client: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    client.force_login(people.admin)
    # The to-do kinds anyone may have (sheets to score, dossiers returned to their author)
    # cost one query each; the kinds of roles the administrator does not hold cost none.
    with django_assert_max_num_queries(11):
        assert client.get("/").status_code == 200


# --- Login ------------------------------------------------------------------------------------


def test_login_with_the_right_password_signs_in_and_audits(client: Client, people: People) -> None:
    response = _login(client, "canbo", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(people.unit_staff.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=people.unit_staff).exists()


def test_login_with_a_wrong_password_says_so_in_vietnamese_and_records_a_failure(
    client: Client, people: People
) -> None:
    response = _login(client, "canbo", "sai-mat-khau")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    assert "Vui lòng thử lại" not in html  # the first mistakes cost nothing
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="canbo").count() == 1


def test_login_with_empty_fields_shows_required_messages(client: Client, db: None) -> None:
    response = _login(client, "", "")
    assert "Trường này là bắt buộc" in response.content.decode()
    assert LoginFailure.objects.count() == 0


def test_inactive_user_cannot_log_in(client: Client, people: People) -> None:
    User.objects.filter(pk=people.unit_staff.pk).update(is_active=False)
    response = _login(client, "canbo", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_a_safe_next_url(client: Client, people: People) -> None:
    response = _login(client, "canbo", PASSWORD, next="/ca-nhan/")
    assert response["Location"] == "/ca-nhan/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_login_refuses_an_open_redirect(client: Client, people: People, target: str) -> None:
    response = _login(client, "canbo", PASSWORD, next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_page_redirects_a_signed_in_user(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    assert client.get(reverse("login"))["Location"] == reverse("home")


# --- Logout -----------------------------------------------------------------------------------


def test_logout_is_post_only(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_signs_out_and_audits(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.logout", actor=people.unit_staff).exists()


# --- Password change --------------------------------------------------------------------------

NEW_PASSWORD = "Mat-khau-moi-2026!"


def test_password_change_requires_login(client: Client, db: None) -> None:
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_sets_the_new_password_keeps_the_session_and_audits(
    client: Client, people: People
) -> None:
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.check_password(NEW_PASSWORD)
    assert client.get(reverse("password_change_done")).status_code == 200  # still signed in
    event = AuditEvent.objects.get(action="user.password_change")
    assert NEW_PASSWORD not in str(event.changes) and "md5" not in str(event.changes)


def test_password_change_refuses_a_wrong_old_password_in_vietnamese(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.check_password(PASSWORD)


def test_password_change_applies_the_password_rules(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert "quá ngắn" in response.content.decode()
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


# --- Profile ----------------------------------------------------------------------------------


def _profile_data(client: Client, **changes: str) -> dict[str, str]:
    form = client.get(reverse("profile")).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["date_of_birth"] = ""
    data.update(changes)
    return {k: str(v) for k, v in data.items()}


def test_profile_requires_login(client: Client, db: None) -> None:
    assert client.get(reverse("profile"))["Location"].startswith(reverse("login"))


def test_profile_edit_saves_through_the_service_with_an_audit_event(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    data = _profile_data(
        client, position="Chuyên viên chính", date_of_birth="05/02/1985", phone="0912 345 678"
    )
    response = client.post(reverse("profile"), data)
    assert response.status_code == 302
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.position == "Chuyên viên chính"
    assert people.unit_staff.date_of_birth == datetime.date(1985, 2, 5)
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes["position"] == ["", "Chuyên viên chính"]


def test_profile_refuses_a_stale_edit(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    data = _profile_data(client, position="Chuyên viên")
    User.objects.filter(pk=people.unit_staff.pk).update(position="Đổi bởi người khác")
    response = client.post(reverse("profile"), data)
    assert response.status_code == 200
    assert "Dữ liệu đã được người khác thay đổi" in response.content.decode()
    people.unit_staff.refresh_from_db()
    assert people.unit_staff.position == "Đổi bởi người khác"


def test_profile_page_query_count(client: Client, people: People, django_assert_max_num_queries: Any) -> None:
    client.force_login(people.unit_staff)
    with django_assert_max_num_queries(10):  # with the two-step login's status (one query)
        assert client.get(reverse("profile")).status_code == 200


# --- Idle timeout (the middleware as settings.MIDDLEWARE installs it) -------------------------


@pytest.fixture
def idle_client(client: Client, people: People, settings: Any) -> Client:
    """The unit staff member signed in 30 idle minutes allowed, the last request just made."""
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(people.unit_staff)
    assert client.get(reverse("profile")).status_code == 200
    return client


def _idle_for(client: Client, minutes: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = session[LAST_SEEN_KEY] - minutes * 60
    session.save()


def test_the_idle_timeout_runs_in_the_real_middleware_stack() -> None:
    from django.conf import settings

    stack = settings.MIDDLEWARE
    timeout = stack.index("caicach.core.session_timeout.IdleTimeoutMiddleware")
    assert stack.count("caicach.core.session_timeout.IdleTimeoutMiddleware") == 1
    assert stack.index("django.contrib.auth.middleware.AuthenticationMiddleware") < timeout
    assert stack.index("django.contrib.messages.middleware.MessageMiddleware") < timeout


def test_an_idle_session_ends_and_asks_to_log_in_again(idle_client: Client) -> None:
    _idle_for(idle_client, 31)
    response = idle_client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "HX-Redirect" not in response
    assert "_auth_user_id" not in idle_client.session
    page = idle_client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn do lâu không thao tác" in page


def test_an_active_session_stays(idle_client: Client) -> None:
    _idle_for(idle_client, 29)
    assert idle_client.get(reverse("profile")).status_code == 200


def test_an_idle_session_asks_htmx_for_a_full_page_redirect_to_login(idle_client: Client) -> None:
    _idle_for(idle_client, 31)
    response = idle_client.get(reverse("unit_list"), {"q": "noi vu"}, HTTP_HX_REQUEST="true")
    login_url = f"{reverse('login')}?next={quote(reverse('unit_list') + '?q=noi+vu', safe='/')}"
    assert response["HX-Redirect"] == response["Location"] == login_url
    assert "_auth_user_id" not in idle_client.session
