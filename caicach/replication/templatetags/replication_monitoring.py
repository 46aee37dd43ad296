"""The monitoring matrix's cells, written in Python: a page holds 50 units × up to 45
practices, and including a template per cell was most of its time (2,250 includes, 0.3 s
of a national officer's page). What a cell says is unchanged: the latest sent report's
status in words and colour (never colour alone), how fresh it is, the link to it."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from caicach.replication.models import AdoptionStatus
from caicach.replication.monitoring.queries import CURRENT, OLD, Cell

register = template.Library()

_BADGE: dict[str, str] = {
    AdoptionStatus.APPLIED: "badge badge-ok",
    AdoptionStatus.APPLIED_WIDELY: "badge badge-ok",
    AdoptionStatus.STUDYING: "badge badge-warn",
    AdoptionStatus.PILOTING: "badge badge-warn",
    AdoptionStatus.NOT_APPLICABLE: "badge",
}
_DANGER = "badge badge-danger"  # not started, stopped, and no report at all


def _freshness(cell: Cell, said: dict[str, str]) -> str:
    """What the cell's report is, in words; ``said`` holds the request's translations (a page
    has hundreds of cells: one gettext each, not three)."""
    day = cell.period.strftime("%d/%m/%Y") if cell.period else ""
    text = said.get(cell.freshness or "", said[""]) % {"day": day}
    return text + said["study"] if cell.role == "study" else text


def _said() -> dict[str, str]:
    return {
        CURRENT: gettext("Kỳ gần nhất (từ %(day)s)"),
        OLD: gettext("Báo cáo cũ (kỳ từ %(day)s)"),
        "": gettext("Chưa có báo cáo").replace("%", "%%"),
        "study": " · " + gettext("chủ trì nghiên cứu"),
    }


@register.simple_tag
def matrix_cells(cells: list[Cell | None]) -> SafeString:
    """A row's cells, each in its <td>."""
    # One reverse() for the row, not one per cell.
    link = reverse("replication:report_detail", args=[0]).removesuffix("0/")
    view = escape(gettext("Xem báo cáo"))
    unassigned = escape(gettext("Không được giao"))
    said = _said()
    parts = []
    for cell in cells:
        if cell is None:
            parts.append(
                f'<td><span class="muted" title="{unassigned}">—</span>'
                f'<span class="visually-hidden">{unassigned}</span></td>'
            )
            continue
        badge = _BADGE.get(cell.status or "", _DANGER)
        html = f'<td><span class="{badge}">{escape(cell.label)}</span>'
        html += f'<div class="small muted">{escape(_freshness(cell, said))}</div>'
        if cell.report_id:
            html += f'<a class="small" href="{link}{cell.report_id}/">{view}</a>'
        parts.append(html + "</td>")
    # Safe: every label and text above is escaped; the classes and the link are ours.
    return mark_safe("".join(parts))
