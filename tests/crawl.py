"""Walking the product as a signed-in person: every page reachable by links, one page per URL
pattern, with every SQL write made while serving it recorded; and the forms found on the
way, as a browser would post them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)

# Writes a GET may make, with the reason: the idle timeout refreshes the session's
# last-seen time (core/session_timeout.py), and the session row is where that lives; a
# refused GET (a page outside one's scope) is itself a security event the log must keep,
# append-only, changing nothing anybody works with.
HARMLESS_TABLES = {
    "django_session": "the idle timeout's last-seen time in the session",
    "core_securityevent": "the security log's record of a refused access",
    # The public showcase counts a practice's readers once a day: reading the page is what
    # is counted (replication/showcase/services.py), on its own row and read_count only.
    "replication_practiceread": "the public showcase's record of a reader of a practice today",
    "replication_practice": "the public showcase's read counter (read_count only)",
}


@dataclass
class Writes:
    statements: list[str] = field(default_factory=list)

    def tables(self) -> set[str]:
        return {match.group(2) for sql in self.statements if (match := _WRITE.match(sql))}

    def harmful(self) -> set[str]:
        return self.tables() - HARMLESS_TABLES.keys()


@contextmanager
def recording_writes() -> Iterator[Writes]:
    """Every INSERT/UPDATE/DELETE sent to the database inside the block."""
    writes = Writes()

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if _WRITE.match(sql):
            writes.statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield writes


@dataclass
class FoundForm:
    page: str
    action: str
    method: str
    fields: list[tuple[str, str]]  # (name, value) in page order, as a browser posts them
    hidden: set[str]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, selected, first
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        for attr in ("href", "hx-get"):
            if attr in a and tag != "link":
                self.links.append(a[attr])
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": [], "hidden": set(), "submitted": False}  # fmt: skip
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "image", "button"):
                if not self._form["submitted"] and kind == "submit":
                    self._form["fields"].append((name, a.get("value", "")))
                    self._form["submitted"] = True
                return
            if kind == "file":
                return
            if kind == "hidden":
                self._form["hidden"].add(name)
            self._form["fields"].append((name, a.get("value", "")))
        elif (
            tag == "button"
            and name
            and a.get("type", "submit") == "submit"
            and "formnovalidate" not in a  # an auxiliary button ("add a row"), not the form's own
            and not self._form["submitted"]
        ):
            self._form["fields"].append((name, a.get("value", "")))
            self._form["submitted"] = True
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if not self._select[2]:
                self._select[2].append(value)
            if "selected" in a:
                self._select[1].append(value)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            name, selected, first = self._select
            for value in selected or first:
                self._form["fields"].append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form["fields"].append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def route_key(path: str) -> str | None:
    """The URL pattern a local path resolves to ("namespace:name" or the route), None when
    it is not one of ours."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _local(page: str, href: str) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    url = urljoin(page, href)
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "testserver":
        return None
    if parts.path.startswith(("/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Visit:
    url: str
    key: str
    status: int
    writes: Writes


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    forms: list[FoundForm] = field(default_factory=list)

    def keys(self) -> set[str]:
        return {visit.key for visit in self.visits}


def crawl(client: Client, start: list[str], *, per_pattern: int = 1) -> Crawl:
    """GET ``start`` and every local link found, at most ``per_pattern`` pages per URL
    pattern; record each page's writes and every form on it."""
    result = Crawl()
    seen_urls: set[str] = set()
    per_key: dict[str, int] = {}
    queue = list(start)
    while queue:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        key = route_key(urlsplit(url).path)
        if key is None or per_key.get(key, 0) >= per_pattern:
            continue
        per_key[key] = per_key.get(key, 0) + 1
        with recording_writes() as writes:
            response = client.get(url)
        result.visits.append(Visit(url, key, response.status_code, writes))
        if response.status_code in (301, 302, 303):
            if (target := _local(url, response["Location"])) is not None:
                queue.append(target)
            continue
        if "html" not in response.get("Content-Type", "") or response.streaming:
            continue
        parser = _PageParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            if (target := _local(url, href)) is not None and target not in seen_urls:
                queue.append(target)
        for form in parser.forms:
            action = _local(url, form["action"]) if form["action"] else url
            if action is not None:
                result.forms.append(FoundForm(url, action, form["method"], form["fields"], form["hidden"]))
    return result


_CONVERTER_SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def every_pattern(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(view name, a sample path) for every URL pattern of the project; arguments take
    sample values (id 1, "x")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from every_pattern(entry, prefix + route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            sample = re.sub(
                r"<(?:(\w+):)?\w+>",
                lambda m: _CONVERTER_SAMPLES.get(m.group(1) or "str", "x"),
                prefix + route,
            )
            if sample.startswith("^") or "(" in sample:
                continue  # a regular-expression route (Django's own i18n view)
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), "/" + sample
