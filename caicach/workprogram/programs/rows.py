"""A program's item table rows, written in Python and kept.

A page of 25 items cost the template engine some 20 ms at national scale (a reversed URL,
two month labels, a choice's label, an included status badge and the coordinating units'
loop per row), more than finding them; reading them again with their units, leader and
coordinating units cost half as much. So a page's rows are written once, as the markup the
template wrote (a test renders both and compares them), and kept by the page's keys until a
write to a table they read commits (``item_rows_of``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.translation import gettext

from caicach.core.choices import kept_while_read
from caicach.core.months import month_label
from caicach.core.pagination import rows_by_key
from caicach.core.web import object_urls
from caicach.workprogram.models import ItemStatus, ProgramItem, SubmissionKind

# The status badge's class, as ``_item_status.html`` gives it (any other status: a warning).
STATUS_CLASSES = {
    ItemStatus.ISSUED.value: "badge badge-ok",
    ItemStatus.SUBMITTED.value: "badge badge-ok",
    ItemStatus.PLANNED.value: "badge",
}


class ShownItem(NamedTuple):
    """An item as a row of the program's table (escaped markup)."""

    pk: int
    title: str
    markup: str


def item_rows_of(
    items: Callable[[], QuerySet[ProgramItem]], *, today: datetime.date, grace: int
) -> Callable[[list[int]], list[ShownItem]]:
    """The rows of a page of ``items()`` (``queries.program_items``: the reader's scope and
    filters, with ``is_overdue`` as of ``today`` and ``grace`` days annotated; made only
    when the rows are not kept) from the page's keys, kept under them, the day and the
    grace days."""

    def rows_of(ids: list[int]) -> list[ShownItem]:
        def build() -> list[ShownItem]:
            shown = rows_by_key(items(), ids)
            return [
                ShownItem(item.pk, item.title, markup)
                for item, markup in zip(shown, item_rows(shown), strict=True)
            ]

        return kept_while_read("program items: a page's rows", (tuple(ids), today, grace), build)

    return rows_of


def item_rows(items: Iterable[ProgramItem]) -> list[str]:
    """``<tr>`` of each item (``is_overdue`` and ``has_pending_request`` annotated,
    coordinating units prefetched)."""
    item_url = object_urls("workprogram:item_detail")
    texts = {
        "legal": f' <span class="badge">{escape(gettext("QPPL"))}</span>',
        "overdue": f'<span class="badge badge-danger">{escape(gettext("Quá hạn chưa trình"))}</span>',
        "original": escape(gettext("Thời gian trình theo chương trình ban đầu")),
        "pending": f'<span class="badge badge-warn">{escape(gettext("Có đề nghị điều chỉnh"))}</span>',
    }
    # Each label translated once a table (``get_FOO_display`` builds its choices' dict per call).
    statuses: dict[str, str] = {value: escape(label) for value, label in ItemStatus.choices}
    kinds: dict[str, str] = {value: escape(label) for value, label in SubmissionKind.choices}
    return [_row(item, item_url, texts, statuses, kinds) for item in items]


def _unit_name(unit: object) -> str:
    return escape(getattr(unit, "short_name", "") or getattr(unit, "name", ""))


def _row(
    item: ProgramItem,
    item_url: Callable[[int], str],
    texts: dict[str, str],
    statuses: dict[str, str],
    kinds: dict[str, str],
) -> str:
    coordinating = "; ".join(_unit_name(unit) for unit in item.coordinating_units.all())
    leader = escape(str(item.supervising_leader)) if item.supervising_leader is not None else "—"
    due = month_label(item.due_month)
    if item.due_month != item.original_due_month:
        original = month_label(item.original_due_month)
        due += f' <span class="muted" title="{texts["original"]}">({original})</span>'
    if getattr(item, "is_overdue", False):
        status = texts["overdue"]
    else:
        css = STATUS_CLASSES.get(item.status, "badge badge-warn")
        status = f'<span class="{css}">{statuses.get(item.status, escape(item.status))}</span>'
    pending = texts["pending"] if getattr(item, "has_pending_request", False) else ""
    return (
        "<tr>"
        f'<td class="text-right">{item.position}</td>'
        f'<td><a href="{escape(item_url(item.pk))}">{escape(item.title)}</a>'
        f"{texts['legal'] if item.is_legal_document else ''}</td>"
        f"<td>{_unit_name(item.lead_unit)}</td>"
        f"<td>{coordinating}</td>"
        f"<td>{kinds.get(item.submission_kind, escape(item.submission_kind))}</td>"
        f"<td>{leader}</td>"
        f'<td><div class="nowrap">{due}</div>{status}{pending}</td>'
        "</tr>"
    )
