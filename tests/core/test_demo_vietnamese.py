"""The demo, walked as its users walk it, speaks Vietnamese: no form leaves its checks to the
browser (which speaks the browser's language), and the audit trail shows labels and names,
never keys, codes or ids."""

from __future__ import annotations

import io
import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from caicach.core.audit.queries import action_label, describe
from caicach.core.demo import ACCOUNTS, DEMO_PASSWORD
from caicach.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# Downloads and generated documents (slow, not pages), logging out, files.
SKIP = re.compile(r"\.(docx|xlsx|pdf|zip)$|-(pdf|zip)/$|/tai-ve/|/dang-xuat/|^/(static|media)/")
HREF = re.compile(r'href="(/[^"#?]*)')
FORM_TAG = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
PAGES_PER_ACCOUNT = 35


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())


def _walk(client: Client, limit: int) -> dict[str, str]:
    """Pages reachable from the home page by links, one per address shape (ids folded)."""
    seen_shapes: set[str] = set()
    pages: dict[str, str] = {}
    queue = deque(["/"])
    while queue and len(pages) < limit:
        url = queue.popleft()
        shape = re.sub(r"\d+", "N", url)
        if shape in seen_shapes or SKIP.search(url):
            continue
        seen_shapes.add(shape)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages[url] = html
        queue.extend(HREF.findall(html))
    return pages


def test_no_form_of_the_demo_leaves_its_checks_to_the_browser(demo: None) -> None:
    forms_seen = 0
    lacking: list[str] = []
    for account in ACCOUNTS:
        client = Client()
        assert client.login(username=account.username, password=DEMO_PASSWORD)
        for url, html in _walk(client, PAGES_PER_ACCOUNT).items():
            for tag in FORM_TAG.findall(html):
                forms_seen += 1
                if "novalidate" not in tag:
                    lacking.append(f"{account.username} {url}: {tag}")
    assert forms_seen > 50
    assert lacking == []


# --- The audit trail -----------------------------------------------------------------------------


def _choice_codes() -> set[str]:
    """Every stored code of every choice field of the product ("grassroots", "unit_staff"…):
    a value shown as one of these is a code the reader cannot read."""
    codes: set[str] = set()
    labels: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for code, label in getattr(field, "flatchoices", None) or []:
                codes.add(str(code))
                labels.add(str(label))
    return {code for code in codes if code and code not in labels and not code.isdigit()}


def test_the_whole_audit_trail_of_the_demo_reads_in_vietnamese(demo: None, client: Client) -> None:
    # A login and a logout too: the demo itself records none.
    assert client.login(username=ACCOUNTS[0].username, password=DEMO_PASSWORD)
    client.post("/dang-xuat/")
    codes = _choice_codes()
    problems: set[str] = set()
    events = describe(AuditEvent.objects.select_related("actor", "content_type"))
    for event in events:
        where = event.action
        if action_label(event.action) == event.action:
            problems.add(f"{where}: action without a label")
        for row in event.change_rows:  # type: ignore[attr-defined]
            if not row.labelled:
                problems.add(f"{where}: key {row.field!r} without a label")
            for value in (row.before, row.after):
                if value in codes or re.fullmatch(r"#\d+|\(đã xóa\)", value):
                    problems.add(f"{where}: {row.field} shows {value!r}")
    assert len(events) > 300
    assert sorted(problems) == [], "\n".join(sorted(problems))
