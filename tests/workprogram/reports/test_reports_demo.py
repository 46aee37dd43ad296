"""The demo's monthly reports tell a story: every month reported on, most reports on time,
some late, some never sent, one reopened; the Office's summaries numbered month by month;
and the KPI page for the year shows figures that match the items."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent, User
from caicach.workprogram.models import (
    LineStatus,
    MonthlyReport,
    MonthlyReportLine,
    MonthlySummary,
    WorkProgram,
)
from caicach.workprogram.reports import kpis
from caicach.workprogram.reports import queries as report_queries
from caicach.workprogram.reports.rules import expected_units

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Issued summaries keep their file: in a throw-away folder here."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def program() -> WorkProgram:
    call_command("load_demo", stdout=io.StringIO())
    return WorkProgram.objects.get(year=2024)


def test_the_demo_reports_tell_a_story(program: WorkProgram) -> None:
    submitted = MonthlyReport.objects.filter(program=program)
    units = list(expected_units(program))
    assert len(units) >= 10
    assert {r.period.month for r in submitted} == set(range(1, 13))
    late = submitted.filter(is_late=True).count()
    on_time = submitted.filter(is_late=False).count()
    missing = 12 * len(units) - submitted.count()
    assert on_time > late > 0
    assert missing > 0
    rows = report_queries.report_matrix(program, units, today=datetime.date(2026, 11, 22))
    worst = max(rows, key=lambda row: row.late_count + row.missing_count)
    best = min(rows, key=lambda row: row.late_count + row.missing_count)
    assert worst.late_count + worst.missing_count >= 4
    assert best.late_count + best.missing_count <= 1
    assert AuditEvent.objects.filter(action="monthly_report.reopen").count() == 1
    assert (
        MonthlyReportLine.objects.filter(report__program=program, status=LineStatus.DELAYED)
        .exclude(delay_cause="")
        .exists()
    )
    # The Office issued eleven summaries, numbered in order; December's is still a draft.
    summaries = list(MonthlySummary.objects.filter(program=program).order_by("period"))
    assert len(summaries) == 12
    numbers = [s.registered_document.number for s in summaries if s.registered_document is not None]
    assert len(numbers) == 11 and numbers == sorted(numbers)
    assert summaries[-1].registered_document is None


def test_the_office_opens_the_demo_kpi_page_and_report_pages(client: Client, program: WorkProgram) -> None:
    office = User.objects.get(username="vanphong")
    client.force_login(office)
    response = client.get(reverse("workprogram:kpi", kwargs={"pk": program.pk}))
    assert response.status_code == 200
    total = response.context["total"]
    items = list(program.items.exclude(status="withdrawn").filter(due_month__year=2024))
    assert total.due == len(items)
    assert total.issued == sum(1 for item in items if item.status == "issued")
    assert total.submitted_percent is not None and 0 < total.submitted_percent < 100
    assert kpis.make_period(2024, "y").label in response.content.decode()
    for name, kwargs in (
        ("workprogram:report_list", {"pk": program.pk}),
        ("workprogram:kpi_unfinished", {"pk": program.pk}),
        ("workprogram:summary_detail", {"pk": program.pk, "year": 2024, "month": 6}),
        ("workprogram:summary_docx", {"pk": program.pk, "year": 2024, "month": 6}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
