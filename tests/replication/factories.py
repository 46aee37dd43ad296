"""Test data for replication: bare rows (practices, an issued directive, obligations and
reports) for the tests of reads, pages and permissions. The tests of a flow write through
its services instead, as users would."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from caicach.core.models import Unit
from caicach.replication.adoption.services import refresh_latest_reports
from caicach.replication.models import (
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionStatus,
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveStatus,
    Obligation,
    Practice,
    PracticeKind,
    PracticeStatus,
    TargetGroup,
)
from tests.conftest import Org

_numbers = itertools.count(1)


def make_practice(org: Org, **fields: Any) -> Practice:
    n = next(_numbers)
    values: dict[str, Any] = {
        "committee": org.province,
        "name": f"Mô hình thử nghiệm {n}",
        "kind": PracticeKind.MODEL,
        "status": PracticeStatus.ACCEPTED,
        "origin_unit": org.district,
        "summary": "Tổ chức đối thoại với công dân để kịp thời tiếp nhận và giải quyết kiến nghị.",
    }
    values.update(fields)
    return Practice.objects.create(**values)


def make_directive(
    org: Org, *, issued_on: datetime.date | None = datetime.date(2024, 1, 10), **fields: Any
) -> Directive:
    values: dict[str, Any] = {
        "issuing_unit": org.province,
        "title": "Triển khai nhân rộng, áp dụng các mô hình sáng kiến, cách làm hay trong công tác CCHC",
        "coordinator_unit": org.home_affairs,
        "status": DirectiveStatus.ISSUED if issued_on else DirectiveStatus.DRAFT,
        "issued_on": issued_on,
    }
    values.update(fields)
    return Directive.objects.create(**values)


def make_obligation(
    directive: Directive,
    unit: Unit,
    practice: Practice,
    *,
    role: str = AssignmentRole.APPLY,
    assignment: Assignment | None = None,
    **fields: Any,
) -> Obligation:
    """One unit's obligation, under its own one-unit assignment unless one is given."""
    if assignment is None:
        assignment = Assignment.objects.create(
            directive=directive, target_group=TargetGroup.UNIT, target_unit=unit, role=role
        )
        assignment.practices.add(practice)
    values: dict[str, Any] = {"starts_on": directive.issued_on or datetime.date(2024, 1, 10)}
    values.update(fields)
    return Obligation.objects.create(
        assignment=assignment, unit=unit, practice=practice, role=role, directive=directive, **values
    )


def make_report(
    obligation: Obligation,
    period_start: datetime.date,
    period_end: datetime.date,
    *,
    adoption_status: str = AdoptionStatus.APPLIED,
    status: str = AdoptionReportStatus.SUBMITTED,
    **fields: Any,
) -> AdoptionReport:
    values: dict[str, Any] = {
        "due_on": period_end + datetime.timedelta(days=14),
        "reason": "Không phù hợp với điều kiện của đơn vị."
        if adoption_status in ("stopped", "not_applicable")
        else "",
    }
    values.update(fields)
    report = AdoptionReport.objects.create(
        obligation=obligation,
        period_start=period_start,
        period_end=period_end,
        adoption_status=adoption_status,
        status=status,
        **values,
    )
    # What the report services keep on every sending and return.
    refresh_latest_reports(Obligation.objects.filter(pk=obligation.pk))
    return report
