"""Every rule of the adoption reports and its list twin agree, for every persona, on
reports of every state in several committees and units."""

from __future__ import annotations

import datetime

import pytest

from caicach.core.models import Role, User
from caicach.core.permissions import can, principal
from caicach.replication.adoption.queries import review_directives
from caicach.replication.adoption.rules import (
    reports_to_review_q,
    returnable_q,
    visible_obligations_q,
    visible_reports_q,
)
from caicach.replication.cycles import cycle_of
from caicach.replication.models import AdoptionReport, AdoptionReportStatus, Obligation
from caicach.replication.rules import oversees
from tests.conftest import Org, People
from tests.core.factories import person
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report

Q1 = (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))


@pytest.fixture
def everyone(org: Org, people: People) -> list[User]:
    extra = [
        person("canbovanphong", org.office, Role.UNIT_STAFF),
        person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER),
        person("chutichhuyen", org.district, Role.CHAIRMAN),
        person("canboxa", org.commune, Role.UNIT_HEAD),
    ]
    return [*vars(people).values(), *extra]


@pytest.fixture
def reports(org: Org) -> list[AdoptionReport]:
    province = make_directive(org)
    district = make_directive(org, issuing_unit=org.district, coordinator_unit=org.district_home_affairs)
    practice = make_practice(org)
    made = []
    for directive, unit in (
        (province, org.science),
        (province, org.commune),
        (province, org.district),
        (district, org.district_home_affairs),
    ):
        obligation = make_obligation(directive, unit, practice)
        for status, start in (
            (AdoptionReportStatus.SUBMITTED, Q1[0]),
            (AdoptionReportStatus.DRAFT, datetime.date(2024, 4, 1)),
            (AdoptionReportStatus.RETURNED, datetime.date(2024, 7, 1)),
        ):
            made.append(make_report(obligation, start, cycle_of(start, "quarterly").end, status=status))
    return made


def test_viewing_and_returning_reports_agree_with_their_list_queries(
    everyone: list[User], reports: list[AdoptionReport]
) -> None:
    for user in everyone:
        visible = set(AdoptionReport.objects.filter(visible_reports_q(user)).values_list("pk", flat=True))
        returnable = set(AdoptionReport.objects.filter(returnable_q(user)).values_list("pk", flat=True))
        for report in reports:
            assert can(user, "view", report) is (report.pk in visible), (user, report)
            assert can(user, "return", report) is (report.pk in returnable), (user, report)


def test_the_review_list_holds_exactly_the_reports_of_the_committees_the_user_oversees(
    everyone: list[User], reports: list[AdoptionReport]
) -> None:
    for user in everyone:
        who = principal(user)
        assert who is not None
        listed = set(AdoptionReport.objects.filter(reports_to_review_q(user)).values_list("pk", flat=True))
        for report in reports:
            expected = oversees(who, report.obligation.directive.issuing_unit_id)
            assert (report.pk in listed) is expected, (user, report)
        # The list's filter offers the directives of those reports, and only them.
        offered = set(review_directives(user).values_list("pk", flat=True))
        assert offered == set(
            AdoptionReport.objects.filter(pk__in=listed).values_list("obligation__directive_id", flat=True)
        ), user


def test_seeing_obligations_agrees_with_its_list_query(
    everyone: list[User], reports: list[AdoptionReport]
) -> None:
    obligations = list(Obligation.objects.all())
    for user in everyone:
        visible = set(Obligation.objects.filter(visible_obligations_q(user)).values_list("pk", flat=True))
        for obligation in obligations:
            assert can(user, "adoption.view", obligation) is (obligation.pk in visible), (user, obligation)


def test_the_matrix_is_not_trivial(people: People, reports: list[AdoptionReport]) -> None:
    """The personas above do fall on both sides of the rules."""
    science = reports[0]
    assert can(people.unit_staff, "view", science) and can(people.unit_staff, "change", science)
    assert can(people.reform_officer, "return", science) and not can(people.reform_officer, "change", science)
    assert can(people.leader, "view", science) and not can(people.leader, "return", science)
    assert not can(people.outsider, "view", science)
    assert not can(people.office_officer, "view", science)
