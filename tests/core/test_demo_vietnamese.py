"""The demo, walked as its users walk it, speaks Vietnamese: no form leaves its checks to the
browser (which speaks the browser's language)."""

from __future__ import annotations

import io
import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from caicach.core.demo import ACCOUNTS, DEMO_PASSWORD

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
