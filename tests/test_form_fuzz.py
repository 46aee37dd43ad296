"""Every form of the demo, as each of its people sees it, posted with absurd numbers, dates and
months (2147483648, -1, 10^20, "1e400", "NaN"; 31/12/9999, 01/01/0001, 00/13/2024,
"9999-12-31"; 12/9999, 01/0000):
never a server error, and nothing stored with such a value. The filter forms (GET) are sent
the absurd dates too. Run it on PostgreSQL as well: an integer past 2^31 overflows there."""

from __future__ import annotations

import datetime
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from caicach.core.demo import ACCOUNTS, DEMO_PASSWORD
from tests.conftest import load_demo

pytestmark = pytest.mark.django_db

NUMBERS = ["2147483648", "-1", str(10**20), "1e400", "NaN"]
DATES = ["31/12/9999", "01/01/0001", "00/13/2024", "9999-12-31"]
MONTHS = ["12/9999", "01/0000", "13/2024", "31/12/9999"]

# Downloads and generated documents (slow, not pages), logging out, files.
SKIP = re.compile(r"\.(docx|xlsx|pdf|zip)$|-(pdf|zip)/$|/tai-ve/|/dang-xuat/|^/(static|media)/")
HREF = re.compile(r'href="(/[^"#?]*)')
PAGES_PER_ACCOUNT = 150

# Fields ("url name" "field") the walk must reach, so a change that hides a form from it shows
# here. tests/core/test_input_bounds.py checks that every field of every form is bounded;
# this checks that the bounds hold end to end, through the services and the database.
MUST_REACH = {
    "audit_search date_from",
    "audit_search date_to",
    "calendar_day_create date",
    "calendar_year n",
    "calendar_year start",
    "campaign_create min_initiatives_per_unit",
    "campaign_create reminder_working_days",
    "campaign_create window_end",
    "campaign_create window_start",
    "campaign_extend new_end",
    "council_create meeting_on",
    "council_create reminder_working_days",
    "council_create scoring_deadline",
    "initiative_accept accepted_on",
    "initiative_edit date_of_birth",
    "initiative_edit first_applied_on",
    "initiative_edit share",
    "item_create due_month",
    "item_create position",
    "item_submit submitted_on",
    "item_update position",
    "profile date_of_birth",
    "program_create decision_date",
    "program_create year",
    "reason_create position",
    "reason_update position",
    "report_form expected_date",
    "request_create proposed_month",
    "rubric_create max_points",
    "rubric_create pass_mark",
    "rubric_create vote_numerator",
    "settings report_day",
    "settings report_reminder_working_days",
    "summary_issue issued_on",
    "unit_create valid_from",
    "unit_merge effective_date",
    "user_create date_of_birth",
    "user_update date_of_birth",
}


@dataclass
class FormSeen:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, value) as the page sends it
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)


class FormReader(HTMLParser):
    """The forms of a page with what a browser would send, and which boxes take a number
    (``type="number"`` or a numeric keypad) or a date (the dd/mm/yyyy box)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[FormSeen] = []
        self._form: FormSeen | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attr_list}
        if tag == "form":
            self._form = FormSeen(
                action=attrs.get("action") or self.page, method=attrs.get("method", "get").lower()
            )
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name", "")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            form.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
            if attrs.get("placeholder") == "dd/mm/yyyy":
                form.dates.append(name)
            elif attrs.get("placeholder") == "mm/yyyy":
                form.months.append(name)
            elif kind == "number" or (kind == "text" and attrs.get("inputmode") in ("numeric", "decimal")):
                form.numbers.append(name)
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select:
            self._option_value = attrs.get("value")
            if "selected" in attrs and self._option_value is not None:
                self._select_value = self._option_value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if form is None:
            return
        if tag == "option" and self._select and self._select_first is None:
            self._select_first = self._option_value or ""
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._select_first
            if value is not None:
                form.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea:
            form.fields.append((self._textarea, self._text.strip("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(form)
            self._form = None


def shape(text: str) -> str:
    return re.sub(r"\d+", "N", text)


@dataclass
class Fuzz:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    forms_seen: set[tuple[str, str, frozenset[str]]] = field(default_factory=set)

    def send(self, client: Client, form: FormSeen, target: str, value: str, who: str) -> None:
        data: dict[str, list[str]] = {}
        for name, sent in form.fields:
            data.setdefault(name, []).append(sent)
        data[target] = [value]
        send = client.post if form.method == "post" else client.get
        response = send(form.action, data)
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(
                f"{who} {form.method.upper()} {form.action} {target}={value!r}: {response.status_code}"
            )

    def fuzz(self, client: Client, form: FormSeen, who: str) -> None:
        targets = [
            *[(name, NUMBERS) for name in form.numbers],
            *[(name, DATES) for name in form.dates],
            *[(name, MONTHS) for name in form.months],
        ]
        if not targets:
            return
        key = (form.method, shape(form.action), frozenset(shape(name) for name, _ in form.fields))
        if key in self.forms_seen:
            return
        self.forms_seen.add(key)
        done: set[str] = set()
        for name, values in targets:
            # One row of a table of rows stands for the others.
            if shape(name) in done:
                continue
            done.add(shape(name))
            self.reached.add(f"{_area(form.action)} {re.sub(r'^.*-', '', name)}")
            for value in values:
                self.send(client, form, name, value, who)


def _area(action: str) -> str:
    match = resolve(urlsplit(action).path)
    return match.url_name or action


def _plain_pages() -> list[str]:
    """Every page whose address takes no argument (a list, a "new" form): the walk starts
    there too, so a form no link leads to is still reached."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif "<" not in route and "(" not in route and "^" not in route:
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return found


def _walk_and_fuzz(client: Client, fuzz: Fuzz, who: str) -> None:
    seen: set[str] = set()
    queue = deque(["/", *_plain_pages()])
    pages = 0
    while queue and pages < PAGES_PER_ACCOUNT:
        url = queue.popleft()
        if shape(url) in seen or SKIP.search(url):
            continue
        seen.add(shape(url))
        response = client.get(url)
        pages += 1
        if response.status_code >= 500:
            fuzz.failures.append(f"{who} GET {url}: {response.status_code}")
        if response.status_code == 302 and response["Location"].startswith("/"):
            queue.append(urlsplit(response["Location"]).path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        reader = FormReader(url)
        reader.feed(html)
        for form in reader.forms:
            fuzz.fuzz(client, form, who)
        queue.extend(HREF.findall(html))


def _absurd_rows() -> list[str]:
    """Rows holding a number or a date no form should have let through."""
    found: list[str] = []
    floor, ceiling = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
    for model in apps.get_models():
        if not model.__module__.startswith("caicach."):
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, models.DateTimeField):
                continue
            if isinstance(column, models.DateField):
                bad = model._default_manager.filter(
                    models.Q(**{f"{column.name}__lt": floor}) | models.Q(**{f"{column.name}__gt": ceiling})
                )
            elif isinstance(column, models.IntegerField | models.DecimalField) and not column.is_relation:
                if column.primary_key:
                    continue
                bad = model._default_manager.filter(
                    models.Q(**{f"{column.name}__gte": 2147483647}) | models.Q(**{f"{column.name}__lt": 0})
                )
            else:
                continue
            found += [
                f"{model.__name__}.{column.name}: {value}"
                for value in bad.values_list(column.name, flat=True)
            ]
    return found


def test_no_form_of_the_demo_breaks_or_stores_an_absurd_number_or_date(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    assert _absurd_rows() == []
    fuzz = Fuzz()
    for account in ACCOUNTS:
        client = Client(raise_request_exception=False)
        assert client.login(username=account.username, password=DEMO_PASSWORD)
        _walk_and_fuzz(client, fuzz, account.username)
    assert fuzz.failures == []
    assert _absurd_rows() == []
    assert fuzz.reached >= MUST_REACH, sorted(MUST_REACH - fuzz.reached)
    assert len(fuzz.forms_seen) >= 20
    assert fuzz.requests >= 200
