"""Notifications: inbox rows, email copies after commit, and the inbox pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caicach.core import choices, clock
from caicach.core.models import Notification, User
from caicach.core.notifications.services import notification_mark_read, notifications_mark_all_read, notify
from caicach.core.notifications.tasks import send_notification_emails
from tests.conftest import Org, People
from tests.core.factories import person

pytestmark = pytest.mark.django_db

TITLE = "Đề nghị bổ sung hồ sơ sáng kiến"


def _notify(*users: User, **extra: Any) -> list[Notification]:
    return notify(recipients=users, title=TITLE, body="Vui lòng bổ sung trước ngày 25/6.", **extra)


# --- notify ------------------------------------------------------------------------------------


def test_it_writes_one_inbox_row_per_recipient_in_one_insert(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    recipients = [person(f"nguoinhan{i}", org.science) for i in range(30)]
    with django_assert_max_num_queries(3):  # SAVEPOINT, INSERT, RELEASE
        rows = notify(recipients=[*recipients, recipients[0]], title=TITLE, email=False)
    assert len(rows) == 30
    assert Notification.objects.filter(title=TITLE).count() == 30
    assert all(row.pk for row in rows)


def test_it_skips_inactive_recipients(people: People) -> None:
    people.unit_staff.is_active = False
    people.unit_staff.save(update_fields=["is_active"])
    rows = _notify(people.unit_staff, people.unit_head, email=False)
    assert [row.recipient for row in rows] == [people.unit_head]


def test_email_is_queued_only_after_commit_as_one_task_per_batch(
    people: People, django_capture_on_commit_callbacks: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = _notify(people.unit_staff, people.unit_head, people.leader)
    assert mailoutbox == []  # nothing leaves before the commit
    (queue,) = [callback for callback in callbacks if not choices.is_renewal(callback)]
    queue()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (people.unit_staff, people.unit_head, people.leader)
    )
    for row in rows:
        row.refresh_from_db()
        assert row.emailed_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(
    people: People, django_capture_on_commit_callbacks: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        _notify(people.unit_staff)
        raise Abort
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_recipients_without_email_get_the_inbox_row_only(
    org: Org, people: People, django_capture_on_commit_callbacks: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    no_email = person("khongthu", org.commune, email="")
    with django_capture_on_commit_callbacks(execute=True):
        rows = _notify(no_email, people.unit_staff)
    assert [m.to for m in mailoutbox] == [[people.unit_staff.email]]
    by_user = {row.recipient_id: row for row in Notification.objects.all()}
    assert by_user[no_email.pk].emailed_at is None
    assert len(rows) == 2


def test_no_task_is_queued_when_nobody_has_an_email_address(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(person("khongthu", org.commune, email=""))
    assert [callback for callback in callbacks if not choices.is_renewal(callback)] == []


def test_a_retried_task_does_not_send_twice(people: People, mailoutbox: list[mail.EmailMessage]) -> None:
    rows = _notify(people.unit_staff, people.unit_head, email=False)
    ids = [row.pk for row in rows]
    assert send_notification_emails.call(ids) == 2
    assert send_notification_emails.call(ids) == 0
    send_notification_emails.enqueue(ids)
    assert len(mailoutbox) == 2


def test_a_failed_send_releases_its_claim_so_a_retry_sends_only_the_missing_one(
    people: People, mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _notify(people.unit_staff, people.unit_head, email=False)
    original = EmailBackend.send_messages
    failing_to = people.unit_head.email

    def flaky(self: EmailBackend, messages: Any) -> int:
        if messages[0].to == [failing_to]:
            raise OSError("SMTP server unreachable")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(RuntimeError):
        send_notification_emails.call([row.pk for row in rows])
    assert [m.to for m in mailoutbox] == [[people.unit_staff.email]]
    assert Notification.objects.get(recipient=people.unit_head).emailed_at is None

    monkeypatch.setattr(EmailBackend, "send_messages", original)
    send_notification_emails.call([row.pk for row in rows])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([people.unit_staff.email, failing_to])


def test_the_email_is_vietnamese_and_links_through_the_inbox(
    people: People, mailoutbox: list[mail.EmailMessage], settings: Any
) -> None:
    settings.SITE_URL = "https://cchc.tayninh.gov.vn"
    (row,) = _notify(people.unit_staff, url="/sang-kien/5/", email=False)
    send_notification_emails.call([row.pk])
    (message,) = mailoutbox
    assert message.subject == f"[Cải cách] {TITLE}"
    assert "Kính gửi Nguyễn Thị Cán Bộ," in message.body
    assert "Vui lòng bổ sung trước ngày 25/6." in message.body
    assert "https://cchc.tayninh.gov.vn" + reverse("notification_open", args=[row.pk]) in message.body


# --- marking read -------------------------------------------------------------------------------


def test_marking_read_keeps_the_first_read_time(people: People) -> None:
    (row,) = _notify(people.unit_staff, email=False)
    notification_mark_read(user=people.unit_staff, notification=row)
    first = Notification.objects.get(pk=row.pk).read_at
    assert first is not None
    stale = Notification.objects.get(pk=row.pk)
    stale.read_at = None
    notification_mark_read(user=people.unit_staff, notification=stale)
    assert Notification.objects.get(pk=row.pk).read_at == first


def test_only_the_recipient_may_mark_a_notification_read(people: People) -> None:
    (row,) = _notify(people.unit_staff, email=False)
    with pytest.raises(PermissionDenied):
        notification_mark_read(user=people.outsider, notification=row)
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_touches_only_the_users_own_unread_rows(people: People) -> None:
    _notify(people.unit_staff, people.unit_head, email=False)
    _notify(people.unit_staff, email=False)
    assert notifications_mark_all_read(user=people.unit_staff) == 2
    assert not Notification.objects.filter(recipient=people.unit_staff, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=people.unit_head).read_at is None


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "needs_pk"),
    [
        ("inbox", "get", False),
        ("inbox_badge", "get", False),
        ("notifications_mark_all_read", "post", False),
        ("notification_mark_read", "post", True),
        ("notification_open", "get", True),
    ],
)
def test_anonymous_visitors_are_sent_to_login(
    people: People, client: Client, name: str, method: str, needs_pk: bool
) -> None:
    (row,) = _notify(people.unit_staff, email=False)
    url = reverse(name, args=[row.pk] if needs_pk else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_inbox_shows_only_the_users_own_notifications(people: People, client: Client) -> None:
    notify(recipients=[people.unit_staff], title="Thư của cán bộ", email=False)
    notify(recipients=[people.outsider], title="Thư của người ngoài", email=False)
    client.force_login(people.unit_staff)
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thư của cán bộ" in html
    assert "Thư của người ngoài" not in html


def test_unread_notifications_are_highlighted(people: People, client: Client) -> None:
    rows = _notify(people.unit_staff, email=False) + _notify(people.unit_staff, email=False)
    notification_mark_read(user=people.unit_staff, notification=rows[0])
    client.force_login(people.unit_staff)
    html = client.get(reverse("inbox")).content.decode()
    assert html.count('class="is-unread"') == 1
    assert "Bạn có 1 thông báo chưa đọc." in html


@pytest.mark.parametrize("name", ["notification_open", "notification_mark_read"])
def test_another_users_notification_is_not_found(people: People, client: Client, name: str) -> None:
    (row,) = _notify(people.unit_staff, url="/", email=False)
    client.force_login(people.admin)  # not even an administrator reads someone else's inbox
    response = (
        client.get(reverse(name, args=[row.pk]))
        if name == "notification_open"
        else client.post(reverse(name, args=[row.pk]))
    )
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(people: People, client: Client) -> None:
    (row,) = _notify(people.unit_staff, url="/sang-kien/5/?tab=ho-so", email=False)
    client.force_login(people.unit_staff)
    response = client.post(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/sang-kien/5/?tab=ho-so"
    row.refresh_from_db()
    assert row.read_at is not None


def test_the_inbox_opens_a_notification_with_a_post_not_a_link(people: People, client: Client) -> None:
    (row,) = _notify(people.unit_staff, url="/sang-kien/5/", email=False)
    client.force_login(people.unit_staff)
    html = client.get(reverse("inbox")).content.decode()
    url = reverse("notification_open", args=[row.pk])
    assert f'method="post" action="{url}"' in html
    assert f'href="{url}"' not in html


def test_following_the_emailed_link_opens_the_target_and_changes_nothing(
    people: People, client: Client
) -> None:
    # A GET never changes state: mail scanners and link previewers follow it too.
    (row,) = _notify(people.unit_staff, url="/sang-kien/5/", email=False)
    client.force_login(people.unit_staff)
    response = client.get(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/sang-kien/5/"
    row.refresh_from_db()
    assert row.read_at is None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_opening_never_redirects_off_site(people: People, client: Client, url: str) -> None:
    (row,) = _notify(people.unit_staff, url=url, email=False)
    client.force_login(people.unit_staff)
    response = client.post(reverse("notification_open", args=[row.pk]))
    assert response["Location"] == reverse("inbox")


def test_marking_one_read_without_javascript_redirects_back_to_the_same_page(
    people: People, client: Client
) -> None:
    (row,) = _notify(people.unit_staff, email=False)
    client.force_login(people.unit_staff)
    response = client.post(reverse("notification_mark_read", args=[row.pk]), {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("inbox") + "?page=2"
    row.refresh_from_db()
    assert row.read_at is not None


def test_marking_read_with_htmx_returns_the_list_and_refreshes_the_badge(
    people: People, client: Client
) -> None:
    (row,) = _notify(people.unit_staff, email=False)
    client.force_login(people.unit_staff)
    response = client.post(reverse("notification_mark_read", args=[row.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="inbox-list">')
    assert "<html" not in html
    assert "is-unread" not in html


def test_mark_all_read_page(people: People, client: Client) -> None:
    _notify(people.unit_staff, email=False)
    _notify(people.unit_staff, email=False)
    other = _notify(people.unit_head, email=False)[0]
    client.force_login(people.unit_staff)
    response = client.post(reverse("notifications_mark_all_read"))
    assert response.status_code == 302
    assert response["HX-Trigger"] == "notifications-changed"
    assert not Notification.objects.filter(recipient=people.unit_staff, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_badge_counts_own_unread_notifications(people: People, client: Client) -> None:
    rows = [*_notify(people.unit_staff, email=False), *_notify(people.unit_staff, email=False)]
    _notify(people.outsider, email=False)
    notification_mark_read(user=people.unit_staff, notification=rows[0])
    client.force_login(people.unit_staff)
    response = client.get(reverse("inbox_badge"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="inbox-badge"' in html
    assert ">1</span>" in html
    assert "notifications-changed from:body" in html


def test_the_htmx_inbox_request_gets_the_list_only(people: People, client: Client) -> None:
    _notify(people.unit_staff, email=False)
    client.force_login(people.unit_staff)
    response = client.get(reverse("inbox"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def _inbox_queries(client: Client, user: User, rows: int, capture: Any) -> int:
    notify(recipients=[user], title="Mẫu", email=False)
    Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"Thông báo {i}", created_at=clock.now()) for i in range(rows)]
    )
    client.force_login(user)
    with capture() as ctx:
        assert client.get(reverse("inbox") + "?page=2").status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_runs_a_fixed_number_of_queries(
    people: People, client: Client, django_assert_max_num_queries: Any
) -> None:
    few = _inbox_queries(client, people.unit_head, 30, lambda: CaptureQueriesContext(connection))
    many = _inbox_queries(client, people.unit_staff, 60, lambda: CaptureQueriesContext(connection))
    assert few == many
    with django_assert_max_num_queries(7):
        assert client.get(reverse("inbox")).status_code == 200


def _notify_during_a_request(host: str, user: User) -> Notification:
    """notify() as a view calls it: inside RequestContextMiddleware, for a request to ``host``."""
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory

    from caicach.core.middleware import RequestContextMiddleware

    made: list[Notification] = []

    def view(request: HttpRequest) -> HttpResponse:
        made.extend(_notify(user, url="/sang-kien/5/"))
        return HttpResponse()

    RequestContextMiddleware(view)(RequestFactory().get("/", HTTP_HOST=host))
    return made[0]


def test_without_site_url_the_link_uses_the_host_the_request_came_to(
    people: People,
    mailoutbox: list[mail.EmailMessage],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # The demo runs on whatever port it was started on: never a fixed 127.0.0.1:8000.
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["demo.local"]
    with django_capture_on_commit_callbacks(execute=True):
        row = _notify_during_a_request("demo.local:8774", people.unit_staff)
    (message,) = mailoutbox
    assert "http://demo.local:8774" + reverse("notification_open", args=[row.pk]) in message.body
    assert ":8000" not in message.body


def test_site_url_when_set_wins_over_the_request_host(
    people: People,
    mailoutbox: list[mail.EmailMessage],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SITE_URL = "https://cchc.tayninh.gov.vn/"
    settings.ALLOWED_HOSTS = ["demo.local"]
    with django_capture_on_commit_callbacks(execute=True):
        row = _notify_during_a_request("demo.local:8774", people.unit_staff)
    (message,) = mailoutbox
    assert "https://cchc.tayninh.gov.vn" + reverse("notification_open", args=[row.pk]) in message.body
    assert "demo.local" not in message.body
