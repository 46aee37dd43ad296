"""The initiative page's link to replication: the button that turns a recognised initiative
into a practice (Home Affairs), or the practice it already became. A tag, so the initiative
app's views need not know replication. And the practice list's rows, written in Python."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from caicach.core.permissions import can
from caicach.initiatives.models import Initiative
from caicach.replication.models import Practice, PracticeKind, PracticeStatus
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


# The labels by value (Django's get_FOO_display builds this mapping on every call).
_KINDS = dict(PracticeKind.choices)
_STATUSES = dict(PracticeStatus.choices)
_BADGES: dict[str, str] = {
    PracticeStatus.ACCEPTED.value: " badge-ok",
    PracticeStatus.PROPOSED.value: " badge-warn",
}


@register.simple_tag
def practice_rows(page_obj: Any) -> SafeString:
    """``<tr>`` of each practice of ``page_obj`` (``queries.practices_for``: its units and
    indices read with it). A page of 25 cost the template engine some 7 ms at national scale;
    the markup is the one the template wrote (a test renders both and compares them)."""
    published = escape(gettext("Công khai"))
    return mark_safe("".join(_practice_row(practice, published) for practice in page_obj.object_list))


def _practice_row(practice: Practice, published: str) -> str:
    badge = f' <span class="badge">{published}</span>' if practice.is_published else ""
    indices = "; ".join(escape(index.name) for index in practice.indices.all()) or "—"
    return (
        "<tr>"
        f'<td><a href="{escape(practice.get_absolute_url())}">{escape(practice.name)}</a>{badge}</td>'
        f"<td>{escape(_KINDS.get(practice.kind, practice.kind))}</td>"
        f"<td>{escape(practice.origin_name or '—')}</td>"
        f"<td>{indices}</td>"
        f'<td><span class="badge{_BADGES.get(practice.status, " badge-danger")}">'
        f"{escape(_STATUSES.get(practice.status, practice.status))}</span></td>"
        "</tr>"
    )
