"""Reads of initiative dossiers: who may see which (the database-side twin of the ``view``
rule in rules.py, kept in step by a test) and what the pages need loaded with them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from caicach.core.models import User
from caicach.initiatives.dossiers.rules import initiatives_visible_to
from caicach.initiatives.models import Authorship, Initiative


def initiatives_with_relations() -> QuerySet[Initiative]:
    """Dossiers with what the rules and the pages read: campaign (and its units, for the
    reform officer's scope), unit, receipt, and the authors table in order."""
    return Initiative.objects.select_related(
        "campaign__issuing_unit", "campaign__receiving_unit", "unit", "receipt", "created_by"
    ).prefetch_related(Prefetch("authorships", queryset=Authorship.objects.order_by("position")))


def initiatives_for(user: User | AnonymousUser) -> QuerySet[Initiative]:
    """The dossiers ``user`` may see, loaded for the pages: the filter is the ``view`` rule's
    twin, ``rules.initiatives_visible_to``."""
    visible = initiatives_visible_to(user)
    initiatives = initiatives_with_relations()
    return initiatives if visible is None else initiatives.filter(visible)
