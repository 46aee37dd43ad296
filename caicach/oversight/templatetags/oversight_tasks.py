"""The task list's rows, as ``followup.rows`` wrote them."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from caicach.core.pagination import MarkupRow

register = template.Library()


@register.simple_tag
def task_rows(rows: Iterable[MarkupRow]) -> SafeString:
    """The ``<tr>`` of each row of a page of the task list (``rows.task_rows_of``)."""
    return mark_safe("".join(row.markup for row in rows))  # every value was escaped when written
