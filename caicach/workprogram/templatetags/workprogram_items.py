"""A program's item table rows, written in Python (``programs.rows``)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from caicach.workprogram.programs.rows import ShownItem

register = template.Library()


@register.simple_tag
def program_item_rows(rows: Iterable[ShownItem]) -> SafeString:
    """The ``<tr>`` of each row of a page of the program's items (``rows.item_rows_of``)."""
    written = [row.markup for row in rows]
    if not written:
        empty = escape(gettext("Không có nội dung nào phù hợp."))
        return mark_safe(f'<tr><td colspan="7" class="muted">{empty}</td></tr>')  # escaped above
    return mark_safe("".join(written))  # every row's values were escaped when written
