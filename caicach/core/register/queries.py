"""Reads of the document register, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Max, Min, QuerySet, Value

from caicach.core.choices import cached_rows
from caicach.core.models import RegisteredDocument, Unit, User
from caicach.core.permissions import register_scope


def registered_documents(
    user: User,
    *,
    unit: Unit | None = None,
    document_type: str = "",
    year: int | None = None,
) -> QuerySet[RegisteredDocument]:
    scope = register_scope(user)
    documents = RegisteredDocument.objects.select_related("unit", "created_by")
    if scope is not None:
        documents = documents.filter(scope)
    if unit is not None:
        documents = documents.filter(unit=unit)
    if document_type:
        documents = documents.filter(document_type=document_type)
    if year is not None:
        documents = documents.filter(year=year)
    # Newest first, as a register is read; within a unit, type and year that is the order of
    # the numbers. An index answers it: no sort of a country's register per page.
    return documents.order_by("-issued_on", "-id")


def register_units(user: User) -> QuerySet[Unit]:
    """Units offered in the register's filter: those the user may read."""
    scope = register_scope(user, "pk")
    units = Unit.objects.all()
    return units if scope is None else units.filter(scope)


def register_years(user: User) -> list[int]:
    scope = register_scope(user)
    documents = RegisteredDocument.objects.all()
    if scope is not None:
        documents = documents.filter(scope)
    # The span from the first year to the last, not a DISTINCT over every document; kept
    # between requests like every picker's options (a province's 136,000 documents: 30 ms).
    span = documents.order_by().values(all=Value(1)).annotate(first=Min("year"), last=Max("year"))
    found = cached_rows(span, lambda rows: [(row["first"], row["last"]) for row in rows])
    if not found or found[0][0] is None:
        return []
    [(first, last)] = found
    return list(range(last, first - 1, -1))
