"""An edit names the copy of the record it was made from, and an edit that names none — the
hidden version emptied, dropped or garbled — is refused like a stale one, with the same
message, nothing changed. Checked at the mechanism (``check_version``, ``StaleEditField``),
on every form class of the product, and by posting every versioned form the demo shows."""

from __future__ import annotations

import datetime
import importlib
import io
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

import caicach
from caicach.core.demo import ACCOUNTS
from caicach.core.models import User
from caicach.core.versioning import (
    STALE_EDIT_MESSAGE,
    VERSION_FIELD_NAMES,
    StaleEditField,
    StampField,
    VersionField,
    check_version,
)
from tests.crawl import FoundForm, crawl, every_pattern, recording_writes, route_key

# --- the mechanism ----------------------------------------------------------------------------


@pytest.mark.parametrize("expected", [None, "", "abc", -1, 0, 2, "1"])
def test_check_version_refuses_a_missing_blank_garbled_or_moved_version(expected: object) -> None:
    with pytest.raises(ValidationError) as caught:
        check_version(1, expected)
    assert caught.value.code == "stale"
    assert caught.value.messages == [str(STALE_EDIT_MESSAGE)]


def test_check_version_passes_the_copy_the_form_was_built_from() -> None:
    check_version(3, 3)
    check_version("a1b2", "a1b2")
    stamp = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    check_version(stamp, stamp)


class _Edit(forms.Form):
    version = VersionField()
    stamp = StampField()


@pytest.mark.parametrize(
    "data",
    [{}, {"version": ""}, {"version": "abc"}, {"version": "0"}, {"version": "-3"}, {"version": " "}],
)
def test_the_version_field_reads_every_failure_as_a_stale_edit(data: dict[str, str]) -> None:
    form = _Edit({"stamp": "2026-01-02T03:04:05+00:00", **data})
    assert not form.is_valid()
    assert form.errors["version"] == [str(STALE_EDIT_MESSAGE)]


@pytest.mark.parametrize("stamp", ["", "hôm qua", "2026-13-45T00:00:00"])
def test_the_stamp_field_reads_every_failure_as_a_stale_edit(stamp: str) -> None:
    form = _Edit({"version": "1", "stamp": stamp})
    assert not form.is_valid()
    assert form.errors["stamp"] == [str(STALE_EDIT_MESSAGE)]


# --- every form class -------------------------------------------------------------------------


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(caicach.__path__, "caicach."):
        if ".migrations" not in module.name and not module.name.endswith((".wsgi", ".asgi")):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type[forms.BaseForm]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("caicach.") and sub not in found:
                found.append(sub)
    return found


def test_every_form_carrying_a_version_uses_the_stale_edit_field() -> None:
    """A new form with a ``version``/``fingerprint``/``stamp`` of its own kind (an optional
    IntegerField, say) would let an empty POST skip the check: it fails here."""
    versioned = {
        cls: name
        for cls in _all_form_classes()
        for name in VERSION_FIELD_NAMES
        if name in getattr(cls, "base_fields", {})
    }
    assert len(versioned) >= 20  # the walk found the product's forms
    wrong = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls, name in versioned.items()
        if not isinstance(cls.base_fields[name], StaleEditField) or not cls.base_fields[name].required  # type: ignore[attr-defined]
    ]
    assert not wrong


# --- every versioned form of the demo, posted ----------------------------------------------------


@pytest.fixture
def demo(settings: Any, tmp_path: Path, db: None) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())


def _versioned_post_forms(client: Client) -> list[FoundForm]:
    start = ["/", *(path for _name, path in every_pattern() if "/x/" not in path and "/1/" not in path)]
    found = crawl(client, start, per_pattern=2).forms
    return [form for form in found if form.method == "post" and form.hidden & set(VERSION_FIELD_NAMES)]


def _post(client: Client, form: FoundForm, name: str, value: str | None) -> tuple[set[str], str]:
    data: dict[str, list[str]] = {}
    for field, field_value in form.fields:
        if field == name:
            continue
        data.setdefault(field, []).append(field_value)
    if value is not None:
        data[name] = [value]
    with recording_writes() as writes:
        response = client.post(form.action, data, follow=True)
    return writes.harmful(), response.content.decode()


def test_every_versioned_form_refuses_a_missing_blank_or_garbled_version(demo: None, client: Client) -> None:
    problems: list[str] = []
    tried: set[str] = set()
    for account in ACCOUNTS:
        client.force_login(User.objects.get(username=account.username))
        done: set[tuple[str | None, frozenset[str]]] = set()
        for form in _versioned_post_forms(client):
            key = (route_key(form.action.split("?")[0]), frozenset(name for name, _ in form.fields))
            if key in done:
                continue
            done.add(key)
            tried.add(str(key[0]))
            (name,) = form.hidden & set(VERSION_FIELD_NAMES)
            for value in (None, "", "không-phải-phiên-bản"):
                writes, html = _post(client, form, name, value)
                if writes:
                    problems.append(
                        f"{account.username} {form.action} {name}={value!r}: wrote {sorted(writes)}"
                    )
                if str(STALE_EDIT_MESSAGE) not in html:
                    problems.append(
                        f"{account.username} {form.action} {name}={value!r}: no stale-edit message"
                    )
        client.logout()
    assert not problems, "\n".join(problems)
    # The demo shows the product's edit forms; a walk that found few proves nothing.
    assert len(tried) >= 15, sorted(tried)
