"""Each directive rule and its list twin agree for every persona, draft and issued."""

from __future__ import annotations

import pytest
from django.db.models import Q

from caicach.core.models import Unit, User
from caicach.core.permissions import can, principal
from caicach.replication.directives.rules import (
    draftable_committees_q,
    editable_directives_q,
    issuable_directives_q,
    visible_directives_q,
)
from caicach.replication.directives.services import directive_issue
from caicach.replication.models import Directive
from tests.conftest import Org, People, on_day
from tests.replication.directives.conftest import ISSUED_ON, Tree, draft

pytestmark = pytest.mark.django_db


def _personas(people: People, tree: Tree) -> list[User]:
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
        tree.chairman,
        tree.district_head,
        tree.commune_head,
    ]


def _listed(q: Q | None) -> set[int]:
    rows = Directive.objects.all() if q is None else Directive.objects.filter(q)
    return set(rows.values_list("pk", flat=True))


def test_every_directive_rule_agrees_with_its_list_query(org: Org, people: People, tree: Tree) -> None:
    issued = draft(org, people.reform_officer)
    with on_day(ISSUED_ON):
        directive_issue(actor=tree.chairman, directive=issued.directive, version=issued.directive.version)
    draft(org, people.reform_officer)
    directives = list(Directive.objects.all())
    for user in _personas(people, tree):
        who = principal(user)
        assert who is not None
        for action, q in (
            ("view", visible_directives_q(who)),
            ("change", editable_directives_q(who)),
            ("issue", issuable_directives_q(who)),
        ):
            by_rule = {d.pk for d in directives if can(user, action, d)}
            assert by_rule == _listed(q), (user.username, action)


def test_drafting_for_a_committee_agrees_with_the_committees_offered(
    org: Org, people: People, tree: Tree
) -> None:
    units = list(Unit.objects.all())
    for user in _personas(people, tree):
        who = principal(user)
        assert who is not None
        by_rule = {u.pk for u in units if can(user, "draft_replication_directive", u)}
        assert by_rule == set(
            Unit.objects.filter(draftable_committees_q(who)).values_list("pk", flat=True)
        ), user.username
