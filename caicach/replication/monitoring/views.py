"""Home Affairs' monitoring pages: the unit × practice matrix and the laggards (with their
export). Thin: the rules decide who, the queries decide what."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, exports, rendering
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.models import DocumentType, Role, Unit
from caicach.core.once import AlreadySubmitted, creating, once
from caicach.core.pagination import CappedPaginator
from caicach.core.permissions import can, get_for_user, principal, require
from caicach.core.web import acting_user, add_service_errors, document_response, file_response, stale_action
from caicach.replication.cycles import settings_for
from caicach.replication.models import ReplicationSummary
from caicach.replication.monitoring import queries
from caicach.replication.monitoring.documents import summary_spec
from caicach.replication.monitoring.exports import laggards_workbook
from caicach.replication.monitoring.forms import (
    MonitoringFilterForm,
    SettingsForm,
    SummaryForm,
    SummaryIssueForm,
)
from caicach.replication.monitoring.services import (
    SETTINGS_FIELDS,
    SUMMARY_TEXT_FIELDS,
    replication_settings_save,
    replication_summary_issue,
    replication_summary_save,
)

# The summary page lists the first laggards; the document lists them all.
LAGGARDS_SHOWN = 50
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(request: HttpRequest) -> MonitoringFilterForm:
    user = acting_user(request)
    require(user, "replication.monitor")
    return MonitoringFilterForm(request.GET or None, user=user)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def monitoring_matrix(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    today = clock.today()
    table = queries.matrix(acting_user(request), form.filters(), today, request.GET.get("page"))
    return render(
        request,
        "replication/monitoring/matrix.html",
        {
            "form": form,
            "matrix": table,
            "page_obj": table.page,
            "query": _query_without_page(request),
            "today": today,
        },
    )


@login_required
@require_GET
def monitoring_laggards(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    today = clock.today()
    user, filters = acting_user(request), form.filters()
    keys, units = queries.laggard_keys(user, filters, today)
    page = Paginator(keys, queries.LAGGARDS_PER_PAGE).get_page(request.GET.get("page"))
    rows = queries.laggard_page(user, filters, today, list(page.object_list))
    return render(
        request,
        "replication/monitoring/laggards.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "units": units,
            "query": _query_without_page(request),
            "today": today,
        },
    )


@login_required
@require_GET
def monitoring_laggards_export(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    today = clock.today()
    found = queries.laggards(acting_user(request), form.filters(), today)
    content = laggards_workbook(
        found.iterator(chunk_size=500),
        heading="Danh sách cơ quan, đơn vị chưa triển khai hoặc triển khai chưa hiệu quả",
        today=today,
    )
    return file_response(content, f"don-vi-cham-nhan-rong-{today:%Y%m%d}.xlsx", exports.XLSX_CONTENT_TYPE)


# --- The periodic summary -----------------------------------------------------------------------


def _summary(request: HttpRequest, pk: int) -> ReplicationSummary:
    queryset = ReplicationSummary.objects.select_related(
        "issuing_unit__parent", "directive__registered_document", "registered_document"
    )
    return get_for_user(request.user, queryset, pk)


def _home_affairs(request: HttpRequest) -> Unit | None:
    """The Home Affairs unit the user drafts for (their first as a reform officer)."""
    who = principal(request.user)
    units = sorted(who.units_with_role(Role.REFORM_OFFICER)) if who is not None else []
    return Unit.objects.filter(pk__in=units).order_by("code").first()


@login_required
@require_GET
def summary_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require(user, "replication.monitor")
    page = CappedPaginator(queries.summaries_for(user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "replication/monitoring/summary_list.html",
        {"page_obj": page, "may_compile": can(user, "replication.compile_summary")},
    )


def _summary_initial(unit: Unit) -> dict[str, object]:
    today = clock.today()
    start = datetime.date(today.year, 1, 1)
    keeper = unit.document_symbol or unit.short_name or unit.name
    return {
        "period_start": start,
        "period_end": today,
        "signer_title": "Giám đốc",
        "recipients": f"UBND tỉnh (để báo cáo);\nCác cơ quan, đơn vị có liên quan;\nLưu: VT, {keeper}.",
    }


@login_required
@require_http_methods(["GET", "POST"])
def summary_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require(user, "replication.compile_summary")
    unit = _home_affairs(request)
    if unit is None:
        return stale_action(
            request, _("Chỉ công chức Sở Nội vụ mới lập báo cáo."), "replication:summary_list"
        )
    form = SummaryForm(request.POST or None, initial=_summary_initial(unit), user=user, creating=True)
    creating(form)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                summary = replication_summary_save(
                    actor=user, data=form.service_data(), version=None, issuing_unit=unit
                )
                submission.created(summary)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo báo cáo."))
            return redirect(summary)
    return render(request, "replication/monitoring/summary_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    summary = _summary(request, pk)
    issued = summary.registered_document_id is not None
    may_change = not issued and can(user, "change", summary)
    initial = {
        name: getattr(summary, name)
        for name in ("period_start", "period_end", "directive", *SUMMARY_TEXT_FIELDS, "version")
    }
    form = SummaryForm(request.POST or None, initial=initial, user=user, creating=False)
    if request.method == "POST":
        if not may_change:
            return stale_action(request, _("Báo cáo đã ban hành, không thể sửa."), summary)
        if form.is_valid():
            try:
                replication_summary_save(
                    actor=user,
                    summary=summary,
                    data=form.service_data(),
                    version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo báo cáo."))
                return redirect(summary)
    data = queries.summary_data(summary, laggard_limit=LAGGARDS_SHOWN)
    return render(
        request,
        "replication/monitoring/summary_detail.html",
        {
            "summary": summary,
            "data": data,
            "form": form,
            "issued": issued,
            "may_change": may_change,
            "may_issue": not issued and can(user, "issue", summary),
            "issue_form": SummaryIssueForm(initial={"issued_on": clock.today(), "version": summary.version}),
        },
    )


@login_required
@require_GET
def summary_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as it would print now, or the issued report exactly as issued."""
    summary = _summary(request, pk)
    if summary.document_file:
        with default_storage.open(summary.document_file) as handle:
            content = handle.read()
        return file_response(content, summary.document_file.rsplit("/", 1)[-1], DOCX_CONTENT_TYPE)
    return document_response(rendering.render(summary_spec(summary, queries.summary_data(summary)), "docx"))


@login_required
@require_POST
def summary_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issuing is irreversible: a confirmation naming the number, then the issue."""
    summary = _summary(request, pk)
    if summary.registered_document_id is not None:
        return stale_action(request, _("Báo cáo này đã được ban hành."), summary)
    require(request.user, "issue", summary)
    form = SummaryIssueForm(request.POST)
    if not form.is_valid():
        return stale_action(
            request, " ".join(str(m) for errors in form.errors.values() for m in errors), summary
        )
    day = form.cleaned_data["issued_on"]
    plan = IssuePlan(
        unit=summary.issuing_unit,
        document_type=DocumentType.REPORT,
        year=day.year,
        title=str(summary),
        cancel_url=summary.get_absolute_url(),
        consequences=[
            _("Báo cáo ban hành ngày %(day)s, %(title)s %(name)s ký.")
            % {"day": f"{day:%d/%m/%Y}", "title": summary.signer_title, "name": summary.signer_name},
            _(
                "Số liệu và danh sách đơn vị chậm triển khai được chốt theo báo cáo "
                "của các đơn vị tại thời điểm này."
            ),
        ],
        previews=[(_("Dự thảo (DOCX)"), reverse("replication:summary_document", args=[summary.pk]))],
    )

    def perform() -> HttpResponse:
        try:
            issued = replication_summary_issue(
                actor=acting_user(request),
                summary=summary,
                version=form.cleaned_data["version"],
                issued_on=day,
            )
        except ValidationError as error:
            return stale_action(request, error, summary)
        reference = issued.registered_document.reference if issued.registered_document else ""
        messages.success(request, _("Đã ban hành Báo cáo số %(reference)s.") % {"reference": reference})
        return redirect(summary)

    return issue_or_confirm(request, plan, perform=perform)


# --- The committee's reporting regime ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def replication_settings(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require(user, "replication.compile_summary")
    unit = _home_affairs(request)
    committee = queries.committee_of(unit) if unit is not None else None
    if committee is None:
        return stale_action(request, _("Chỉ công chức Sở Nội vụ mới thiết lập chế độ báo cáo."), "home")
    require(user, "change_replication_settings", committee)
    current = settings_for(committee)
    initial = {name: getattr(current, name) for name in SETTINGS_FIELDS}
    initial["version"] = current.version
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            replication_settings_save(
                actor=user, committee=committee, data=form.cleaned_data, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu chế độ báo cáo nhân rộng."))
            return redirect("replication:replication_settings")
    return render(request, "replication/monitoring/settings.html", {"form": form, "committee": committee})


@login_required
@require_GET
def monitoring_rates(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    rates = queries.adoption_rates(acting_user(request), form.filters(), clock.today())
    # A country has hundreds of practices: their table comes a page at a time (the chart and
    # the groups' table summarise them all).
    practices = Paginator(rates.practices, queries.RATE_PRACTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "replication/monitoring/rates.html",
        {
            "form": form,
            "rates": rates,
            "page_obj": practices,
            "chart": queries.rate_chart(rates),
            "query": _query_without_page(request),
        },
    )
