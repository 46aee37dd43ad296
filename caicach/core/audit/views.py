"""Audit trail pages: the administrators' search. Each object's own page shows its
timeline through ``core/_timeline.html``. There is deliberately no page that edits or
deletes an event."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caicach.core.audit.forms import AuditSearchForm
from caicach.core.audit.queries import AuditFilters, describe, search
from caicach.core.permissions import require

PAGE_SIZE = 25


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.search_audit")
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = search(AuditFilters()).none()
    else:
        events = search(form.filters() if form.is_bound else AuditFilters())
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = describe(page_obj.object_list)
    return render(request, "core/audit/search.html", {"form": form, "page_obj": page_obj})
