"""The security log: each kind written by what triggers it, refusals kept even when their
transaction rolls back, append-only (in the database too on PostgreSQL), the retention
purge, and the administrators' search page."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from caicach.core import clock
from caicach.core.accounts import services as account_services
from caicach.core.models import Job, JobStatus, SecurityEvent, SecurityKind, User
from caicach.core.permissions import authorize
from caicach.core.reminders import registered
from caicach.core.security import services as security_log
from caicach.core.security.middleware import SecurityLogMiddleware
from caicach.core.security.tasks import purge_security_log
from caicach.initiatives.search import queries as search_queries
from tests.conftest import People

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database triggers exist on PostgreSQL only"
)
URL = reverse("security_log")


def _days_ago(days: int) -> datetime.datetime:
    return clock.now() - datetime.timedelta(days=days)


# --- The API ------------------------------------------------------------------------------------


def test_record_writes_time_kind_user_address_object_path_and_detail(people: People) -> None:
    request = RequestFactory().get("/nguoi-dung/3/?x=1", REMOTE_ADDR="192.0.2.9")
    request.user = people.admin
    event = security_log.record(
        SecurityKind.MFA_VERIFIED, request=request, obj=people.unit_staff, method="totp"
    )
    event.refresh_from_db()
    assert event.created_at is not None
    assert (event.kind, event.user, event.username) == ("mfa.verified", people.admin, "quantri")
    assert (event.ip_address, event.path) == ("192.0.2.9", "/nguoi-dung/3/?x=1")
    assert (event.content_type.model_class(), event.object_id) == (User, str(people.unit_staff.pk))  # type: ignore[union-attr]
    assert event.object_repr == str(people.unit_staff)
    assert event.detail == {"method": "totp"}


@pytest.mark.parametrize("kind", ["enrolled", "verified", "failed", "recovery_used", "reset"])
def test_the_mfa_kinds_are_ready_for_the_mfa_step(people: People, kind: str) -> None:
    event = security_log.record(f"mfa.{kind}", user=people.admin)
    assert SecurityEvent.objects.get(pk=event.pk).get_kind_display() != event.kind  # a Vietnamese label


def test_an_unknown_kind_is_a_programming_error(db: None) -> None:
    with pytest.raises(ValueError):
        security_log.record("auth.whatever")


def test_every_event_also_goes_to_the_caicach_security_logger(
    people: People, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="caicach.security"):
        security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider, action="view")
    (line,) = [r for r in caplog.records if r.name == "caicach.security"]
    assert line.levelno == logging.WARNING
    assert "access.denied" in line.getMessage() and people.outsider.username in line.getMessage()


# --- What writes each kind ------------------------------------------------------------------------


def test_an_outsiders_404_from_the_permission_fetch_is_logged_with_the_object(
    client: Client, people: People
) -> None:
    client.force_login(people.outsider)
    url = reverse("user_detail", kwargs={"pk": people.unit_staff.pk})
    assert client.get(url).status_code == 404
    event = SecurityEvent.objects.get(kind=SecurityKind.ACCESS_DENIED)
    assert (event.user, event.path, event.object_id) == (people.outsider, url, str(people.unit_staff.pk))
    assert event.detail == {"action": "view"}
    # Kept aside during the request and written after it, still searchable by its words.
    assert "/nguoi-dung/" in event.path and event.search_text


def test_a_menu_level_refusal_is_logged_too(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    assert client.get(reverse("user_list")).status_code == 404
    event = SecurityEvent.objects.get(kind=SecurityKind.ACCESS_DENIED)
    assert event.detail == {"action": "core.manage_users"} and event.object_id == ""


def test_a_missing_object_is_not_a_refusal(client: Client, people: People) -> None:
    client.force_login(people.admin)
    assert client.get(reverse("user_detail", kwargs={"pk": 999999})).status_code == 404
    assert not SecurityEvent.objects.exists()


def test_a_refused_action_is_logged_even_though_its_transaction_rolls_back(people: People) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        try:
            with transaction.atomic():
                authorize(people.unit_staff, "change", people.unit_head)
        except PermissionDenied:
            return HttpResponse(status=403)
        return HttpResponse()

    request = RequestFactory().post("/nguoi-dung/9/kich-hoat/", REMOTE_ADDR="192.0.2.5")
    request.user = people.unit_staff
    assert SecurityLogMiddleware(view)(request).status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityKind.ACTION_DENIED)
    assert (event.user, event.ip_address, event.object_id) == (
        people.unit_staff,
        "192.0.2.5",
        str(people.unit_head.pk),
    )


def test_a_service_refusal_outside_a_request_is_written_at_once(people: People) -> None:
    with pytest.raises(PermissionDenied):
        authorize(people.unit_staff, "core.manage_users")
    assert SecurityEvent.objects.filter(kind=SecurityKind.ACTION_DENIED, user=people.unit_staff).exists()


def test_a_dossier_export_with_its_authors_is_logged(client: Client, people: People) -> None:
    client.force_login(people.reform_officer)
    response = client.post(reverse("initiatives:initiative_export") + "?q=nang")
    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityKind.PERSONAL_DATA_EXPORT)
    assert event.user == people.reform_officer
    assert event.detail == {"export": "initiatives", "query": "q=nang"}


def test_a_dossier_export_run_as_a_job_is_logged_for_its_requester(
    client: Client, people: People, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(search_queries, "EXPORT_INLINE_LIMIT", -1)
    client.force_login(people.reform_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("initiatives:initiative_export"))
    job = Job.objects.get(kind="initiatives.initiatives_export")
    assert job.status == JobStatus.DONE
    event = SecurityEvent.objects.get(kind=SecurityKind.PERSONAL_DATA_EXPORT)
    assert event.user == people.reform_officer and event.detail["job"] == job.pk


def test_login_failures_lockouts_and_unlocks_are_logged(people: People, settings: Any) -> None:
    settings.LOGIN_FREE_FAILURES_PER_PAIR = 2
    for _ in range(2):
        account_services.login_failure_record(username="canbo", ip_address="192.0.2.7")
    account_services.login_unlock_account(actor=people.admin, user=people.unit_staff)
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["auth.failed", "auth.failed", "auth.locked", "auth.unlocked"]


# --- Append-only and retention ----------------------------------------------------------------


def test_the_model_refuses_edits_and_deletes(people: People) -> None:
    event = security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider)
    event.username = "khac"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.update(username="khac")


@postgresql_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_securityevent SET username = 'khac'",
        "DELETE FROM core_securityevent",
    ],
)
def test_postgresql_refuses_to_rewrite_or_delete_a_recent_event(people: People, statement: str) -> None:
    security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(statement)


@postgresql_only
def test_postgresql_refuses_to_truncate_the_log(people: People) -> None:
    security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider)
    with (
        pytest.raises(DatabaseError, match="cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL caicach.maintenance = 'off'")
        # The test's own inserts leave deferred foreign-key checks, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE core_securityevent CASCADE")
    assert SecurityEvent.objects.count() == 1


@postgresql_only
def test_postgresql_lets_only_events_past_retention_be_deleted(people: People) -> None:
    with clock.travel_to(_days_ago(400)):
        old = security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_securityevent WHERE id = %s", [old.pk])
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()


@postgresql_only
def test_postgresql_lets_a_deleted_user_leave_their_name(people: People) -> None:
    event = security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider)
    name = people.outsider.username
    people.outsider.delete()
    event.refresh_from_db()
    assert event.user is None and event.username == name


def test_the_daily_purge_removes_events_past_retention_only(people: People, settings: Any) -> None:
    settings.SECURITY_LOG_RETENTION_DAYS = 365
    with clock.travel_to(_days_ago(366)):
        expired = security_log.record(SecurityKind.LOGIN_FAILED, username="cu")
    with clock.travel_to(_days_ago(364)):
        kept = security_log.record(SecurityKind.LOGIN_FAILED, username="moi")
    assert "core.security_log_purge" in registered()
    purge_security_log(clock.today())
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not SecurityEvent.objects.filter(pk=expired.pk).exists()


def test_a_retention_below_twelve_months_is_refused_at_startup() -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import caicach.settings"],
        env={**os.environ, "SECURITY_LOG_RETENTION_DAYS": "30"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "SECURITY_LOG_RETENTION_DAYS" in result.stderr


# --- The search page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["reform_officer", "office_officer", "unit_head", "unit_staff", "council_member", "committee_member",
     "leader", "outsider"],
)  # fmt: skip
def test_only_a_system_admin_finds_the_page(client: Client, people: People, who: str) -> None:
    client.force_login(getattr(people, who))
    assert client.get(URL).status_code == 404
    client.force_login(people.admin)
    assert client.get(URL).status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_login(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_page_is_in_the_admins_menu_only(client: Client, people: People) -> None:
    client.force_login(people.admin)
    assert URL in client.get(reverse("home")).content.decode()
    client.force_login(people.unit_head)
    assert URL not in client.get(reverse("home")).content.decode()


def _seed(people: People) -> None:
    with clock.travel_to(_days_ago(10)):
        security_log.record(SecurityKind.LOGIN_FAILED, username="ke-do", request=_from("203.0.113.9"))
    security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider, obj=people.unit_head, action="view")
    security_log.record(SecurityKind.MFA_FAILED, user=people.admin)
    security_log.record(SecurityKind.PERSONAL_DATA_EXPORT, user=people.reform_officer, export="initiatives")


def _from(ip: str) -> HttpRequest:
    return RequestFactory().post("/dang-nhap/", REMOTE_ADDR=ip)


def _kinds(client: Client, **query: str) -> list[str]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return [event.kind for event in response.context["page_obj"].object_list]


def test_the_search_filters_by_kind_user_address_dates_and_text(client: Client, people: People) -> None:
    _seed(people)
    client.force_login(people.admin)
    assert _kinds(client) == ["export.personal_data", "mfa.failed", "access.denied", "auth.failed"]
    assert _kinds(client, kind="access.denied") == ["access.denied"]
    assert _kinds(client, kind="mfa.") == ["mfa.failed"]
    assert _kinds(client, user=people.outsider.username) == ["access.denied"]
    assert _kinds(client, ip_address="203.0.113.9") == ["auth.failed"]
    day = clock.today() - datetime.timedelta(days=10)
    assert _kinds(client, date_from=f"{day:%d/%m/%Y}", date_to=f"{day:%d/%m/%Y}") == ["auth.failed"]
    assert _kinds(client, text="ke-do") == ["auth.failed"]
    assert _kinds(client, text=people.unit_head.full_name.split()[-1]) == ["access.denied"]


def test_the_details_read_in_vietnamese(client: Client, people: People) -> None:
    security_log.record(SecurityKind.LOGIN_LOCKED, username="ke-do", scope="pair", failures=3, wait_seconds=2)
    security_log.record(SecurityKind.PERSONAL_DATA_EXPORT, user=people.reform_officer, export="campaign_zip")
    client.force_login(people.admin)
    html = client.get(URL).content.decode()
    for line in (
        "Phạm vi: địa chỉ IP và tài khoản",
        "Số lần sai: 3",
        "Phải chờ (giây): 2",
        "Dữ liệu xuất: toàn bộ hồ sơ của đợt phát động (ZIP)",
    ):
        assert line in html
    assert "wait_seconds" not in html and "campaign_zip" not in html


def test_a_bad_filter_says_so_and_shows_nothing(client: Client, people: People) -> None:
    _seed(people)
    client.force_login(people.admin)
    query = {"ip_address": "khong-phai-ip", "date_from": "31/12/2026", "date_to": "01/01/2026"}
    response = client.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 200 and "“Đến ngày” không được trước “Từ ngày”" in html
    assert list(response.context["page_obj"].object_list) == []


def test_the_page_moves_by_cursor_newest_first(client: Client, people: People) -> None:
    for n in range(30):
        security_log.record(SecurityKind.LOGIN_FAILED, username=f"u{n:02d}")
    client.force_login(people.admin)
    first = client.get(URL).context["page_obj"]
    assert [e.username for e in first.object_list][:2] == ["u29", "u28"] and first.has_next
    second = client.get(URL, {"after": first.next_cursor}).context["page_obj"]
    assert [e.username for e in second.object_list] == [f"u{n:02d}" for n in range(4, -1, -1)]


@pytest.mark.parametrize("rows", [3, 60])
def test_the_page_costs_the_same_whatever_the_rows(
    client: Client, people: People, rows: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(rows):
        security_log.record(SecurityKind.ACCESS_DENIED, user=people.outsider, obj=people.unit_head, n=n)
    client.force_login(people.admin)
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"kind": "access.denied"}).status_code == 200
