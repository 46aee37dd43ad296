"""Reads of the organisation tree: the indented list, the xlsx export, and the roll-up of
merged units to their successors."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation

from caicach.core import clock, exports
from caicach.core import search as fulltext
from caicach.core.choices import kept
from caicach.core.models import Unit, UnitKind, User

# The unit spreadsheet, one layout for the export and the import: (field, column title).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Mã"),
    ("name", "Tên đơn vị"),
    ("short_name", "Tên viết tắt"),
    ("kind", "Loại"),
    ("parent", "Mã đơn vị cấp trên"),
    ("valid_from", "Hiệu lực từ"),
    ("valid_to", "Hiệu lực đến"),
    ("successor", "Mã đơn vị kế thừa"),
    ("document_symbol", "Ký hiệu văn bản"),
    ("place_name", "Địa danh"),
    ("email", "Email"),
)

STATUS_ACTIVE = "active"
STATUS_INACTIVE = "inactive"
STATUS_ALL = "all"


# Indentation steps app.css draws (td[data-indent]); deeper units line up with the last one.
MAX_INDENT = 6


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    depth: int

    @property
    def indent(self) -> int:
        return min(self.depth, MAX_INDENT)


def _tree_positions(nodes: Iterable[tuple[int, int | None, str]]) -> list[tuple[int, int]]:
    """(id, depth) of every (id, parent_id, code) node in depth-first order, siblings by code.
    A node whose parent is not among ``nodes`` is a root; nodes caught in a parent cycle
    (which the services refuse, but old data might hold) never hang from a root and are
    listed at the end rather than looped over."""
    ordered = sorted(nodes, key=lambda node: node[2])
    ids = {pk for pk, _, _ in ordered}
    children: dict[int | None, list[int]] = {}
    for pk, parent_id, _ in ordered:
        children.setdefault(parent_id if parent_id in ids else None, []).append(pk)
    positions: list[tuple[int, int]] = []
    seen: set[int] = set()
    stack = [(pk, 0) for pk in reversed(children.get(None, []))]
    while stack:
        pk, depth = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        positions.append((pk, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(pk, [])))
    positions.extend((pk, 0) for pk, _, _ in ordered if pk not in seen)
    return positions


def tree_order(units: Iterable[Unit]) -> list[TreeRow]:
    """``units`` in tree order (see ``_tree_positions``), each with its depth."""
    by_id = {unit.pk: unit for unit in units}
    positions = _tree_positions((u.pk, u.parent_id, u.code) for u in by_id.values())
    return [TreeRow(by_id[pk], depth) for pk, depth in positions]


def _page_units(ids: Sequence[int]) -> dict[int, Unit]:
    return {u.pk: u for u in Unit.objects.select_related("parent", "successor").filter(pk__in=ids)}


class _TreeRows(Sequence[TreeRow]):
    """The list in tree order. Order and depth come from one narrow query over (id,
    parent_id, code); the full rows are fetched only for the slice shown (a Paginator
    page), so the page costs the same whatever the size of the tree."""

    def __init__(self, positions: list[tuple[int, int]]) -> None:
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    def __iter__(self) -> Iterator[TreeRow]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> TreeRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[TreeRow]: ...

    def __getitem__(self, index: int | slice) -> TreeRow | list[TreeRow]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        chosen = self._positions[index]
        units = _page_units([pk for pk, _ in chosen])
        return [TreeRow(units[pk], depth) for pk, depth in chosen if pk in units]


class _FlatRows(Sequence[TreeRow]):
    """A filtered list: matching units by code, counted and sliced in SQL."""

    def __init__(self, units: QuerySet[Unit]) -> None:
        self._units = units
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._units.count()
        return self._count

    def __iter__(self) -> Iterator[TreeRow]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> TreeRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[TreeRow]: ...

    def __getitem__(self, index: int | slice) -> TreeRow | list[TreeRow]:
        if isinstance(index, int):
            return TreeRow(self._units[index], 0)
        return [TreeRow(unit, 0) for unit in self._units[index]]


def _search(units: QuerySet[Unit], search: str) -> QuerySet[Unit]:
    """Units whose code, name or short name hold every word of ``search``, accents and case
    ignored ("ha noi" finds "Hà Nội"), through ``caicach.core.search``."""
    return fulltext.search(units, search, fuzzy=True)


def unit_rows(
    *, kind: str = "", status: str = STATUS_ALL, search: str = "", on: datetime.date | None = None
) -> Sequence[TreeRow]:
    """The rows of the unit list, to hand to a Paginator: a constant number of queries
    whatever the number of units.

    Without a search or a kind the list is the indented tree (filtered by status, each row
    keeping its depth in the whole tree so the indentation still shows where it sits). A
    search or a kind gives a flat list by code: the parent column says where each unit sits."""
    day = on or clock.today()
    active = Unit.objects.active_on(day)
    if search or kind:
        units = Unit.objects.select_related("parent", "successor")
        if kind:
            units = units.filter(kind=kind)
        if status == STATUS_ACTIVE:
            units = units.active_on(day)
        elif status == STATUS_INACTIVE:
            units = units.exclude(pk__in=active.values("pk"))
        return _FlatRows(_search(units, search).order_by("code"))
    # The tree's order is kept until a unit changes (or, with a status, the day does: it is in
    # the active units' statement): ordering a country's 4,000 units cost 10 ms a visit.
    nodes = Unit.objects.values_list("id", "parent_id", "code")
    if status not in (STATUS_ACTIVE, STATUS_INACTIVE):
        return _TreeRows(kept([nodes], lambda: _tree_positions(nodes), "unit tree positions"))
    active_ids = active.values_list("id", flat=True)

    def build() -> list[tuple[int, int]]:
        shown, wanted = set(active_ids), status == STATUS_ACTIVE
        return [(pk, depth) for pk, depth in _tree_positions(nodes) if (pk in shown) == wanted]

    return _TreeRows(kept([nodes, active_ids], build, f"unit tree positions {status}"))


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
    day = on or clock.today()
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
    sheet.append(exports.row(sheet, [title for _, title in COLUMNS], font=Font(bold=True)))
    # The Vietnamese label whatever the user's language, so every export reads the same.
    with translation.override("vi"):
        kind_labels = {value: str(label) for value, label in UnitKind.choices}
    for row in tree_order(Unit.objects.select_related("parent", "successor")):
        unit = row.unit
        sheet.append(
            exports.row(
                sheet,
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
                ],
            )
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
