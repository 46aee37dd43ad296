"""Going through an issue confirmation page in a test client, as a user does: the first POST
shows the number the document will take; the second confirms it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.test import Client

from caicach.core.issuing import EXPECTED_FIELD

_EXPECTED = re.compile(rf'name="{EXPECTED_FIELD}" value="([^"]*)"')


def offered_reference(response: Any) -> str:
    """The reference a confirmation page offers (fails the test when it is no such page)."""
    found = _EXPECTED.search(response.content.decode())
    assert found, "not an issue confirmation page"
    return found.group(1).replace("&ndash;", "–")


def confirm_issue(client: Client, url: str, data: Mapping[str, Any] | None = None, **extra: Any) -> Any:
    """POST ``data`` to ``url``, read the number the confirmation page offers and confirm it."""
    page = client.post(url, dict(data or {}))
    assert page.status_code == 200, page.status_code
    return client.post(url, {**(data or {}), EXPECTED_FIELD: offered_reference(page)}, **extra)
