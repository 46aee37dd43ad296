"""The initiative page's link to replication: the button that turns a recognised initiative
into a practice (Home Affairs), or the practice it already became. A tag, so the initiative
app's views need not know replication."""

from __future__ import annotations

from typing import Any

from django import template

from caicach.core.permissions import can
from caicach.initiatives.models import Initiative
from caicach.replication.practices.queries import practice_of_initiative

register = template.Library()


@register.inclusion_tag("replication/practices/_initiative_panel.html", takes_context=True)
def practice_panel(context: dict[str, Any], initiative: Initiative) -> dict[str, Any]:
    user = context["request"].user
    if not can(user, "make_practice", initiative):
        return {"show": False}
    practice = practice_of_initiative(initiative)
    return {
        "show": True,
        "initiative": initiative,
        "practice": practice,
        "csrf_token": context.get("csrf_token"),
    }
