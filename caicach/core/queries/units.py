"""Reads of the organisation tree: the indented list, the xlsx export, and the roll-up of
merged units to their successors."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from caicach.core.models import Unit, UnitKind, User
from caicach.core.services.units import COLUMNS
from caicach.core.text import fold

STATUS_ACTIVE = "active"
STATUS_INACTIVE = "inactive"
STATUS_ALL = "all"


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    depth: int


def tree_order(units: Iterable[Unit]) -> list[TreeRow]:
    """Units in depth-first order (siblings by code), each with its depth. A unit whose
    parent is missing from ``units`` is shown as a root; parent cycles (which the services
    refuse, but old data might hold) are cut rather than looped over."""
    units = list(units)
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: u.code)
    rows: list[TreeRow] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            rows.append(TreeRow(unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    # Units caught in a parent cycle never hang from a root: list them at the end.
    rows.extend(TreeRow(u, 0) for u in sorted(units, key=lambda u: u.code) if u.pk not in seen)
    return rows


def unit_tree(
    *, kind: str = "", status: str = STATUS_ALL, search: str = "", on: datetime.date | None = None
) -> list[TreeRow]:
    """The whole tree in one query, filtered in Python.

    Search folds accents on both sides ("ha noi" finds "Hà Nội") identically on SQLite and
    PostgreSQL without an unaccent extension; a unit list holds a few thousand rows at most,
    which one query and a pass in Python handle well within the page budget. Filtered rows
    keep their depth so the indentation still shows where they sit."""
    day = on or timezone.localdate()
    rows = tree_order(Unit.objects.select_related("parent", "successor"))
    needle = fold(search) if search else ""
    result: list[TreeRow] = []
    for row in rows:
        unit = row.unit
        if kind and unit.kind != kind:
            continue
        if status == STATUS_ACTIVE and not unit.is_active_on(day):
            continue
        if status == STATUS_INACTIVE and unit.is_active_on(day):
            continue
        if needle and needle not in fold(f"{unit.code} {unit.name} {unit.short_name}"):
            continue
        result.append(row)
    return result


STAFF_SHOWN = 20


def unit_detail_queryset() -> QuerySet[Unit]:
    """Units with parent, successor, children, predecessors and staff count loaded (fetch
    through ``permissions.get_for_user``)."""
    return (
        Unit.objects.select_related("parent", "successor")
        .prefetch_related(
            Prefetch("children", queryset=Unit.objects.order_by("code")),
            Prefetch("predecessors", queryset=Unit.objects.order_by("code")),
        )
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True))
    )


def unit_staff(unit: Unit, limit: int = STAFF_SHOWN) -> list[User]:
    return list(
        User.objects.filter(unit=unit, is_active=True)
        .only("id", "username", "full_name", "position", "unit_id")
        .order_by("full_name", "username")[:limit]
    )


def effective_unit(
    unit: Unit, *, on: datetime.date | None = None, units_by_id: dict[int, Unit] | None = None
) -> Unit:
    """The unit that answers for ``unit`` on ``on``: follows successors while the unit is
    no longer in existence that day. Reports use it to roll a merged commune's history up
    to the commune that absorbed it. Pass ``units_by_id`` (see ``units_by_id()``) to follow
    the chain without a query per hop; a successor cycle stops at the last new unit."""
    day = on or timezone.localdate()
    seen: set[int] = set()
    current = unit
    while current.successor_id is not None and not current.is_active_on(day) and current.pk not in seen:
        seen.add(current.pk)
        if units_by_id is not None and current.successor_id in units_by_id:
            nxt = units_by_id[current.successor_id]
        else:
            nxt = Unit.objects.get(pk=current.successor_id)
        if nxt.pk in seen:
            break
        current = nxt
    return current


def units_by_id() -> dict[int, Unit]:
    return {u.pk: u for u in Unit.objects.all()}


def rollup_map(*, on: datetime.date | None = None) -> dict[int, int]:
    """{unit id: id of the unit it rolls up to on ``on``} for every unit, in one query."""
    everything = units_by_id()
    return {pk: effective_unit(u, on=on, units_by_id=everything).pk for pk, u in everything.items()}


def export_units_xlsx() -> bytes:
    """Every unit with the import's columns, parents before children, dates as real Excel
    dates; importing the file again changes nothing."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đơn vị"
    sheet.append([title for _, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # The Vietnamese label whatever the user's language, so every export reads the same.
    with translation.override("vi"):
        kind_labels = {value: str(label) for value, label in UnitKind.choices}
    for row in tree_order(Unit.objects.select_related("parent", "successor")):
        unit = row.unit
        sheet.append(
            [
                unit.code,
                unit.name,
                unit.short_name,
                kind_labels.get(unit.kind, unit.kind),
                unit.parent.code if unit.parent else "",
                unit.valid_from,
                unit.valid_to,
                unit.successor.code if unit.successor else "",
                unit.document_symbol,
                unit.place_name,
                unit.email,
            ]
        )
    for column in ("F", "G"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    widths = {
        "A": 14,
        "B": 48,
        "C": 24,
        "D": 32,
        "E": 18,
        "F": 14,
        "G": 14,
        "H": 18,
        "I": 16,
        "J": 18,
        "K": 28,
    }
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
