"""A create form posted twice — a double click, a resent page, two workers at once — creates
once: the second POST is taken to what the first one created."""

from __future__ import annotations

import ast
import datetime
import inspect
import io
import textwrap
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import Resolver404, resolve, reverse

import caicach
from caicach.core import clock
from caicach.core.models import AuditEvent, FormToken, Unit, User
from caicach.core.once import EXPIRED_MESSAGE, FIELD, REPEATED_MESSAGE, USED_MESSAGE, new_token
from caicach.core.reminders import registered
from caicach.core.tasks import purge_form_tokens
from caicach.core.versioning import VERSION_FIELD_NAMES
from caicach.initiatives.models import Initiative
from tests.conftest import Org, People
from tests.crawl import crawl, every_pattern
from tests.initiatives.dossiers.test_dossier_pages import create_post
from tests.initiatives.factories import open_campaign

pytestmark = pytest.mark.django_db


def _unit_post(org: Org, token: str, **extra: str) -> dict[str, str]:
    return {
        "code": "XA-MOI",
        "name": "UBND xã Mới",
        "kind": "commune_committee",
        "parent": str(org.province.pk),
        FIELD: token,
        **extra,
    }


def test_every_create_page_issues_a_fresh_token(client: Client, people: People) -> None:
    client.force_login(people.admin)
    first = client.get(reverse("unit_create")).context["form"][FIELD].value()
    second = client.get(reverse("unit_create")).context["form"][FIELD].value()
    assert first and second and first != second
    assert not FormToken.objects.exists()  # issuing writes nothing: a GET changes no state


def test_the_same_post_twice_creates_one_unit_and_leads_the_second_to_it(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.admin)
    data = _unit_post(org, new_token())
    first = client.post(reverse("unit_create"), data)
    unit = Unit.objects.get(code="XA-MOI")
    assert first["Location"] == reverse("unit_detail", args=[unit.pk])
    second = client.post(reverse("unit_create"), data)
    assert second.status_code == 302
    assert second["Location"] == reverse("unit_detail", args=[unit.pk])
    assert [str(m) for m in get_messages(second.wsgi_request)][-1] == str(REPEATED_MESSAGE)
    assert Unit.objects.filter(code="XA-MOI").count() == 1
    assert AuditEvent.objects.filter(action="unit.create").count() == 1


def test_a_new_dossier_posted_twice_is_created_once(client: Client, org: Org, people: People) -> None:
    campaign = open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )
    client.force_login(people.unit_staff)
    data = {**create_post(org, campaign=str(campaign.pk)), FIELD: new_token()}
    url = reverse("initiatives:initiative_create")
    client.post(url, data)
    second = client.post(url, data)
    initiative = Initiative.objects.get()
    assert second["Location"] == initiative.get_absolute_url()


def test_a_refused_create_keeps_the_token_for_the_corrected_form(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.admin)
    token = new_token()
    refused = client.post(reverse("unit_create"), _unit_post(org, token, code=org.commune.code))
    assert refused.status_code == 200  # the code is taken: nothing created, token not spent
    assert not FormToken.objects.exists()
    assert refused.context["form"][FIELD].value() == token  # the page sends the same token again
    client.post(reverse("unit_create"), _unit_post(org, token))
    assert Unit.objects.filter(code="XA-MOI").count() == 1


@pytest.mark.parametrize("token", [None, "", "ngắn"])
def test_a_create_without_a_token_is_refused_and_creates_nothing(
    client: Client, org: Org, people: People, token: str | None
) -> None:
    client.force_login(people.admin)
    data = _unit_post(org, token or "")
    if token is None:
        del data[FIELD]
    response = client.post(reverse("unit_create"), data)
    assert response.status_code == 200
    assert str(EXPIRED_MESSAGE) in response.content.decode()
    assert not Unit.objects.filter(code="XA-MOI").exists()


def test_a_token_someone_else_used_leads_to_nothing_of_theirs(
    client: Client, org: Org, people: People
) -> None:
    token = new_token()
    FormToken.objects.create(token=token, user=people.reform_officer, result_url="/don-vi/1/")
    client.force_login(people.admin)
    response = client.post(reverse("unit_create"), _unit_post(org, token))
    assert response["Location"] == reverse("unit_create")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [str(USED_MESSAGE)]
    assert not Unit.objects.filter(code="XA-MOI").exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_new_dossier_posts_create_one_dossier(org: Org, people: People) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the in-memory SQLite test database cannot be shared between threads")
    campaign = open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune],
    )
    data = {**create_post(org, campaign=str(campaign.pk)), FIELD: new_token()}
    count = 6
    barrier = threading.Barrier(count)
    locations: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            client = Client()
            client.force_login(people.unit_staff)
            barrier.wait()
            response = client.post(reverse("initiatives:initiative_create"), data)
            locations.append(response["Location"])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    initiative = Initiative.objects.get()  # one dossier, not six
    assert locations == [initiative.get_absolute_url()] * count  # every POST ends on it


# --- the guard ---------------------------------------------------------------------------------

# Services that create a record from a form, beyond the ``*_create`` / ``*_file`` ones: each
# view calling one must run it under ``once()``.
CREATING_SERVICES = {
    "council_save",
    "calendar_day_set",
    "monthly_report_save_draft",
    "monthly_report_submit",
    "monthly_summary_save",
}
# Views that call a create-or-edit service only to edit an existing record: a repeat of that
# POST is refused by the record's version (stamp), which the same edit cannot write twice.
EDITS_ONLY = {
    "caicach/core/calendar/views.py:calendar_day_update",
    "caicach/initiatives/review/views.py:council_edit",
}


def _creating(name: str) -> bool:
    return name.endswith(("_create", "_file")) or name in CREATING_SERVICES


def _called_names(node: ast.AST) -> set[str]:
    names: set[str] = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


def test_every_view_that_creates_from_a_form_does_it_once() -> None:
    root = Path(caicach.__file__).parent
    missing: list[str] = []
    checked = 0
    for path in sorted(root.rglob("views.py")):
        relative = f"caicach/{path.relative_to(root)}"
        tree = ast.parse(path.read_text())
        for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
            if f"{relative}:{function.name}" in EDITS_ONLY:
                continue
            called = _called_names(function)
            if not any(_creating(name) for name in called):
                continue
            checked += 1
            if "once" not in called:
                missing.append(f"{relative}:{function.name}")
    assert checked >= 12  # the guard still finds the product's create views
    assert not missing, missing


def test_the_guard_knows_a_create_view_without_once() -> None:
    tree = ast.parse("def view(request):\n    item = item_create(actor=1, data={})\n")
    called = _called_names(tree)
    assert any(_creating(name) for name in called) and "once" not in called


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())


def _is_create_view(action: str) -> bool:
    try:
        match = resolve(urlsplit(action).path)
    except Resolver404:
        return False
    source = inspect.getsource(match.func)
    called = _called_names(ast.parse(textwrap.dedent(source)))
    return any(_creating(name) for name in called) and "once" in called


def test_every_create_form_of_the_demo_carries_its_token(demo: None, client: Client) -> None:
    """The views are held to once() above; here the pages: a template that forgot the form's
    hidden fields would post no token and every create would be refused."""
    creators = ("quantri", "cchc.snv", "vanphong", "canbo.skhcn", "truong.skhcn", "tacgia.vp")
    start = ["/", *(path for _name, path in every_pattern() if "/x/" not in path and "/1/" not in path)]
    seen: set[str] = set()
    missing: list[str] = []
    for username in creators:
        client.force_login(User.objects.get(username=username))
        for form in crawl(client, start).forms:
            if form.method == "post" and _is_create_view(form.action):
                seen.add(urlsplit(form.action).path)
                # A page that creates or edits (the month's report) shows an existing record
                # with its version instead: once(editing=True).
                if not form.hidden & {FIELD, *VERSION_FIELD_NAMES}:
                    missing.append(f"{username}: {form.page} → {form.action}")
        client.logout()
    assert not missing, missing
    assert len(seen) >= 8, sorted(seen)


def test_the_daily_purge_drops_tokens_used_before_the_retention_only(people: People, settings: Any) -> None:
    settings.FORM_TOKEN_RETENTION_DAYS = 7
    now = clock.now()
    old = FormToken.objects.create(
        token=new_token(), user=people.reform_officer, used_at=now - datetime.timedelta(days=8)
    )
    recent = FormToken.objects.create(
        token=new_token(), user=people.reform_officer, used_at=now - datetime.timedelta(days=6)
    )
    assert registered()["core.form_tokens_purge"] is purge_form_tokens
    purge_form_tokens(clock.today())
    assert list(FormToken.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not FormToken.objects.filter(pk=old.pk).exists()
