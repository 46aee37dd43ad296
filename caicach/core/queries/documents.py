"""Reads of the document register, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from caicach.core.models import RegisteredDocument, Role, Unit, User
from caicach.core.permissions import principal


def register_unit_ids(user: User) -> set[int] | None:
    """The issuing units whose register ``user`` may read; None means every unit.
    Admins read the whole register; an office officer or a reform officer reads the
    registers within their jurisdiction (their committee and every unit under it, see
    ``Principal.scope_unit_ids``); a unit head reads the units where they are head."""
    who = principal(user)
    if who is None:
        return set()
    scope = who.scope_unit_ids(Role.OFFICE_OFFICER, Role.REFORM_OFFICER)
    if scope is None:  # an administrator
        return None
    return scope | who.units_with_role(Role.UNIT_HEAD)


def registered_documents(
    user: User,
    *,
    unit: Unit | None = None,
    document_type: str = "",
    year: int | None = None,
) -> QuerySet[RegisteredDocument]:
    scope = register_unit_ids(user)
    documents = RegisteredDocument.objects.select_related("unit", "created_by")
    if scope is not None:
        documents = documents.filter(unit_id__in=scope)
    if unit is not None:
        documents = documents.filter(unit=unit)
    if document_type:
        documents = documents.filter(document_type=document_type)
    if year is not None:
        documents = documents.filter(year=year)
    return documents.order_by("-year", "unit__code", "document_type", "-number")


def register_units(user: User) -> QuerySet[Unit]:
    """Units offered in the register's filter: those the user may read."""
    scope = register_unit_ids(user)
    units = Unit.objects.all()
    return units if scope is None else units.filter(pk__in=scope)


def register_years(user: User) -> list[int]:
    scope = register_unit_ids(user)
    documents = RegisteredDocument.objects.all()
    if scope is not None:
        documents = documents.filter(unit_id__in=scope)
    return list(documents.order_by("-year").values_list("year", flat=True).distinct())
