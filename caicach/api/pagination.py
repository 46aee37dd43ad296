"""Cursor pagination of the API's lists: newest row first (by id), the next page after the
last id shown. The cursor is opaque to clients (URL-safe base64 of a small JSON object), so
its form may change; a page costs the same wherever it is, and nothing counts the table."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast, get_args

from django.conf import settings
from django.db import connection, models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

from caicach.api.errors import ApiError
from caicach.core import clock
from caicach.core.choices import kept, kept_while_read
from caicach.core.pagination import rows_by_key, sorted_not_walked

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

DEFAULT_LIMIT = 50
# The largest id a filter or cursor may name (a 32-bit key; larger is no row of ours).
MAX_ID = 2**31 - 1


class PageParams(Schema):
    cursor: str | None = Field(None, description="Con trỏ trang tiếp theo (next_cursor của trang trước).")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=1000, description="Số dòng mỗi trang (tối đa 100).")

    model_config = {"json_schema_extra": {"examples": [{"cursor": "eyJhIjogMTIwfQ", "limit": 50}]}}


def _page_example(schema: dict[str, Any], cls: type) -> None:
    """A page's example: one row, the row's own example (``Page[UnitOut]`` shows a unit)."""
    fields = getattr(cls, "model_fields", {})
    rows = get_args(fields["items"].annotation) if "items" in fields else ()
    config = getattr(rows[0], "model_config", {}) if rows else {}
    extra = config.get("json_schema_extra")
    examples = extra.get("examples") if isinstance(extra, dict) else None
    if examples:
        schema["examples"] = [{"items": [examples[0]], "next_cursor": encode(examples[0].get("id", 1))}]


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Null ở trang cuối.")

    model_config = {"json_schema_extra": _page_example}


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"a": last_id}).encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value: Any = json.loads(base64.urlsafe_b64decode(padded.encode()))
        after = value["a"]
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID + 1:
            raise ValueError
        return after
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError(
            400, "cursor", _("Con trỏ trang không hợp lệ."), {"cursor": [_("Con trỏ trang không hợp lệ.")]}
        ) from exc


# The newest rows of a table a page first looks among (see _newest).
WALK_WINDOW = 2000


def page_of(queryset: QuerySet[M], params: PageParams) -> tuple[list[M], str | None]:
    """One page of ``queryset``, newest first: at most API_PAGE_SIZE_MAX rows (a row more
    than the page tells whether another follows)."""
    size = min(params.limit, settings.API_PAGE_SIZE_MAX)
    before = decode(params.cursor) if params.cursor else None
    found = _newest(queryset, size + 1, before=before)
    shown = found[:size]
    return shown, encode(shown[-1].pk) if len(found) > size and shown else None


def items_of(
    queryset: QuerySet[M],
    params: PageParams,
    item: Callable[[M], T] | type[T],
    *,
    annotated_from: Callable[[], object] | None = None,
) -> tuple[list[T], str | None]:
    """``page_of`` as the API shows it: ``item(row)`` for each row of the page, made from the
    page's keys and kept under them (and the day: an item may say whether a deadline has
    passed) until a write commits to a table read to make them (``kept_while_read``). Why: a
    page of fifty dossiers with their authors cost more to read as model rows and to turn
    into schemas (20 ms) than to find (a province's or the country's, 3 ms). ``item`` must
    show a row alone, the same to anyone who may see it (not the caller's own answer on
    it); the caller's scope is in the keys, which only that scope's statement finds. A
    schema class for ``item`` reads its fields off the row (``from_attributes``).
    ``annotated_from``: what ``queryset``'s annotations were computed from before it ran (a
    task's timeliness: the committees' settings, the working calendar), read again while
    the items are made so that a change to it, too, renews them."""
    make: Callable[[M], T]
    if isinstance(item, type) and issubclass(item, Schema):
        schema = item
        make = lambda row: cast(T, schema.model_validate(row, from_attributes=True))  # noqa: E731
    else:
        make = item  # type: ignore[assignment]
    size = min(params.limit, settings.API_PAGE_SIZE_MAX)
    before = decode(params.cursor) if params.cursor else None
    found = _newest_keys_of(queryset, size + 1, before=before)
    shown = found[:size]
    items = kept_while_read(
        f"api items {item.__module__}.{item.__qualname__}",
        (tuple(shown), clock.today()),
        lambda: _made(queryset, shown, make, annotated_from),
    )
    return items, encode(shown[-1]) if len(found) > size and shown else None


def _made(
    queryset: QuerySet[M],
    keys: list[Any],
    make: Callable[[M], T],
    annotated_from: Callable[[], object] | None,
) -> list[T]:
    if annotated_from is not None:
        annotated_from()  # recorded by kept_while_read with what the rows' statements read
    return [make(row) for row in rows_by_key(queryset, keys)]


def _newest_keys_of(rows: QuerySet[M], limit: int, *, before: int | None) -> list[Any]:
    """The keys of ``_newest`` (the same rows, in the same order), without reading the rows."""
    table = rows.model._default_manager.all()
    if before is not None:
        rows, table = rows.filter(pk__lt=before), table.filter(pk__lt=before)
    keys = rows.values_list("pk", flat=True)
    if connection.vendor != "postgresql":
        return list(keys.order_by("-pk")[:limit])
    # Kept until a write to a table they read commits (``caicach.core.choices.kept``), under
    # the statement asking for them at once (the scope, the cursor, the limit): an
    # integration polling a province's dossiers sorted them again on every call (45 ms).
    newest = keys.order_by("-pk")[:limit]
    return kept([newest], lambda: _newest_keys(table, keys, limit), "api newest")


def _newest(rows: QuerySet[M], limit: int, *, before: int | None) -> list[M]:
    """The ``limit`` newest of ``rows`` (by id, below ``before``). On PostgreSQL, first
    among the table's ``WALK_WINDOW`` newest rows, a range of the id index; if they hold too
    few of ``rows`` (a province's items among a country's, a unit's few), the rest from
    ``rows``' own indexes, sorted. Why: asked at once, the planner walked the id index down
    expecting the caller's rows spread evenly, and read 280,000 items for a province's page
    of 50 (27 s). Both steps read keys only when ``rows`` joins its related rows, then
    those rows by key: the planner joined every wide row of a province's adoption reports
    before keeping its own (0.5 s). One query on SQLite; on PostgreSQL the keys (up to
    three queries, kept), then the rows by key."""
    if connection.vendor != "postgresql":
        if before is not None:
            rows = rows.filter(pk__lt=before)
        return list(rows.order_by("-pk")[:limit])
    return rows_by_key(rows, _newest_keys_of(rows, limit, before=before))


def _newest_keys(table: QuerySet[M], keys: QuerySet[M, Any], limit: int) -> list[Any]:
    floor = list(table.order_by("-pk").values_list("pk", flat=True)[WALK_WINDOW - 1 : WALK_WINDOW])
    if not floor:
        return list(keys.order_by("-pk")[:limit])
    ids = list(keys.filter(pk__gte=floor[0]).order_by("-pk")[:limit])
    if len(ids) < limit:
        older = keys.filter(pk__lt=floor[0]).order_by(*sorted_not_walked("-pk"))
        ids += list(older[: limit - len(ids)])
    return ids
