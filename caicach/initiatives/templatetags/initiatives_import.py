"""What the import link partial needs: whether this user may import (no query beyond the
user's memberships, which the permission engine caches per request)."""

from __future__ import annotations

from typing import Any

from django import template

from caicach.core.permissions import can
from caicach.initiatives.models import Initiative, InitiativeKind

register = template.Library()


@register.simple_tag(takes_context=True)
def may_import_dossiers(context: dict[str, Any]) -> bool:
    request = context.get("request")
    return request is not None and can(request.user, "initiatives.create_initiative")


@register.simple_tag(takes_context=True)
def may_import_into(context: dict[str, Any], initiative: Initiative) -> bool:
    request = context.get("request")
    return (
        request is not None
        and initiative.kind == InitiativeKind.SOLUTION
        and can(request.user, "change", initiative)
    )
