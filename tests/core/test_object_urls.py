"""``web.object_urls``: a table's links reversed once, each the URL ``reverse`` gives."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from caicach.core.web import object_urls


@pytest.mark.parametrize(
    "name", ["initiatives:initiative_detail", "initiatives:review_score", "replication:directive_detail"]
)
def test_each_link_is_the_reversed_url(name: str) -> None:
    url = object_urls(name)
    for pk in (1, 7, 42, 2_000_000, 2_147_483_646):
        assert url(pk) == reverse(name, args=[pk])


def test_a_script_prefix_is_kept_and_a_key_is_never_text() -> None:
    set_script_prefix("/caicach/")
    try:
        url = object_urls("initiatives:initiative_detail")
        assert url(5) == reverse("initiatives:initiative_detail", args=[5]) and url(5).startswith("/caicach/")
    finally:
        set_script_prefix("/")
    with pytest.raises(ValueError):
        object_urls("initiatives:initiative_detail")("5/../../x")  # type: ignore[arg-type]
