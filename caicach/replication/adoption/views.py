"""Pages of the adoption reports: the unit's obligations, the report form, the report, the
evidence files and Home Affairs' review list. Thin: every write is a service call."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock
from caicach.core.downloads import content_disposition
from caicach.core.models import User
from caicach.core.pagination import kept_page, list_key
from caicach.core.permissions import can, get_for_user, principal, require
from caicach.core.uploads import DEFAULT_KINDS
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, stale_action
from caicach.replication.adoption.forms import (
    EvidenceForm,
    ReportForm,
    ResultFormSet,
    ReturnForm,
    ReviewFilterForm,
    content_from,
    initial_of,
    results_initial,
)
from caicach.replication.adoption.queries import (
    BLANK_RESULT_ROWS,
    MAX_EVIDENCE,
    MAX_RESULTS,
    ReviewFilters,
    content_of,
    cycle_for,
    cycle_problem,
    obligation_queryset,
    obligation_rows,
    obligations_of,
    report_edit_url,
    report_queryset,
    report_with_rows,
    reports_to_review,
    reports_to_review_rows,
    reports_with_rows,
    return_history,
    review_periods,
    unit_obligations,
)
from caicach.replication.adoption.services import (
    EDITABLE,
    adoption_evidence_add,
    adoption_evidence_remove,
    adoption_report_open,
    adoption_report_return,
    adoption_report_save,
    adoption_report_submit,
)
from caicach.replication.models import AdoptionEvidence, AdoptionReport, AdoptionReportStatus

PER_PAGE = 50
OBLIGATIONS_PER_PAGE = 100
# The report form's "Thêm dòng" button.
ADD_ROW = "add_row"


@login_required
@require_GET
def obligation_list(request: HttpRequest) -> HttpResponse:
    """ "Nhiệm vụ nhân rộng của đơn vị": the obligations of the user's units grouped by
    directive, each with its current cycle's report."""
    user = acting_user(request)
    page = kept_page(
        list_key("unit obligations", user),
        lambda: unit_obligations(user),
        request.GET.get("page"),
        per_page=OBLIGATIONS_PER_PAGE,
        rows_of=obligations_of,
    )
    return render(
        request,
        "replication/adoption/obligation_list.html",
        {
            "groups": obligation_rows(list(page.object_list), user),
            "page_obj": page,
            "today": clock.today(),
            "may_review": can(user, "replication.review_reports"),
        },
    )


def _period(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise Http404 from exc


def _render_form(
    request: HttpRequest,
    report: AdoptionReport,
    form: ReportForm,
    results: Any,
    *,
    status: int = 200,
) -> HttpResponse:
    obligation = report.obligation
    return render(
        request,
        "replication/adoption/report_form.html",
        {
            "report": report,
            "obligation": obligation,
            "cycle": cycle_for(obligation, report.period_start),
            # Explicit: a refused sending re-renders the form under the sending address,
            # where "Lưu nháp" must still only save.
            "edit_url": report_edit_url(obligation, report.period_start),
            "form": form,
            "results": results,
            "evidence": list(report.evidence.all()),
            "evidence_form": EvidenceForm(),
            "may_add_evidence": report.evidence.count() < MAX_EVIDENCE,
            "max_results": MAX_RESULTS,
            "today": clock.today(),
            "history": return_history(report) if report.returned_at else [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The report form of ``obligation`` on the cycle starting ``period``, for the unit's head
    and staff; the first POST creates it, prefilled from the previous cycle's report."""
    user = acting_user(request)
    obligation = get_for_user(user, obligation_queryset(), pk, "adoption.view")
    start = _period(period)
    existing = reports_with_rows().filter(obligation=obligation, period_start=start).first()
    if not can(user, "adoption.file", obligation):
        if existing is not None:
            return redirect(existing)
        return stale_action(
            request,
            _("Chỉ lãnh đạo, công chức của đơn vị được giao mới lập báo cáo."),
            "replication:obligation_list",
        )
    if existing is None:
        # A GET never writes: the draft is created by the POST of the start button (on the
        # list, or on the page below for a link followed from elsewhere).
        if request.method == "GET":
            if problem := cycle_problem(obligation, start, clock.today(), new=True):
                return stale_action(request, problem, "replication:obligation_list")
            return render(
                request,
                "replication/adoption/report_start.html",
                {"obligation": obligation, "cycle": cycle_for(obligation, start), "edit_url": request.path},
            )
        try:
            existing = adoption_report_open(actor=user, obligation=obligation, period_start=start)
        except ValidationError as error:
            return stale_action(request, error, "replication:obligation_list")
        return redirect(report_edit_url(obligation, start))
    report = existing
    if report.status not in EDITABLE:
        return stale_action(request, _("Báo cáo đã gửi, không thể sửa."), report)
    if request.method == "GET":
        content = content_of(report)
        form = ReportForm(initial=initial_of(content, report.version))
        initial = results_initial(content)
        results = ResultFormSet(initial=initial, prefix="kq")
        if not initial:
            results = ResultFormSet(initial=[{}] * BLANK_RESULT_ROWS, prefix="kq")
        return _render_form(request, report, form, results)
    return _post_report(request, report, final=False)


def _post_report(request: HttpRequest, report: AdoptionReport, *, final: bool) -> HttpResponse:
    user = acting_user(request)
    data = request.POST.copy()
    if request.POST.get("action") == ADD_ROW:
        return _with_blank_row(request, report)
    form = ReportForm(data)
    results = ResultFormSet(data, prefix="kq")
    if form.is_valid() and results.is_valid():
        service = adoption_report_submit if final else adoption_report_save
        try:
            saved = service(
                actor=user,
                obligation=report.obligation,
                period_start=report.period_start,
                content=content_from(form, results),
                version=form.cleaned_data["version"],
            )
        except PermissionDenied as error:
            return stale_action(request, str(error), report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if final:
                messages.success(request, _("Đã gửi báo cáo đến Sở Nội vụ."))
                return redirect(saved)
            messages.success(request, _("Đã lưu nháp báo cáo."))
            return redirect(report_edit_url(saved.obligation, saved.period_start))
    return _render_form(request, report, form, results, status=400)


def _with_blank_row(request: HttpRequest, report: AdoptionReport) -> HttpResponse:
    """ "Thêm dòng" without JS: the same form back, as typed, with one more blank result row;
    nothing is saved or checked yet (rows ticked "Xóa" go)."""
    data = request.POST
    total_text = data.get("kq-TOTAL_FORMS", "")
    total = min(int(total_text), MAX_RESULTS) if total_text.isdigit() else 0
    form = ReportForm(initial={name: data.get(name, "") for name in ReportForm.base_fields})
    names = list(ResultFormSet.form.base_fields)
    rows: list[dict[str, Any]] = [
        {name: data.get(f"kq-{index}-{name}", "") for name in names if name != "DELETE"}
        for index in range(total)
        if not data.get(f"kq-{index}-DELETE")
    ]
    if len(rows) < MAX_RESULTS:
        rows.append({})
    else:
        messages.warning(request, _("Mỗi báo cáo có tối đa %(max)s kết quả đo lường.") % {"max": MAX_RESULTS})
    return _render_form(request, report, form, ResultFormSet(initial=rows, prefix="kq"))


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save and send the report (the form's "Gửi báo cáo" button posts here)."""
    user = acting_user(request)
    report = get_for_user(user, report_queryset(), pk)
    require(user, "change", report)
    if report.status not in EDITABLE:
        return stale_action(request, _("Báo cáo đã gửi, không thể gửi lại."), report)
    return _post_report(request, report_with_rows(report), final=True)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    # One read with the rows: the report joins nine tables, and planning that join cost
    # more than running it (9 ms of 10 at national scale), so it is not read twice.
    report = get_for_user(user, reports_with_rows(), pk)
    obligation = report.obligation
    may_return = report.status == AdoptionReportStatus.SUBMITTED and can(user, "return", report)
    return render(
        request,
        "replication/adoption/report_detail.html",
        {
            "report": report,
            "obligation": obligation,
            "cycle": cycle_for(obligation, report.period_start),
            "history": return_history(report),
            "may_edit": report.status in EDITABLE and can(user, "change", report),
            "edit_url": report_edit_url(obligation, report.period_start),
            "return_form": ReturnForm(initial={"version": report.version}) if may_return else None,
            # Home Affairs and the leaders come from the review list, the unit from its own.
            "from_review": obligation.unit_id not in user_units(user)
            and can(user, "replication.review_reports"),
            "today": clock.today(),
        },
    )


def user_units(user: User) -> set[int]:
    who = principal(user)
    return who.unit_ids if who is not None else set()


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = get_for_user(user, report_queryset(), pk)
    require(user, "return", report)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        errors = form.errors.get("note")
        return stale_action(
            request,
            stale_or(form, str(errors[0]) if errors else _("Vui lòng nêu nội dung cần bổ sung.")),
            report,
        )
    try:
        adoption_report_return(
            actor=user, report=report, note=form.cleaned_data["note"], version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        return stale_action(request, error, report)
    messages.success(request, _("Đã trả lại báo cáo cho đơn vị để bổ sung."))
    return redirect(report)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = get_for_user(user, report_queryset(), pk)
    require(user, "change", report)
    back = report_edit_url(report.obligation, report.period_start) + "#minh-chung"
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return stale_action(request, _("Vui lòng chọn tệp minh chứng."), back)
    try:
        evidence = adoption_evidence_add(
            actor=user,
            report=report,
            upload=form.cleaned_data["file"],
            is_public=form.cleaned_data["is_public"],
        )
    except ValidationError as error:
        return stale_action(request, error, back)
    messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": evidence.name})
    return redirect(back)


def _evidence_for(request: HttpRequest, pk: int, action: str) -> AdoptionEvidence:
    evidence = (
        AdoptionEvidence.objects.select_related("report__obligation__directive", "report__obligation__unit")
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404
    require(request.user, action, evidence.report)
    return evidence


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_for(request, pk, "change")
    report = evidence.report
    back = report_edit_url(report.obligation, report.period_start) + "#minh-chung"
    try:
        adoption_evidence_remove(actor=acting_user(request), evidence=evidence)
    except ValidationError as error:
        return stale_action(request, error, back)
    messages.success(request, _("Đã gỡ tệp “%(name)s”.") % {"name": evidence.name})
    return redirect(back)


_CONTENT_TYPES = {ext: kind.content_type for kind in DEFAULT_KINDS for ext in kind.extensions}


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to whoever may see its report; always as a download (never rendered in our
    origin), with the type its checked extension names."""
    evidence = _evidence_for(request, pk, "view")
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    extension = "." + evidence.file.name.rpartition(".")[2].lower()
    response = FileResponse(
        handle, as_attachment=True, content_type=_CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Content-Disposition"] = content_disposition(evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def report_review_list(request: HttpRequest) -> HttpResponse:
    """Home Affairs' (and the leaders') list of the reports to review, filtered by directive,
    cycle and state; the filters offer only what the user's scope holds."""
    user = acting_user(request)
    require(user, "replication.review_reports")
    periods = review_periods(user)
    form = ReviewFilterForm(request.GET or None, user=user, periods=periods)
    filters = ReviewFilters()
    if form.is_bound and form.is_valid():
        filters = ReviewFilters(
            directive=form.cleaned_data["van_ban"],
            period_start=form.cleaned_data["ky"],
            status=form.cleaned_data["tinh_trang"],
        )
    # The list is newest cycle first: a page sorts the reports of its cycles, not of all.
    leading = None if filters.period_start else ("period_start", [start for start, _label in periods])
    page = kept_page(
        list_key("adoption reports to review", user, filters),
        lambda: reports_to_review(user, filters),
        request.GET.get("page"),
        per_page=PER_PAGE,
        rows_of=reports_to_review_rows,
        leading=leading,
    )
    return render(
        request,
        "replication/adoption/review_list.html",
        {"form": form, "page_obj": page, "today": clock.today()},
    )
