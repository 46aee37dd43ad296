"""Monthly reports (filing, the Office's follow-up, the summary report) and the KPI pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.audit.queries import timeline_for
from caicach.core.models import Unit
from caicach.core.once import AlreadySubmitted, once, replayed
from caicach.core.pagination import page_again
from caicach.core.permissions import can, get_for_user, may_act_for
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, document_response, file_response
from caicach.workprogram.models import MonthlyReport, ReportStatus, WorkProgram
from caicach.workprogram.reports import exports, kpis
from caicach.workprogram.reports import queries as report_queries
from caicach.workprogram.reports import services as report_services
from caicach.workprogram.reports.charts import trend_chart
from caicach.workprogram.reports.documents import monthly_summary_spec
from caicach.workprogram.reports.forms import (
    SUBMIT,
    KpiFilterForm,
    MonthChoiceForm,
    MonthlyReportForm,
    ReopenForm,
    ReportLineFormSet,
    SummaryForm,
    SummaryIssueForm,
)
from caicach.workprogram.reports.rows import month_rows, report_rows
from caicach.workprogram.reports.rules import (
    SCOPE_ALL,
    SCOPE_MINE,
    expected_units,
    kpi_scope,
    may_narrow_to_supervised,
    report_units_for,
    sees_all_units,
    supervised_only,
)


def _programs() -> Any:
    return WorkProgram.objects.select_related("issuing_unit")


def _period(program: WorkProgram, year: int, month: int, day: datetime.date) -> datetime.date:
    """The month of a URL, or 404 when it is not a month of the program open for reports."""
    if year != program.year or not 1 <= month <= 12:
        raise Http404
    period = datetime.date(year, month, 1)
    if period > day.replace(day=1):
        raise Http404
    return period


def _default_month(program: WorkProgram, day: datetime.date) -> int:
    """The current month during the program's year, December after it, January before."""
    if day.year == program.year:
        return day.month
    return 12 if day.year > program.year else 1


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename, exports.XLSX_CONTENT_TYPE)


# --- The units' reports ------------------------------------------------------------------------------


def _month_asked(request: HttpRequest) -> Any:
    """The query string when it names a month (a bound picker), else None: unbound, the
    picker shows the month the page is about."""
    return request.GET if "month" in request.GET else None


@login_required
@require_GET
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has reported: the chosen month unit by unit, and the year at a glance (late and
    missing reports counted per unit)."""
    program = get_for_user(request.user, _programs(), pk, "view_reports")
    day = clock.today()
    months = report_queries.report_months(program, day)
    numbers = [m.month for m in months] or [1]
    form = MonthChoiceForm(_month_asked(request), months=numbers)
    month = form.chosen_month(min(_default_month(program, day), numbers[-1]))
    units = report_units_for(acting_user(request), program)
    year_months = [datetime.date(program.year, m, 1) for m in range(1, 13)]
    if request.GET.get("format") == "xlsx":
        rows = report_queries.report_matrix(program, list(units), today=day)
        sheet = exports.report_status_sheet(program.title, rows, year_months)
        return _xlsx(exports.workbook(sheet), f"Tình hình báo cáo tháng {program.year}.xlsx")
    shown = report_rows(program, units, today=day)
    period = datetime.date(program.year, month, 1)
    period_open = period <= day.replace(day=1)
    index = month - 1
    office = can(request.user, "compile_summary", program)
    context = {
        "program": program,
        "form": form,
        "month": month,
        "period": period,
        "period_open": period_open,
        "due_date": report_queries.report_due_date(program, period),
        # Escaped as they were written (``rows``).
        "month_table": mark_safe(
            month_rows(
                shown,
                index,
                program=program,
                period=period,
                period_open=period_open,
                may_file=lambda unit_id: may_act_for(request.user, unit_id),
            )
        ),
        "year_table": mark_safe("".join(row.year_row for row in shown)),
        "unit_reports": shown,
        "counts": report_queries.month_count(shown, index),
        "year_months": year_months,
        "is_office": office,
        "can_view_kpis": can(request.user, "view_kpis", program),
    }
    return render(request, "workprogram/reports/report_list.html", context)


def _report_unit(program: WorkProgram, unit_id: int) -> Unit:
    unit = expected_units(program).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, pk: int, unit_id: int, year: int, month: int) -> HttpResponse:
    """The unit's report for the month, prefilled with its items: save a draft or send it."""
    program = get_for_user(request.user, _programs(), pk, "view_reports")
    user = acting_user(request)
    if not may_act_for(user, unit_id):
        raise Http404
    unit = _report_unit(program, unit_id)
    period = _period(program, year, month, clock.today())
    if (earlier := replayed(request)) is not None:
        return earlier.response(request)
    report = MonthlyReport.objects.filter(program=program, unit=unit, period=period).first()
    if report is not None and report.status == ReportStatus.SUBMITTED:
        messages.info(request, _("Báo cáo tháng này đã gửi; chỉ Văn phòng có thể mở lại để bổ sung."))
        return redirect("workprogram:report_detail", pk=report.pk)
    rows = report_queries.form_lines(program, unit, period, report)
    items = {row.item.pk: row.item for row in rows}
    final = request.POST.get("action") == SUBMIT
    if request.method == "POST":
        form = MonthlyReportForm(request.POST, creating=report is None)
        lines = ReportLineFormSet(request.POST, prefix="lines", form_kwargs={"final": final})
    else:
        form = MonthlyReportForm(
            creating=report is None,
            initial={
                "difficulties": report.difficulties if report else "",
                "recommendations": report.recommendations if report else "",
                "version": report.version if report else None,
            },
        )
        lines = ReportLineFormSet(
            prefix="lines",
            initial=[
                {
                    "item_id": row.values.item_id,
                    "status": row.values.status,
                    "progress_note": row.values.progress_note,
                    "delay_cause": row.values.delay_cause,
                    "remedy": row.values.remedy,
                    "expected_date": row.values.expected_date,
                }
                for row in rows
            ],
        )
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        content = form.content(lines)
        try:
            with once(request, form, editing=report is not None) as submission:
                if final:
                    saved = report_services.monthly_report_submit(
                        actor=user,
                        program=program,
                        unit=unit,
                        period=period,
                        content=content,
                        version=form.cleaned_data.get("version"),
                    )
                else:
                    saved = report_services.monthly_report_save_draft(
                        actor=user,
                        program=program,
                        unit=unit,
                        period=period,
                        content=content,
                        version=form.cleaned_data.get("version"),
                        today=clock.today(),
                    )
                submission.created(
                    reverse("workprogram:report_detail", args=[saved.pk]) if final else request.path
                )
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if final:
                if saved.is_late:
                    messages.warning(request, _("Đã gửi báo cáo. Báo cáo được ghi nhận gửi muộn so với hạn."))
                else:
                    messages.success(request, _("Đã gửi báo cáo tháng đến Văn phòng."))
                return redirect("workprogram:report_detail", pk=saved.pk)
            messages.success(request, _("Đã lưu nháp báo cáo."))
            return redirect(request.path)
    line_rows = [{"form": line_form, "item": items.get(_item_id(line_form) or 0)} for line_form in lines]
    context = {
        "program": program,
        "unit": unit,
        "period": period,
        "report": report,
        "due_date": report.due_date if report else report_queries.report_due_date(program, period),
        "form": form,
        "lines": lines,
        "line_rows": line_rows,
        "today": clock.today(),
    }
    return render(request, "workprogram/reports/report_form.html", context)


def _item_id(line_form: Any) -> int | None:
    value = line_form["item_id"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _report_queryset() -> Any:
    return MonthlyReport.objects.select_related("program__issuing_unit", "unit", "submitted_by")


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(request.user, _report_queryset(), pk, "view")
    lines = list(report.lines.select_related("item").order_by("item__due_month", "item__position", "item_id"))
    submitted = report.status == ReportStatus.SUBMITTED
    context = {
        "report": report,
        "program": report.program,
        "lines": lines,
        "can_edit": not submitted and can(request.user, "change", report),
        "can_reopen": submitted and can(request.user, "reopen", report),
        "reopen_form": ReopenForm(initial={"version": report.version}),
        "events": timeline_for(report),
        "form_url": report_queries.report_form_url(report),
    }
    return render(request, "workprogram/reports/report_detail.html", context)


@login_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(request.user, _report_queryset(), pk, "reopen")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            report_services.monthly_report_reopen(
                actor=acting_user(request),
                report=report,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã mở lại báo cáo và thông báo cho đơn vị."))
    else:
        messages.error(request, stale_or(form, _("Vui lòng nêu lý do mở lại báo cáo.")))
    return redirect("workprogram:report_detail", pk=report.pk)


# --- The Office's summary ------------------------------------------------------------------------------


def _summary_context(program: WorkProgram, year: int, month: int) -> tuple[Any, Any, datetime.date]:
    period = _period(program, year, month, clock.today())
    summary = report_queries.summary_for(program, period)
    data = report_queries.kept_summary_data(program, period, as_of=summary.issued_on or clock.today())
    return summary, data, period


@login_required
@require_http_methods(["GET", "POST"])
def summary_detail(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    """The month's summary as the Office will issue it, with its own parts to fill in."""
    program = get_for_user(request.user, _programs(), pk, "compile_summary")
    summary, data, period = _summary_context(program, year, month)
    issued = summary.registered_document_id is not None
    initial = {
        name: getattr(summary, name)
        for name in ("assessment", "signer_authority", "signer_title", "signer_name", "recipients")
    }
    initial["version"] = summary.version if summary.pk else None
    form = SummaryForm(request.POST or None, initial=initial, creating=summary.pk is None)
    if request.method == "POST" and not issued and form.is_valid():
        try:
            with once(request, form, editing=summary.pk is not None) as submission:
                report_services.monthly_summary_save(
                    actor=acting_user(request),
                    program=program,
                    period=period,
                    data=form.service_data(),
                    version=form.cleaned_data.get("version"),
                    today=clock.today(),
                )
                submission.created(request.path)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu báo cáo tổng hợp."))
            return redirect(request.path)
    context = {
        "program": program,
        "summary": summary,
        "data": data,
        "period": period,
        "issued": issued,
        "form": form,
        "issue_form": SummaryIssueForm(initial={"issued_on": clock.today(), "version": summary.version}),
        "events": timeline_for(summary) if summary.pk else [],
    }
    return render(request, "workprogram/reports/report_summary.html", context)


@login_required
@require_POST
def summary_issue(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    program = get_for_user(request.user, _programs(), pk, "compile_summary")
    period = _period(program, year, month, clock.today())
    summary = report_queries.summary_for(program, period)
    target = reverse("workprogram:summary_detail", kwargs={"pk": program.pk, "year": year, "month": month})
    if summary.pk is None:
        messages.error(request, _("Vui lòng lưu báo cáo tổng hợp trước khi ban hành."))
        return redirect(target)
    form = SummaryIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect(target)
    try:
        issued = report_services.monthly_summary_issue(
            actor=acting_user(request),
            summary=summary,
            version=form.cleaned_data["version"],
            issued_on=form.cleaned_data["issued_on"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        reference = issued.registered_document.reference if issued.registered_document else ""
        messages.success(request, _("Đã ban hành Báo cáo số %(reference)s.") % {"reference": reference})
    return redirect(target)


@login_required
@require_GET
def summary_docx(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    """The summary as DOCX: the file kept at issue for an issued summary, otherwise compiled
    in the request (python-docx alone takes well under a second even for a hundred units)."""
    program = get_for_user(request.user, _programs(), pk, "compile_summary")
    period = _period(program, year, month, clock.today())
    summary = report_queries.summary_for(program, period)
    frozen = report_queries.frozen_summary(summary)
    if frozen is not None:  # issued: exactly the file that was issued
        return file_response(frozen, summary.document_file.rsplit("/", 1)[-1], rendering.DOCX_CONTENT_TYPE)
    data = report_queries.kept_summary_data(program, period, as_of=summary.issued_on or clock.today())
    return document_response(rendering.render(monthly_summary_spec(summary, data), "docx"))


# --- KPIs ---------------------------------------------------------------------------------------------


CHART_LABELS = {
    "due": gettext_lazy("Phải trình"),
    "submitted": gettext_lazy("Đã trình"),
    "issued": gettext_lazy("Đã ban hành"),
    "running": gettext_lazy("Tỷ lệ đã trình lũy kế"),
}


@login_required
@require_GET
def kpi(request: HttpRequest, pk: int) -> HttpResponse:
    """Figures per lead unit for a month, a quarter or the year, the units' ranking and the
    trend per month; every table also as .xlsx (``?format=xlsx&table=units|months``)."""
    program = get_for_user(request.user, _programs(), pk, "view_kpis")
    user = acting_user(request)
    day = clock.today()
    scope = kpi_scope(user, program)
    # A vice-chairman opens on the items they supervise, the toggle widens to the program.
    mine = supervised_only(user, program, request.GET.get("pham_vi"))
    if mine:
        scope &= Q(supervising_leader_id=user.pk)
    grace = kpis.grace_days_of(program)
    year_rows = kpis.unit_figures(
        program, kpis.make_period(program.year, "y"), scope, today=day, grace_days=grace
    )
    units = sorted(((row.unit_id, row.unit_name) for row in year_rows), key=lambda pair: pair[1])
    form = KpiFilterForm(request.GET or None, units=units)
    valid = form.is_valid()
    key = (form.cleaned_data.get("period") if valid else "") or "y"
    period = kpis.make_period(program.year, key)
    unit_id = form.cleaned_data.get("unit") if valid else None
    rows = year_rows if key == "y" else kpis.unit_figures(program, period, scope, today=day, grace_days=grace)
    total = kpis.total_of(rows)
    months = kpis.month_figures(program, scope, today=day, unit_id=unit_id, grace_days=grace)
    unit_name = dict(units).get(unit_id, "") if unit_id is not None else ""
    if request.GET.get("format") == "xlsx":
        if request.GET.get("table") == "months":
            sheet = exports.kpi_months_sheet(program.title, unit_name or "Tất cả đơn vị", months)
            return _xlsx(exports.workbook(sheet), f"Chỉ số theo tháng {program.year}.xlsx")
        sheet = exports.kpi_units_sheet(program.title, period, rows, total)
        return _xlsx(exports.workbook(sheet), f"Chỉ số {period.label}.xlsx")
    labels = {name: str(label) for name, label in CHART_LABELS.items()}
    context = {
        "program": program,
        "form": form,
        "period": period,
        "rows": rows,
        "total": total,
        "months": months,
        "running": kpis.cumulative(months),
        "chart": trend_chart(months, labels),
        "unit_name": unit_name,
        "today": day,
        "sees_all": sees_all_units(user, program) and not mine,
        "scope_toggle": may_narrow_to_supervised(user, program),
        "scope_mine": mine,
        "scope_values": {"mine": SCOPE_MINE, "all": SCOPE_ALL},
        "can_view_reports": can(user, "view_reports", program),
        "meeting_month": _default_month(program, day),
    }
    return render(request, "workprogram/reports/kpi_detail.html", context)


@login_required
@require_GET
def kpi_unfinished(request: HttpRequest, pk: int) -> HttpResponse:
    """Unfinished items by lead unit, with its head's name, for the monthly regular meeting."""
    program = get_for_user(request.user, _programs(), pk, "view_kpis")
    day = clock.today()
    form = MonthChoiceForm(_month_asked(request), months=list(range(1, 13)))
    month = datetime.date(program.year, form.chosen_month(_default_month(program, day)), 1)
    # The regular meeting's agenda: a committee's leaders see all of it (no toggle here).
    user = acting_user(request)
    if request.GET.get("format") == "xlsx":
        groups = kpis.unfinished_by_unit(program, month, kpi_scope(user, program), today=day)
        sheet = exports.unfinished_sheet(program.title, month, groups)
        return _xlsx(
            exports.workbook(sheet), f"Nội dung chưa hoàn thành tháng {month.month}-{month.year}.xlsx"
        )
    # The page shows the lead units one page at a time (the export holds them all).
    shown = report_queries.unfinished_page(user, program, month, today=day, page=request.GET.get("page"))
    summary = shown.summary
    page_obj = page_again(
        list(shown.groups), shown.number, summary.unit_count, report_queries.UNFINISHED_UNITS_PER_PAGE
    )
    context = {
        "program": program,
        "form": form,
        "month": month,
        "groups": shown.groups,
        "page_obj": page_obj,
        "item_count": summary.item_count,
        "overdue_count": summary.overdue_count,
        "today": day,
    }
    return render(request, "workprogram/reports/kpi_unfinished.html", context)
