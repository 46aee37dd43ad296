"""A GET changes nothing: every page of the demo, as every demo account, writes no row
(RFC 9110 §9.2.1: link previewers, mail scanners and prefetching browsers follow links
too). State changes are POSTs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from caicach.core.demo import ACCOUNTS
from caicach.core.models import AuditEvent, Notification, User
from tests.crawl import HARMLESS_TABLES, crawl, every_pattern, recording_writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())


def _no_argument_pages() -> list[str]:
    return [path for _name, path in every_pattern() if "/x/" not in path and "/1/" not in path]


def test_no_page_writes_anything_on_get_for_any_demo_account(demo: None, client: Client) -> None:
    audit_before = AuditEvent.objects.count()
    unread_before = Notification.objects.filter(read_at__isnull=True).count()
    problems: list[str] = []
    reached: set[str] = set()
    for account in ACCOUNTS:
        client.force_login(User.objects.get(username=account.username))
        result = crawl(client, ["/", *_no_argument_pages()])
        reached |= result.keys()
        for visit in result.visits:
            if visit.writes.harmful():
                problems.append(f"{account.username} GET {visit.url}: {sorted(visit.writes.harmful())}")
            if visit.status >= 500:
                problems.append(f"{account.username} GET {visit.url}: {visit.status}")
        client.logout()
    # The patterns no link led to (POST-only actions, pages of objects the demo lacks):
    # GET them with sample ids, as the administrator and as an author.
    for username in ("quantri", "tacgia.vp"):
        client.force_login(User.objects.get(username=username))
        for name, path in every_pattern():
            if name in reached:
                continue
            with recording_writes() as writes:
                response = client.get(path)
            if writes.harmful():
                problems.append(f"{username} GET {path} ({name}): {sorted(writes.harmful())}")
            if response.status_code >= 500:
                problems.append(f"{username} GET {path} ({name}): {response.status_code}")
        client.logout()
    assert not problems, "\n".join(problems)
    assert AuditEvent.objects.count() == audit_before
    assert Notification.objects.filter(read_at__isnull=True).count() == unread_before
    # The walk really went through the product, not just its home page.
    assert len(reached) > 80


def test_the_write_recorder_sees_a_write_and_whitelists_only_with_a_reason(demo: None) -> None:
    with recording_writes() as writes:
        User.objects.filter(username="quantri").update(position="Chuyên viên")
    assert writes.harmful() == {"core_user"}
    assert all(reason for reason in HARMLESS_TABLES.values())
