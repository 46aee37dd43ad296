"""The demo's replication tells seed 004's story at first glance: nine practices, the
chairman's directive issued with a number and assigned by group, four quarterly rounds of
reports with every status, one returned, some late, several missing — and the laggards."""

from __future__ import annotations

from collections import Counter

import pytest

from caicach.core import clock
from caicach.core.models import Unit, UnitKind, User
from caicach.core.permissions import units_answering_to
from caicach.replication.cycles import last_closed_cycle
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionStatus,
    AssignmentRole,
    Directive,
    DirectiveStatus,
    Obligation,
    Practice,
    ReportingCycle,
)
from caicach.replication.monitoring import queries
from tests.conftest import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_replication_tells_seed_004s_story() -> None:
    """One demo load (it takes seconds) checked from every side."""
    load_demo()
    today = clock.today()
    # The seed's nine, and the seed 001 initiative made a practice with its certificate.
    assert Practice.objects.filter(status="accepted").count() == 10
    from_initiative = Practice.objects.get(initiative__isnull=False)
    assert from_initiative.is_published and from_initiative.initiative is not None
    assert from_initiative.initiative.recognition.certificate is not None
    assert Practice.objects.filter(status="proposed", proposing_unit__code="X-HAODUOC").count() == 1

    directive = Directive.objects.get()
    assert directive.status == DirectiveStatus.ISSUED
    document = directive.registered_document
    assert document is not None
    assert document.symbol.endswith("UBND-SNV") and directive.signer == User.objects.get(username="chutich")
    assert directive.listed_practices.count() == 9
    assert Practice.objects.filter(is_published=True).count() == 4

    # Assigned by group, counted independently from the unit tree on the issue day.
    province = directive.issuing_unit
    day = directive.issued_on
    assert day is not None
    departments = Unit.objects.active_on(day).filter(
        pk__in=units_answering_to(province.pk), kind__in=[UnitKind.DEPARTMENT, UnitKind.OFFICE]
    )
    communes = Unit.objects.active_on(day).filter(kind=UnitKind.COMMUNE_COMMITTEE)
    obligations = Obligation.objects.filter(directive=directive)
    applying = obligations.filter(role=AssignmentRole.APPLY)
    assert (
        applying.filter(unit__kind__in=[UnitKind.DEPARTMENT, UnitKind.OFFICE]).count() == departments.count()
    )
    assert applying.filter(unit__kind=UnitKind.COMMUNE_COMMITTEE).count() == 6 * communes.count()
    studying = Counter(obligations.filter(role=AssignmentRole.STUDY).values_list("unit__code", flat=True))
    assert studying == {"TN-SKHCN": 1, "TN-STC": 2}

    # Four quarterly rounds, the newest being the last closed quarter.
    reports = AdoptionReport.objects.filter(obligation__directive=directive)
    last = last_closed_cycle(today, ReportingCycle.QUARTERLY)
    starts = sorted(set(reports.values_list("period_start", flat=True)))
    assert len(starts) == 4 and starts[-1] == last.start
    assert set(reports.values_list("adoption_status", flat=True)) == set(AdoptionStatus.values)
    stopped = reports.filter(adoption_status=AdoptionStatus.STOPPED)
    assert stopped.exists() and all(report.reason for report in stopped)
    assert reports.filter(status=AdoptionReportStatus.RETURNED).count() == 1
    assert reports.filter(is_late=True).exists()
    assert reports.filter(results__isnull=False).exists()

    # Laggards at first glance: silent units, one "not started" for a year, one stopped.
    officer = User.objects.get(username="cchc.snv")
    laggards = list(queries.laggards(officer, queries.Filters(), today))
    codes = {obligation.unit.code for obligation in laggards}
    assert {"TN-STP", "TN-SYT", "TN-SXD"} <= codes
    assert "TN-SNNMT" not in codes
    assert any(queries.reasons(o) == ["Đã dừng triển khai"] for o in laggards)

    # Every obligation keeps its latest sent report (the returned one does not count) and
    # every report the next one sent, as the report services left them.
    sent = sorted(
        reports.filter(status=AdoptionReportStatus.SUBMITTED).values_list(
            "obligation_id", "period_start", "pk", "adoption_status"
        )
    )
    newest = {obligation: (start, pk, status) for obligation, start, pk, status in sent}
    for obligation in obligations:
        start, pk, status = newest.get(obligation.pk, (None, None, ""))
        kept = (
            obligation.last_submitted_period,
            obligation.last_submitted_id,
            obligation.last_submitted_status,
        )
        assert kept == (start, pk, status)
    following = {
        pk: next((later for o, later, _, _ in sent if o == obligation and later > start), None)
        for obligation, start, pk, _ in sent
    }
    assert dict(reports.filter(pk__in=following).values_list("pk", "superseded_from")) == following
    assert any(following.values()) and any(value is None for value in following.values())
