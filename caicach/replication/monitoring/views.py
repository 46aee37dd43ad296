"""Home Affairs' monitoring pages: the unit × practice matrix and the laggards (with their
export). Thin: the rules decide who, the queries decide what."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caicach.core import clock, exports
from caicach.core.pagination import CappedPaginator
from caicach.core.permissions import require
from caicach.core.web import acting_user, file_response
from caicach.replication.monitoring import queries
from caicach.replication.monitoring.exports import laggards_workbook
from caicach.replication.monitoring.forms import MonitoringFilterForm


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
    found = queries.laggards(acting_user(request), form.filters(), today)
    page = CappedPaginator(found, queries.LAGGARDS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (obligation, queries.reasons(obligation), queries.cell_of(obligation, today).label)
        for obligation in page.object_list
    ]
    return render(
        request,
        "replication/monitoring/laggards.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "units": found.order_by().values("unit_id").distinct().count(),
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
