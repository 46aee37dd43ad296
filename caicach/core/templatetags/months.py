"""``{{ day|month_label }}``: a month on a page written as on paper ('3/2024', '02/2024')."""

from __future__ import annotations

import datetime

from django import template

from caicach.core import months

register = template.Library()


@register.filter
def month_label(day: datetime.date | None) -> str:
    return months.month_label(day) if day else ""
