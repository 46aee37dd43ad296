"""A misspelt role in MFA_REQUIRED_ROLES would silently leave that role without its second
step: refuse to start instead."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from caicach.core.models import Role


@register()
def required_roles_exist(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    unknown = sorted(set(settings.MFA_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Known roles: {', '.join(Role.values)}.",
            id="core.E101",
        )
    ]
