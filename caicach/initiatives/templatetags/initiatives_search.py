"""The initiatives list's rows: the cells written in Python and kept
(``caicach.initiatives.search.rows``), numbered here from the page's first row."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def initiative_rows(page_obj: Any) -> SafeString:
    """``<tr>`` of each dossier of ``page_obj``, whose rows are their cells
    (``search.rows.shown_rows``), numbered from its first row."""
    start = page_obj.start_index()
    rows = [
        f'<tr><td class="num">{start + i}</td>{row.cells}</tr>' for i, row in enumerate(page_obj.object_list)
    ]
    return mark_safe("".join(rows))  # the cells are escaped markup (shown_rows)
