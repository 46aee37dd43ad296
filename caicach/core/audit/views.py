"""Audit trail pages: the administrators' search. Each object's own page shows its
timeline through ``core/_timeline.html``. There is deliberately no page that edits or
deletes an event."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caicach.core.audit.forms import AuditSearchForm
from caicach.core.audit.queries import AuditFilters, describe, search
from caicach.core.pagination import newest_first_page
from caicach.core.permissions import require

PAGE_SIZE = 25


@login_required
@require_GET  # a search: its filters travel in the query string, nothing is ever posted here
def audit_search(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.search_audit")
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = search(AuditFilters()).none()
    else:
        events = search(form.filters() if form.is_bound else AuditFilters())
    # Newest first, page after page from a cursor: no count over the whole trail.
    page = newest_first_page(events, request.GET.get("after"), PAGE_SIZE)
    page_obj = replace(page, object_list=describe(page.object_list))
    return render(request, "core/audit/search.html", {"form": form, "page_obj": page_obj})
