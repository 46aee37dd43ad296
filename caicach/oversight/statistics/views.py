"""The statistics of assigned tasks: the page (per lead unit, per assigning leader, per
source, the trend), its workbook, the drill-down to the tasks behind each number, and the
periodic report on task performance (drafted by the Office, previewed as DOCX, issued —
numbered and frozen — by a leader of the committee)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from caicach.core import chronology, clock, rendering
from caicach.core.audit.queries import timeline_for
from caicach.core.choices import kept_while_read
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.models import DocumentType, Unit, User
from caicach.core.once import AlreadySubmitted, once
from caicach.core.pagination import kept_page, list_key
from caicach.core.permissions import COMMITTEE_KINDS, can, get_for_user, require, scope_key
from caicach.core.web import acting_user, document_response, file_response, stale_action
from caicach.oversight.models import Task, TaskSource
from caicach.oversight.statistics import exports, queries
from caicach.oversight.statistics import services as report_services
from caicach.oversight.statistics.charts import trend_chart
from caicach.oversight.statistics.documents import task_report_spec
from caicach.oversight.statistics.forms import StatisticsFilterForm, TaskReportForm, TaskReportIssueForm
from caicach.oversight.statistics.rows import drill_rows_of
from caicach.oversight.statistics.rules import (
    headed_unit_ids,
    statistics_committees,
    statistics_scope,
    task_reports_for,
)
from caicach.oversight.timeliness import Against, Timeliness

DRILL_PAGE_SIZE = 50
RECENT_REPORTS = 10
MAX_COMMITTEE_CHOICES = 300

CHART_LABELS = {
    "assigned": gettext_lazy("Được giao"),
    "done_on_time": gettext_lazy("Hoàn thành đúng hạn"),
    "late": gettext_lazy("Hoàn thành quá hạn hoặc quá hạn"),
    "running": gettext_lazy("Tỷ lệ đúng hạn lũy kế"),
}
CELL_LABELS = {
    queries.ASSIGNED: gettext_lazy("Được giao"),
    queries.EXTENDED: gettext_lazy("Được gia hạn"),
    Timeliness.DONE_ON_TIME.value: Timeliness.DONE_ON_TIME.label,
    Timeliness.DONE_LATE.value: Timeliness.DONE_LATE.label,
    Timeliness.OVERDUE.value: Timeliness.OVERDUE.label,
    Timeliness.NOT_YET_DUE.value: Timeliness.NOT_YET_DUE.label,
    Timeliness.CANCELLED.value: Timeliness.CANCELLED.label,
}


def _cells(row: queries.Figures, drill: str) -> list[dict[str, Any]]:
    """The numbers of one row, each with its drill-down link (none for a zero)."""
    cells = []
    for name, cell in zip(queries.FIGURE_NAMES, queries.CELLS, strict=True):
        value = getattr(row, name)
        url = f"{drill}&{urlencode({'timeliness': cell})}" if value else ""
        cells.append({"name": name, "value": value, "url": url})
    return cells


def _table(rows: list[queries.Row], drill: str, key: str) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "cells": _cells(row, f"{drill}&{urlencode({key: row.key})}"),
            "rate": queries.rate_text(row.on_time_rate),
        }
        for row in rows
    ]


def _committee_for(
    request: HttpRequest, user: User, wanted: Any
) -> tuple[Unit | None, list[tuple[int, str]]]:
    """The committee whose statistics are shown whole (the chosen one, else the first with
    tasks the user sees), with the committees to choose from as (id, name) — those with
    tasks, so that a national Office is not offered every commune; (None, []) for a unit
    head who sees only their unit."""
    require(user, "oversight.view_statistics")
    committees = statistics_committees(user)
    with_tasks = _committee_choices(user, committees)
    wanted_pk = _int(str(wanted)) if wanted else None
    if wanted and wanted_pk is None:
        raise Http404
    if wanted_pk is not None:
        # Among the choices, the committee is the user's: read by key, not through the scope.
        among = any(pk == wanted_pk for pk, _name in with_tasks)
        chosen = (Unit.objects if among else committees).filter(pk=wanted_pk).first()
        if chosen is None:  # not a committee they see whole: 404
            raise Http404
    else:
        chosen = Unit.objects.filter(pk=with_tasks[0][0]).first() if with_tasks else committees.first()
    if chosen is None:
        if not headed_unit_ids(user):
            raise Http404
        return None, []
    if any(pk == chosen.pk for pk, _name in with_tasks):
        return chosen, with_tasks
    return chosen, [(chosen.pk, chosen.short_name or chosen.name), *with_tasks]


def _committee_choices(user: User, committees: QuerySet[Unit]) -> list[tuple[int, str]]:
    """The committees with tasks among those ``user`` sees whole, as (id, name), kept until a
    unit or a task is written: finding them among a national Office's 4,000 units costs a
    scan of the tasks, 5 ms a visit."""

    def build() -> list[tuple[int, str]]:
        found = committees.filter(Exists(Task.objects.filter(committee=OuterRef("pk"))))
        return [
            (pk, short_name or name)
            for pk, short_name, name in found.values_list("pk", "short_name", "name")[:MAX_COMMITTEE_CHOICES]
        ]

    return kept_while_read("statistics: committees with tasks", scope_key(user), build)


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse | FileResponse:
    user = acting_user(request)
    today = clock.today()
    committee, committees = _committee_for(request, user, request.GET.get("committee"))
    form = StatisticsFilterForm(request.GET or None, committees=committees)
    period = form.period(today)
    scope = statistics_scope(user, committee)
    units, leaders, sources, months = queries.page_figures(
        scope, period, today=today, whole=committee is not None
    )
    total = queries.total_of(units)
    if request.GET.get("format") == "xlsx":
        title = "Thống kê tình hình thực hiện nhiệm vụ được giao"
        if committee is not None:
            title += f" — {committee.name}"
        handle = exports.statistics_workbook(
            title=title, period=period, today=today, units=units, leaders=leaders, sources=sources,
            months=months, total=total,
        )  # fmt: skip
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"Thống kê nhiệm vụ {period.start:%d-%m-%Y} {period.end:%d-%m-%Y}.xlsx",
            content_type=exports.XLSX_CONTENT_TYPE,
        )
    base: dict[str, Any] = {"from": period.start.isoformat(), "to": period.end.isoformat(), "kpi": 1}
    if committee is not None:
        base["committee"] = committee.pk
    drill = f"{reverse('oversight:statistics_drill_down')}?{urlencode(base)}"
    context = {
        "form": form,
        "committee": committee,
        "period": period,
        "today": today,
        "units": _table(units, drill, "lead_unit"),
        "leaders": _table(leaders, drill, "assigned_by"),
        "sources": _table(sources, drill, "source"),
        "months": months,
        "total": total,
        "total_cells": _cells(total, drill),
        "total_rate": queries.rate_text(total.on_time_rate),
        "chart": trend_chart(months, {name: str(label) for name, label in CHART_LABELS.items()}),
        "export_query": urlencode(
            {**{k: v for k, v in request.GET.items() if k != "format"}, "format": "xlsx"}
        ),
        "can_report": committee is not None and can(user, "oversight.draft_task_report", committee),
    }
    return render(request, "oversight/statistics/statistics.html", context)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _date(value: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and not chronology.RECORDED.problem(day, what="") else None


@login_required
@require_GET
def drill_down(request: HttpRequest) -> HttpResponse:
    """The tasks behind one number: ``committee``, ``from``, ``to``, ``lead_unit``,
    ``assigned_by``, ``source``, ``timeliness`` (a column), ``kpi=1`` (against the original
    deadline, as the statistics count; otherwise the current deadline)."""
    user = acting_user(request)
    today = clock.today()
    params = request.GET
    committee, _committees = _committee_for(request, user, params.get("committee"))
    start, end = _date(params.get("from")), _date(params.get("to"))
    period = (
        queries.span_period(start, end) if start and end and start <= end else queries.year_period(today.year)
    )
    lead_unit, assigned_by = _int(params.get("lead_unit")), _int(params.get("assigned_by"))
    source = params.get("source", "") if params.get("source") in TaskSource.values else ""
    cell = params.get("timeliness", "") if params.get("timeliness") in queries.CELLS else ""
    against: Against = "original_deadline" if params.get("kpi") == "1" else "deadline"
    scope = statistics_scope(user, committee)
    if committee is None and lead_unit is not None and lead_unit not in headed_unit_ids(user):
        raise Http404

    def tasks() -> QuerySet[Task]:
        return queries.cell_tasks(
            scope, period, today=today, cell=cell, against=against, lead_unit=lead_unit,
            assigned_by=assigned_by, source=source,
        )  # fmt: skip

    key = list_key(
        "task statistics: drill-down", user, committee, period.start, period.end, cell, against, lead_unit,
        assigned_by, source,
    )  # fmt: skip
    rows_of = drill_rows_of(today=today, against=against)
    page_obj = kept_page(key, tasks, params.get("page"), per_page=DRILL_PAGE_SIZE, rows_of=rows_of)
    names = dict(
        Unit.objects.filter(pk__in=[pk for pk in (lead_unit,) if pk]).values_list("pk", "name")
    ) if lead_unit else {}  # fmt: skip
    leader = User.objects.filter(pk=assigned_by).first() if assigned_by else None
    back = {"from": period.start.strftime("%d/%m/%Y"), "to": period.end.strftime("%d/%m/%Y")}
    if committee is not None:
        back["committee"] = str(committee.pk)
    context = {
        "committee": committee,
        "period": period,
        "today": today,
        "page_obj": page_obj,
        "unit_name": names.get(lead_unit, "") if lead_unit else "",
        "leader": leader,
        "source_label": dict(TaskSource.choices).get(source, "") if source else "",
        "cell_label": CELL_LABELS.get(cell, ""),
        "kpi": against == "original_deadline",
        "back_query": urlencode(back),
        "scope_is_unit": committee is None,
    }
    return render(request, "oversight/statistics/drill_down.html", context)


# --- The periodic report -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def task_report(request: HttpRequest) -> HttpResponse:
    """A new report for ``committee`` and the period chosen on the statistics page."""
    user = acting_user(request)
    committee = Unit.objects.filter(
        pk=_int(request.GET.get("committee")) or 0, kind__in=COMMITTEE_KINDS
    ).first()
    if committee is None:
        raise Http404
    require(user, "oversight.draft_task_report", committee)
    today = clock.today()
    period = StatisticsFilterForm(request.GET, committees=[]).period(today)
    form = TaskReportForm(
        request.POST or None, creating=True, initial={"recipients": report_services.DEFAULT_RECIPIENTS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                report = report_services.task_report_create(
                    actor=user, committee=committee, start=period.start, end=period.end,
                    data=form.service_data(),
                )  # fmt: skip
                submission.created(report)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu dự thảo báo cáo."))
            return redirect(report)
    recent = list(task_reports_for(user).filter(committee=committee)[:RECENT_REPORTS])
    context = {"committee": committee, "period": period, "form": form, "recent": recent}
    return render(request, "oversight/statistics/report_new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = get_for_user(user, task_reports_for(user), pk, "view")
    issued = report.registered_document_id is not None
    can_change = can(user, "change", report)
    form = TaskReportForm(
        request.POST or None,
        creating=False,
        initial={"assessment": report.assessment, "recipients": report.recipients, "version": report.version},
    )
    if request.method == "POST":
        if not can_change:
            return stale_action(request, _("Báo cáo đã ban hành, không thể sửa."), report)
        if form.is_valid():
            try:
                report_services.task_report_save(
                    actor=user, report=report, data=form.service_data(), version=form.cleaned_data["version"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu dự thảo báo cáo."))
                return redirect(report)
    data = queries.report_data(report, as_of=report.issued_on or clock.today())
    context = {
        "report": report,
        "data": data,
        "issued": issued,
        "form": form if can_change else None,
        "can_issue": can(user, "issue", report),
        "issue_form": TaskReportIssueForm(initial={"issued_on": clock.today(), "version": report.version}),
        "events": timeline_for(report),
    }
    return render(request, "oversight/statistics/report_detail.html", context)


@login_required
@require_GET
def task_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued file as kept, or the draft compiled now (no number)."""
    user = acting_user(request)
    report = get_for_user(user, task_reports_for(user).select_related("committee__parent"), pk, "view")
    frozen = queries.frozen_report(report)
    if frozen is not None:
        return file_response(frozen, report.document_file.rsplit("/", 1)[-1], rendering.DOCX_CONTENT_TYPE)
    data = queries.report_data(report, as_of=report.issued_on or clock.today())
    return document_response(rendering.render(task_report_spec(report, data), "docx"))


@login_required
@require_http_methods(["POST"])
def task_report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader signs: a confirmation naming the number, then the report is issued."""
    user = acting_user(request)
    report = get_for_user(user, task_reports_for(user).select_related("committee__parent"), pk, "view")
    if report.registered_document_id is not None:
        return stale_action(request, _("Báo cáo này đã được ban hành."), report)
    if not can(user, "issue", report):
        return stale_action(request, _("Chỉ lãnh đạo UBND ký ban hành báo cáo."), report)
    form = TaskReportIssueForm(request.POST)
    if not form.is_valid():
        return stale_action(
            request, " ".join(str(m) for errors in form.errors.values() for m in errors), report
        )
    day = form.cleaned_data["issued_on"]
    plan = IssuePlan(
        unit=report.committee,
        document_type=DocumentType.REPORT,
        year=day.year,
        title=_("Báo cáo tình hình thực hiện nhiệm vụ được giao (%(period)s)")
        % {"period": queries.report_period(report).label},
        cancel_url=report.get_absolute_url(),
        consequences=[
            _(
                "Báo cáo ban hành ngày %(day)s dưới chữ ký của %(leader)s; "
                "tệp DOCX được lưu đúng như khi ban hành."
            )
            % {"day": f"{day:%d/%m/%Y}", "leader": user.full_name or user.username},
        ],
        previews=[(_("Dự thảo báo cáo (DOCX)"), reverse("oversight:task_report_docx", args=[report.pk]))],
        button=_("Ký và ban hành báo cáo"),
    )

    def perform() -> HttpResponse:
        try:
            issued = report_services.task_report_issue(
                actor=user, report=report, version=form.cleaned_data["version"], issued_on=day
            )
        except ValidationError as error:
            return stale_action(request, error, report)
        reference = issued.registered_document.reference if issued.registered_document else ""
        messages.success(request, _("Đã ban hành Báo cáo số %(reference)s.") % {"reference": reference})
        return redirect(issued)

    return issue_or_confirm(request, plan, perform=perform)
