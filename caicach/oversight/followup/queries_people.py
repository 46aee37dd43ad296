"""Who hears about a task (kept apart: the services import it lazily)."""

from __future__ import annotations

from django.db.models import QuerySet

from caicach.core.models import Membership, User
from caicach.oversight.rules import UNIT_ROLES


def people_of_lead_unit(unit_id: int) -> QuerySet[User]:
    """The lead unit's head and staff."""
    held = Membership.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES, is_active=True).values("user_id")
    return User.objects.filter(pk__in=held, is_active=True)
