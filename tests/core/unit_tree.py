"""The unit tree in memory, computed the plain way from ``parent_id``: the reference the
closure table (``UnitAncestry``) and the scope subqueries are checked against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from caicach.core.models import Unit
from caicach.core.permissions import COMMITTEE_KINDS


@dataclass(frozen=True)
class UnitTree:
    """The organisation chart as plain ids, loaded with one query: enough to answer "which
    committee does this unit answer to" and "which units lie under it" without touching the
    database again. A few thousand units make a few hundred kilobytes."""

    parents: dict[int, int | None]
    kinds: dict[int, str]

    @classmethod
    def load(cls) -> UnitTree:
        parents: dict[int, int | None] = {}
        kinds: dict[int, str] = {}
        for pk, parent_id, kind in Unit.objects.order_by().values_list("pk", "parent_id", "kind"):
            parents[pk] = parent_id
            kinds[pk] = kind
        return cls(parents=parents, kinds=kinds)

    @cached_property
    def children(self) -> dict[int, list[int]]:
        children: dict[int, list[int]] = {}
        for pk, parent_id in self.parents.items():
            if parent_id is not None:
                children.setdefault(parent_id, []).append(pk)
        return children

    def jurisdiction(self, unit_id: int) -> int | None:
        """The committee ``unit_id`` belongs to: itself if it is a committee, otherwise the
        nearest committee among its ancestors. A unit with no committee above it (a
        free-standing unit) is its own jurisdiction: it is never widened to the whole tree.
        None for an unknown unit."""
        if unit_id not in self.kinds:
            return None
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current in self.kinds and current not in seen:
            if self.kinds[current] in COMMITTEE_KINDS:
                return current
            seen.add(current)
            current = self.parents.get(current)
        return unit_id

    def subtree(self, roots: Iterable[int]) -> set[int]:
        """``roots`` and every unit below them, at any depth."""
        found: set[int] = set()
        pending = [root for root in roots if root in self.kinds]
        while pending:
            current = pending.pop()
            if current in found:
                continue
            found.add(current)
            pending.extend(self.children.get(current, ()))
        return found
