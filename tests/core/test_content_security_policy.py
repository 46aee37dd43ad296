"""The Content-Security-Policy and the Permissions-Policy: every page answers with both, the
policy allows nothing inline and no other origin, and no template carries what the policy
would block (an inline script or style, a style or on* attribute, a javascript: link) — the
browser walk in tests/browser/test_csp.py proves the rendered pages the same way."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, People

ROOT = Path(__file__).resolve().parents[2] / "caicach"

# What a strict policy refuses in markup. `<script` without `src` is an inline script; a
# `style=` attribute (HTML or SVG) is refused by style-src-attr; on*= handlers and
# javascript: URLs are inline scripts too.
FORBIDDEN = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def templates() -> list[Path]:
    return sorted(path for path in ROOT.rglob("*.html") if "templates" in path.parts)


def offences(text: str) -> list[str]:
    found = []
    for name, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{name} at line {line}: {match.group(0)!r}")
    return found


def directives(header: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_the_guard_spots_each_kind_of_inline_code() -> None:
    sample = (
        '<script>alert(1)</script>\n<style>p{}</style>\n<td style="x">\n'
        '<a onclick="x()">\n<a href="javascript:x()">\n<script src="/static/a.js" defer></script>'
    )
    assert [entry.split(" at ")[0] for entry in offences(sample)] == list(FORBIDDEN)


def test_no_template_carries_inline_script_or_style() -> None:
    found = {
        str(path.relative_to(ROOT)): problems
        for path in templates()
        if (problems := offences(path.read_text(encoding="utf-8")))
    }
    assert len(templates()) > 50, "the scan sees the app templates"
    assert found == {}


def test_the_policy_allows_only_our_own_origin_and_nothing_inline(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    every_source = " ".join(source for sources in policy.values() for source in sources)
    assert "unsafe" not in every_source and "nonce-" not in every_source and "http" not in every_source


def test_the_permissions_policy_denies_the_devices_and_payment(client: Client, db: None) -> None:
    header = client.get(reverse("login"))["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


@pytest.mark.parametrize("name", ["home", "calendar", "unit_list", "inbox"])
def test_signed_in_pages_carry_both_headers_and_no_inline_code(
    client: Client, people: People, name: str
) -> None:
    client.login(username=people.admin.username, password=PASSWORD)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response
    assert offences(response.content.decode()) == []
    # htmx is told not to inject its indicator <style>, and its rules are in app.css instead.
    assert '"includeIndicatorStyles": false' in response.content.decode()


def test_the_csrf_failure_and_not_found_pages_carry_the_policy(people: People, settings: Any) -> None:
    settings.DEBUG = False  # django-csp leaves DEBUG's 404/500 alone; production is what matters
    client = Client(enforce_csrf_checks=True)
    refused = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert refused.status_code == 403
    assert "Content-Security-Policy" in refused and offences(refused.content.decode()) == []
    client.login(username=people.admin.username, password=PASSWORD)
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404
    assert "Content-Security-Policy" in missing and offences(missing.content.decode()) == []


def test_the_unit_tree_indents_by_data_attribute_not_style(client: Client, people: People) -> None:
    client.login(username=people.admin.username, password=PASSWORD)
    body = client.get(reverse("unit_list")).content.decode()
    assert 'data-indent="1"' in body
    css = (ROOT / "core" / "static" / "core" / "app.css").read_text(encoding="utf-8")
    assert '.unit-name[data-indent="1"]' in css
