"""The list twins this work added agree with their rules for every persona: the monthly
reports' (``monthly_reports_for`` beside MonthlyReport's ``view`` rule) and the tokens'."""

from __future__ import annotations

import datetime

import pytest

from caicach.api.models import ApiToken
from caicach.api.rules import tokens_for
from caicach.core.models import Role
from caicach.core.permissions import can
from caicach.workprogram.models import MonthlyReport
from caicach.workprogram.reports.rules import monthly_reports_for
from tests.api.conftest import Scene, make_token
from tests.conftest import Org, People
from tests.core.factories import person
from tests.workprogram.factories import make_bare_program

PERSONAS = [
    "admin",
    "reform_officer",
    "office_officer",
    "unit_head",
    "unit_staff",
    "council_member",
    "committee_member",
    "leader",
    "outsider",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_monthly_reports_for_agrees_with_the_view_rule(
    org: Org, people: People, scene: Scene, persona: str
) -> None:
    # A district's own program and report, besides the province's: only their own people see it.
    district_program = make_bare_program(org.district)
    MonthlyReport.objects.create(
        program=district_program,
        unit=org.district_home_affairs,
        period=datetime.date(2024, 1, 1),
        due_date=datetime.date(2024, 1, 14),
    )
    person("chutich.huyen", org.district, Role.CHAIRMAN)
    user = getattr(people, persona)
    allowed = {r.pk for r in MonthlyReport.objects.select_related("program") if can(user, "view", r)}
    listed = set(monthly_reports_for(user).values_list("pk", flat=True))
    assert listed == allowed
    assert len(monthly_reports_for(user)) == len(listed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_tokens_for_agrees_with_the_view_rule(people: People, persona: str) -> None:
    for owner in (people.unit_staff, people.outsider, people.admin):
        make_token(owner)
    user = getattr(people, persona)
    allowed = {t.pk for t in ApiToken.objects.all() if can(user, "view", t)}
    assert set(tokens_for(user).values_list("pk", flat=True)) == allowed
