"""The closure table (``UnitAncestry``) always equals the unit tree, however the tree was
written: the services, an Excel import, a bulk insert, a raw move; and the scope built on it
agrees with the one computed in memory."""

from __future__ import annotations

import random

import pytest

from caicach.core.models import Role, Unit, UnitAncestry, UnitKind
from caicach.core.permissions import (
    COMMITTEE_KINDS,
    jurisdiction_subtree,
    principal,
    subtree_ids,
    units_answering_to,
)
from caicach.core.units.services import unit_create, unit_import_xlsx, unit_update
from tests.conftest import Org, People
from tests.core.factories import person
from tests.core.unit_tree import UnitTree
from tests.core.units.test_unit_import import row, xlsx


def closure_from_parents() -> set[tuple[int, int, int]]:
    """What the table must hold, computed in Python from ``parent_id`` alone."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    expected = set()
    for pk in parents:
        current: int | None = pk
        depth = 0
        while current is not None:
            expected.add((current, pk, depth))
            current, depth = parents[current], depth + 1
    return expected


def closure() -> set[tuple[int, int, int]]:
    return set(UnitAncestry.objects.values_list("ancestor_id", "descendant_id", "depth"))


def ids(queryset: object) -> set[int]:
    return set(Unit.objects.filter(pk__in=queryset).values_list("pk", flat=True))


def test_the_fixtures_tree_is_in_the_table(org: Org) -> None:
    assert closure() == closure_from_parents()
    assert (org.province.pk, org.district_home_affairs.pk, 2) in closure()


def test_a_unit_created_and_moved_by_the_services_keeps_the_table_whole(org: Org, people: People) -> None:
    data = {
        "code": "PNV-MOI",
        "name": "Phòng Nội vụ mới",
        "kind": UnitKind.DEPARTMENT,
        "parent": org.district,
    }
    unit = unit_create(actor=people.admin, data=data)
    assert (org.province.pk, unit.pk, 2) in closure()

    unit_update(actor=people.admin, unit=unit, data={**data, "parent": org.province}, expected_version=1)
    assert (org.district.pk, unit.pk, 1) not in closure()
    assert closure() == closure_from_parents()


def test_an_import_whose_parents_come_later_in_the_file_keeps_the_table_whole(
    org: Org, people: People
) -> None:
    file = xlsx(
        [
            row("X-CON", "Ủy ban nhân dân xã Con", parent="H-MOI"),
            row("H-MOI", "Ủy ban nhân dân huyện Mới", kind="district_committee", parent=org.province.code),
        ]
    )
    result = unit_import_xlsx(actor=people.admin, file=file)
    assert result.ok, result.errors
    commune = Unit.objects.get(code="X-CON")
    assert (org.province.pk, commune.pk, 2) in closure()
    assert closure() == closure_from_parents()


def test_random_moves_and_bulk_inserts_never_leave_it_stale(org: Org) -> None:
    rng = random.Random(20261204)
    units = list(Unit.objects.all())
    for n in range(40):
        units.append(
            Unit.objects.create(
                code=f"R{n}", name=f"Đơn vị {n}", kind=UnitKind.DEPARTMENT, parent=rng.choice(units)
            )
        )
    Unit.objects.bulk_create(
        [
            Unit(code=f"B{n}", name=f"Đơn vị B{n}", kind=UnitKind.DEPARTMENT, parent=rng.choice(units))
            for n in range(10)
        ]
    )
    units = list(Unit.objects.all())
    for _ in range(60):
        unit, parent = rng.choice(units), rng.choice([*units, None])
        below = ids(subtree_ids([unit.pk]))
        if parent is not None and parent.pk in below:
            continue  # a cycle: the services refuse it, and so does the table (see test_units)
        Unit.objects.filter(pk=unit.pk).update(parent=parent)
    assert closure() == closure_from_parents()


def test_the_scope_subquery_agrees_with_the_tree_in_memory(org: Org, people: People) -> None:
    tree = UnitTree.load()
    for unit in Unit.objects.all():
        committee = tree.jurisdiction(unit.pk)
        assert committee is not None
        assert ids(jurisdiction_subtree([unit.pk])) == tree.subtree([committee]), unit.code
    for who in (people.reform_officer, people.office_officer, people.unit_head, people.outsider):
        me = principal(who)
        assert me is not None
        roles = (Role.REFORM_OFFICER, Role.OFFICE_OFFICER)
        held = me.units_with_role(*roles)
        expected = tree.subtree({c for c in (tree.jurisdiction(u) for u in held) if c is not None})
        assert ids(me.scope_units(*roles)) == expected == me.scope_unit_ids(*roles)


def test_the_scope_written_once_follows_the_tree_as_it_changes(org: Org) -> None:
    """jurisdiction_subtree keeps its SQL for a set of units across requests: the SQL holds
    the units' ids, never what the tree held when it was written."""
    desk = Unit.objects.create(
        code="XA-MC", name="Bộ phận một cửa", kind=UnitKind.COMMUNE_DIVISION, parent=org.commune
    )

    def expected() -> set[int]:
        tree = UnitTree.load()
        committee = tree.jurisdiction(desk.pk)
        assert committee is not None
        return tree.subtree([committee])

    first = ids(jurisdiction_subtree([desk.pk]))
    assert first == expected() and org.commune.pk in first
    Unit.objects.filter(pk=desk.pk).update(parent=org.other_commune)  # moved to another commune
    moved = ids(jurisdiction_subtree([desk.pk]))  # the same SQL, run again
    assert moved == expected() and org.other_commune.pk in moved and org.commune.pk not in moved
    assert ids(jurisdiction_subtree([])) == set()


def test_a_free_standing_unit_is_its_own_jurisdiction(org: Org) -> None:
    lonely = Unit.objects.create(code="LE", name="Đơn vị độc lập", kind=UnitKind.DEPARTMENT)
    child = Unit.objects.create(code="LE-1", name="Phòng", kind=UnitKind.DEPARTMENT, parent=lonely)
    officer = person("le.officer", lonely, Role.REFORM_OFFICER)
    me = principal(officer)
    assert me is not None
    assert ids(me.scope_units(Role.REFORM_OFFICER)) == {lonely.pk, child.pk}


def test_units_answering_to_a_committee_stop_at_the_next_committee(org: Org) -> None:
    answering = ids(units_answering_to(org.province.pk))
    assert org.province.pk in answering and org.home_affairs.pk in answering
    assert org.district.pk not in answering and org.district_home_affairs.pk not in answering
    kinds = dict(Unit.objects.filter(pk__in=answering).values_list("pk", "kind"))
    assert [pk for pk, kind in kinds.items() if kind in COMMITTEE_KINDS] == [org.province.pk]


@pytest.mark.django_db
def test_an_administrator_has_no_scope_filter(people: People) -> None:
    me = principal(people.admin)
    assert me is not None
    assert me.scope_units(Role.REFORM_OFFICER) is None
