"""Jurisdiction: the committee a unit answers to, and the units a role reaches from there."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from caicach.core.models import Role, Unit, UnitKind, User
from caicach.core.permissions import forget, principal, register_unit_ids, scope_key
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person


@pytest.fixture
def district_commune(org: Org) -> Unit:
    """A commune under the (legacy) district, with a division of its own: two levels down."""
    return make_unit(
        "CTH-TT",
        name="Ủy ban nhân dân thị trấn Châu Thành",
        kind=UnitKind.COMMUNE_COMMITTEE,
        parent=org.district,
    )


@pytest.fixture
def commune_division(district_commune: Unit) -> Unit:
    return make_unit("CTH-TT-VP", name="Văn phòng HĐND và UBND thị trấn", kind=UnitKind.COMMUNE_DIVISION,
                     parent=district_commune)  # fmt: skip


def scope_of(user: User, *roles: str) -> set[int] | None:
    who = principal(user)
    assert who is not None
    return who.scope_unit_ids(*roles)


def ids(*units: Unit) -> set[int]:
    return {unit.pk for unit in units}


def test_a_department_reaches_the_whole_province(
    org: Org, people: People, district_commune: Unit, commune_division: Unit
) -> None:
    assert scope_of(people.reform_officer, Role.REFORM_OFFICER) == set(
        Unit.objects.values_list("pk", flat=True)
    )


def test_a_district_division_reaches_the_district_only(
    org: Org, district_commune: Unit, commune_division: Unit
) -> None:
    officer = person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER)
    assert scope_of(officer, Role.REFORM_OFFICER) == ids(
        org.district, org.district_home_affairs, district_commune, commune_division
    )


def test_a_commune_reaches_the_commune_only(org: Org, district_commune: Unit, commune_division: Unit) -> None:
    officer = person("cvxa", district_commune, Role.OFFICE_OFFICER)
    assert scope_of(officer, Role.OFFICE_OFFICER) == ids(district_commune, commune_division)
    division_officer = person("cvvpxa", commune_division, Role.REFORM_OFFICER)
    assert scope_of(division_officer, Role.REFORM_OFFICER) == ids(district_commune, commune_division)


def test_only_the_roles_asked_for_count(org: Org, people: People) -> None:
    # The council member sits in the Department of Home Affairs but is no reform officer.
    assert scope_of(people.council_member, Role.REFORM_OFFICER) == set()
    assert scope_of(people.unit_head, Role.REFORM_OFFICER, Role.OFFICE_OFFICER) == set()


def test_roles_in_several_units_add_up(org: Org) -> None:
    officer = person("cvhai", org.commune, Role.REFORM_OFFICER)
    person("cvhai", org.other_commune, Role.REFORM_OFFICER)
    forget(officer)
    assert scope_of(officer, Role.REFORM_OFFICER) == ids(org.commune, org.other_commune)


def test_an_administrator_is_unrestricted(people: People) -> None:
    assert scope_of(people.admin, Role.REFORM_OFFICER) is None


def test_a_unit_without_a_committee_above_reaches_only_itself(org: Org) -> None:
    loose = make_unit("FREE", name="Trung tâm độc lập", kind=UnitKind.OTHER)
    below = make_unit("FREE-1", name="Tổ công tác", kind=UnitKind.OTHER, parent=loose)
    officer = person("cvfree", loose, Role.REFORM_OFFICER)
    assert scope_of(officer, Role.REFORM_OFFICER) == ids(loose, below)


def test_a_principals_scope_costs_one_query_once(
    org: Org, people: People, django_assert_num_queries: Any
) -> None:
    who = principal(people.reform_officer)
    assert who is not None
    with django_assert_num_queries(1):
        who.scope_unit_ids(Role.REFORM_OFFICER)
        who.scope_unit_ids(Role.REFORM_OFFICER)
        who.scope_unit_ids(Role.REFORM_OFFICER, Role.OFFICE_OFFICER)  # held in the same units
        who.scope_units(Role.REFORM_OFFICER)  # a subquery: run by the list query that uses it
    with django_assert_num_queries(0):
        assert who.scope_unit_ids(Role.UNIT_HEAD) == set()  # no such role: not even the tree


# --- The document register -------------------------------------------------------------------


def test_the_register_is_whole_for_admins_and_the_provincial_office(org: Org, people: People) -> None:
    assert register_unit_ids(people.admin) is None
    assert register_unit_ids(people.office_officer) == set(Unit.objects.values_list("pk", flat=True))


def test_a_district_office_reads_the_district_registers_only(org: Org, district_commune: Unit) -> None:
    clerk = person("vphuyen", org.district, Role.OFFICE_OFFICER)
    assert register_unit_ids(clerk) == ids(org.district, org.district_home_affairs, district_commune)


def test_a_unit_head_reads_only_the_units_they_head(org: Org, people: People) -> None:
    assert register_unit_ids(people.unit_head) == ids(org.science)
    head = person("truongpnv", org.district_home_affairs, Role.UNIT_HEAD)
    assert register_unit_ids(head) == ids(org.district_home_affairs)  # not the whole district


def test_a_head_who_is_also_an_officer_reads_both(org: Org) -> None:
    user = person("kiemnhiem", org.science, Role.UNIT_HEAD)
    person("kiemnhiem", org.commune, Role.REFORM_OFFICER)
    forget(user)
    assert register_unit_ids(user) == ids(org.science, org.commune)


@pytest.mark.parametrize("persona", ["unit_staff", "council_member", "committee_member", "outsider"])
def test_people_without_a_register_role_read_nothing(people: People, persona: str) -> None:
    assert register_unit_ids(getattr(people, persona)) == set()


def test_list_filters_offer_the_units_of_ones_own_jurisdictions(
    org: Org, people: People, district_commune: Unit, commune_division: Unit
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from caicach.core.permissions import units_in_view

    def offered(user: User | AnonymousUser) -> set[int] | None:
        scope = units_in_view(user)
        return None if scope is None else set(Unit.objects.filter(pk__in=scope).values_list("pk", flat=True))

    assert offered(people.admin) is None
    assert offered(AnonymousUser()) == set()
    assert offered(people.reform_officer) == set(Unit.objects.values_list("pk", flat=True))
    clerk = person("vtxa", district_commune, Role.UNIT_STAFF)
    assert offered(clerk) == ids(district_commune, commune_division)


def test_the_scope_key_names_the_person_their_grants_and_the_day(org: Org, people: People) -> None:
    from django.contrib.auth.models import AnonymousUser

    from caicach.core.models import Membership

    def key() -> Any:
        user = User.objects.get(pk=people.unit_staff.pk)  # as a new request reads them
        return scope_key(user)

    with on_day(datetime.date(2026, 3, 2)):
        before = key()
        User.objects.filter(pk=people.unit_staff.pk).update(last_login=timezone.now())
        assert key() == before  # written at each sign-in, read by no rule
        Membership.objects.create(user=people.unit_staff, unit=org.office, role=Role.UNIT_STAFF)
        forget(people.unit_staff)
        granted = key()
        assert granted != before
        User.objects.filter(pk=people.unit_staff.pk).update(unit=org.office)
        assert key() != granted
    with on_day(datetime.date(2026, 3, 3)):
        assert key() != granted
    assert scope_key(AnonymousUser()) is None
