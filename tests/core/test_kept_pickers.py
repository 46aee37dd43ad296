"""Pages whose filter forms receive their pickers' querysets from the view pass the user's
scope as the options' key (``choices.keep_options``): their unit pickers never compile the
scoped query only to find its key in the cache, and still offer what a write adds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core import choices
from caicach.core.units import forms as unit_forms
from tests.conftest import People

PAGES = [
    "deliberation:meeting_list",
    "deliberation:punctuality",
    "deliberation:withdrawal_list",
    "document_register",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_unit_picker_reads_the_options_its_form_kept(
    client: Client, people: People, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(people.admin)
    url = reverse(name)
    first = client.get(url)
    assert first.status_code == 200
    asked: list[Any] = []
    real = choices.cached_rows

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(unit_forms, "cached_rows", spy)
    again = client.get(url)
    assert again.status_code == 200
    assert asked == []  # not read under the picker's own SQL: the form kept them
    assert _page(again) == _page(first)  # the same options, from what the form kept


def _page(response: Any) -> str:
    return re.sub(r'csrfmiddlewaretoken" value="[^"]*"|X-CSRFToken": "[^"]*"', "", response.content.decode())
