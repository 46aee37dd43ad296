"""Each practice rule and its list twin agree for every persona, in every state."""

from __future__ import annotations

import pytest

from caicach.core.models import Unit, User
from caicach.core.permissions import can, principal
from caicach.replication.models import Practice
from caicach.replication.practices.queries import managed_committees
from caicach.replication.practices.rules import (
    editable_practices_q,
    evaluable_practices_q,
    visible_practices_q,
)
from tests.conftest import People
from tests.replication.practices.conftest import Catalogue

pytestmark = pytest.mark.django_db


def _personas(people: People, catalogue: Catalogue) -> list[User]:
    return [
        people.admin,
        people.reform_officer,
        people.office_officer,
        people.unit_head,
        people.unit_staff,
        people.council_member,
        people.committee_member,
        people.leader,
        people.outsider,
        catalogue.district_officer,
        catalogue.commune_staff,
    ]


def test_every_practice_rule_agrees_with_its_list_query(people: People, catalogue: Catalogue) -> None:
    practices = list(Practice.objects.all())
    for user in _personas(people, catalogue):
        who = principal(user)
        assert who is not None
        for action, q in (
            ("view", visible_practices_q(who)),
            ("change", editable_practices_q(who)),
            ("evaluate", evaluable_practices_q(who)),
        ):
            rows = Practice.objects.all() if q is None else Practice.objects.filter(q)
            by_query = set(rows.values_list("pk", flat=True))
            by_rule = {p.pk for p in practices if can(user, action, p)}
            assert by_rule == by_query, (user.username, action)


def test_who_sees_which_practice(people: People, catalogue: Catalogue) -> None:
    def seen(user: User) -> set[str]:
        return {p.name for p in Practice.objects.all() if can(user, "view", p)}

    province = {catalogue.accepted.name, catalogue.proposed.name, catalogue.declined.name}
    district = {catalogue.district_accepted.name, catalogue.district_proposed.name}
    assert seen(people.reform_officer) == province | district
    assert seen(people.leader) == province
    assert seen(catalogue.district_officer) == district
    # A unit reads the accepted practices of the committees above it and its own proposals.
    assert seen(people.unit_staff) == province
    assert seen(people.outsider) == {catalogue.accepted.name}
    assert seen(catalogue.commune_staff) == {
        catalogue.accepted.name,
        catalogue.district_accepted.name,
        catalogue.district_proposed.name,
    }
    assert seen(people.council_member) == set()


def test_only_home_affairs_publishes_and_only_accepted_practices(
    people: People, catalogue: Catalogue
) -> None:
    assert can(people.reform_officer, "publish", catalogue.accepted)
    assert not can(people.reform_officer, "publish", catalogue.proposed)
    assert not can(people.leader, "publish", catalogue.accepted)
    assert not can(catalogue.district_officer, "publish", catalogue.accepted)


def test_the_committees_offered_on_the_create_form_are_those_the_rule_allows(
    people: People, catalogue: Catalogue
) -> None:
    units = list(Unit.objects.all())
    for user in _personas(people, catalogue):
        by_rule = {unit.pk for unit in units if can(user, "create_practice", unit)}
        assert by_rule == set(managed_committees(user).values_list("pk", flat=True)), user.username
