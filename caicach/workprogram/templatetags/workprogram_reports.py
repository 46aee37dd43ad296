"""``{% report_links program %}``: the links to a program's monthly reports and KPI pages,
for the people allowed to open them (the program page shows them among its actions)."""

from __future__ import annotations

from typing import Any

from django import template

from caicach.core.permissions import can
from caicach.workprogram.models import WorkProgram

register = template.Library()


@register.inclusion_tag("workprogram/reports/_report_links.html", takes_context=True)
def report_links(context: dict[str, Any], program: WorkProgram) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"program": program, "can_view_reports": False, "can_view_kpis": False}
    return {
        "program": program,
        "can_view_reports": can(user, "view_reports", program),
        "can_view_kpis": can(user, "view_kpis", program),
    }
