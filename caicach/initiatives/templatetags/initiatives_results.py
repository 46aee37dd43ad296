"""The council results table's rows, written in Python.

A page of 50 ranked dossiers, each with its five or so sheets, cost the template engine some
20 ms at national scale (the sheets' loop with a reversed URL and ``floatformat`` each, the
badges' comparisons), more than ranking and reading them. The markup is the one the template
wrote (a test renders both and compares them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from caicach.core.web import object_urls
from caicach.initiatives.review.queries import DossierAggregate, SheetTotal, points_text

register = template.Library()


@register.simple_tag
def council_result_rows(rows: Sequence[tuple[DossierAggregate, list[SheetTotal]]]) -> SafeString:
    """``<tr>`` of each ranked dossier with the sheets it lists (``queries.sheet_totals``)."""
    dossier_url = object_urls("initiatives:initiative_detail")
    sheet_url = object_urls("initiatives:review_score")
    badges = {
        "none": f'<span class="badge">{escape(gettext("Chưa có phiếu"))}</span>',
        "passed": f'<span class="badge badge-ok">{escape(gettext("Đạt điểm"))}</span>',
        "failed": f'<span class="badge badge-danger">{escape(gettext("Không đạt điểm"))}</span>',
        "discuss": f'<span class="badge badge-warn">{escape(gettext("Cần thảo luận"))}</span>',
    }
    summary = escape(gettext("Phiếu chấm"))
    written = [_row(aggregate, sheets, dossier_url, sheet_url, badges, summary) for aggregate, sheets in rows]
    return mark_safe("".join(written))  # every value below is escaped


def _row(
    aggregate: DossierAggregate,
    sheets: list[SheetTotal],
    dossier_url: Callable[[int], str],
    sheet_url: Callable[[int], str],
    badges: dict[str, str],
    summary: str,
) -> str:
    initiative = aggregate.initiative
    listed = ""
    if sheets:
        items = "".join(
            f'<li><a href="{escape(sheet_url(sheet.pk))}">{escape(sheet.member_name)}</a>: '
            f"{'' if sheet.total is None else points_text(sheet.total)}</li>"
            for sheet in sheets
        )
        listed = f"<details><summary>{summary}</summary><ul>{items}</ul></details>"
    if aggregate.mean is None:
        verdict = badges["none"]
    else:
        verdict = badges["passed"] if aggregate.passed else badges["failed"]
    if aggregate.needs_discussion:
        verdict += badges["discuss"]
    rank = "—" if aggregate.rank is None else str(aggregate.rank)
    return (
        "<tr>"
        f'<td class="num">{rank}</td>'
        f'<td><a href="{escape(dossier_url(initiative.pk))}">{escape(initiative.title)}</a>'
        f'<br><span class="muted">{escape(initiative.unit.name)}</span>{listed}</td>'
        f"{aggregate.score_cells()}"
        f"<td>{verdict}</td>"
        "</tr>"
    )
