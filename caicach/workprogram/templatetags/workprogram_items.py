"""A program's item table rows, written in Python.

A page of 25 items cost the template engine some 20 ms at national scale (a reversed URL,
two month labels, a choice's label, an included status badge and the coordinating units'
loop per row), more than finding and reading them. The markup is the one the template
wrote (a test renders both and compares them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from caicach.core.months import month_label
from caicach.core.web import object_urls
from caicach.workprogram.models import ItemStatus, ProgramItem, SubmissionKind

register = template.Library()

# The status badge's class, as ``_item_status.html`` gives it (any other status: a warning).
STATUS_CLASSES = {
    ItemStatus.ISSUED.value: "badge badge-ok",
    ItemStatus.SUBMITTED.value: "badge badge-ok",
    ItemStatus.PLANNED.value: "badge",
}


@register.simple_tag
def program_item_rows(items: Iterable[ProgramItem]) -> SafeString:
    """``<tr>`` of each item of a page of ``programs.queries.program_items`` (``is_overdue``
    and ``has_pending_request`` annotated, coordinating units prefetched)."""
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
    written = [_row(item, item_url, texts, statuses, kinds) for item in items]
    if not written:
        empty = escape(gettext("Không có nội dung nào phù hợp."))
        return mark_safe(f'<tr><td colspan="7" class="muted">{empty}</td></tr>')  # escaped above
    return mark_safe("".join(written))  # every value below is escaped


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
