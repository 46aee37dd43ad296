"""Organisation pages: the unit tree, a unit's page with its timeline, editing, merging,
and the xlsx import/export."""

from __future__ import annotations

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caicach.core import clock
from caicach.core import search as fulltext
from caicach.core.audit.queries import timeline_for
from caicach.core.jobs.services import job_start
from caicach.core.models import Unit
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import can, get_for_user, require
from caicach.core.units.forms import (
    SUGGESTIONS,
    UnitFilterForm,
    UnitForm,
    UnitImportForm,
    UnitMergeForm,
    unit_label,
)
from caicach.core.units.queries import (
    STATUS_ACTIVE,
    export_units_xlsx,
    unit_detail_queryset,
    unit_rows,
    unit_staff,
)
from caicach.core.units.services import unit_create, unit_merge, unit_update
from caicach.core.web import acting_user, file_response

PAGE_SIZE = 25
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_units")
    form = UnitFilterForm(request.GET or {"status": STATUS_ACTIVE})
    filters = form.cleaned_data if form.is_valid() else {}
    rows = unit_rows(
        kind=filters.get("kind") or "",
        status=filters.get("status") or STATUS_ACTIVE,
        search=filters.get("q") or "",
    )
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "today": clock.today(),
        "can_manage": can(request.user, "core.manage_units"),
    }
    template = "core/units/_table.html" if getattr(request, "htmx", False) else "core/units/list.html"
    return render(request, template, context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(request.user, unit_detail_queryset(), pk, "view")
    return render(
        request,
        "core/units/detail.html",
        {
            "unit": unit,
            "staff": unit_staff(unit),
            "events": timeline_for(unit),
            "today": clock.today(),
            "can_change": can(request.user, "change", unit),
            "can_search_audit": can(request.user, "core.search_audit"),
            "content_type_id": ContentType.objects.get_for_model(Unit).pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_units")
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                unit = unit_create(actor=acting_user(request), data=form.service_data())
                submission.created(reverse("unit_detail", args=[unit.pk]))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã thêm đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "core/units/form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(request.user, Unit.objects.all(), pk, "change")
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_update(
                actor=acting_user(request),
                unit=unit,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "core/units/form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_user(request.user, Unit.objects.select_related("successor"), pk, "change")
    form = UnitMergeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit_merge(
                actor=acting_user(request),
                unit=unit,
                successor=form.cleaned_data["successor"],
                effective_date=form.cleaned_data["effective_date"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã sáp nhập “%(name)s” vào “%(successor)s”.")
                % {"name": unit.name, "successor": form.cleaned_data["successor"].name},
            )
            return redirect("unit_detail", pk=unit.pk)
    return render(request, "core/units/merge.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_import_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_units")
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Checked and written in the background; the job page shows the progress, then the
        # row errors or the way back to the list.
        job = job_start(
            kind="core.units_import",
            actor=acting_user(request),
            parameters={"done_url": reverse("unit_list"), "retry_url": reverse("unit_import")},
            upload=form.cleaned_data["file"],
        )
        return redirect("job_detail", pk=job.pk)
    return render(request, "core/units/import.html", {"form": form})


@login_required
def unit_export_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_units")
    filename = f"don-vi-{clock.today():%Y%m%d}.xlsx"
    return file_response(export_units_xlsx(), filename, XLSX_TYPE)


@login_required
@require_GET
def unit_suggestions(request: HttpRequest) -> HttpResponse:
    """The options of a unit text box (``UnitChoiceField`` past its threshold) for what has
    been typed so far: active units by code or name, best first. The organisation chart is
    not secret inside the administration; the form still checks the unit it receives."""
    field = request.GET.get("field", "")
    text = request.GET.get(field, "") if field else ""
    options = []
    if fulltext.terms(text):
        units = fulltext.ranked(
            fulltext.search(Unit.objects.active(), text, exact_fields=("name",), fuzzy=True), "code"
        )
        for code, name in units.values_list("code", "name")[:SUGGESTIONS]:
            options.append(f'<option value="{escape(unit_label(code, name))}"></option>')
    return HttpResponse("".join(options))
