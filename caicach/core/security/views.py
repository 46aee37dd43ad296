"""The security log's search page, for system administrators only (404 for anyone else).
There is deliberately no page that edits or deletes an event."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caicach.core.pagination import newest_first_page
from caicach.core.permissions import require
from caicach.core.security.forms import SecuritySearchForm
from caicach.core.security.queries import SecurityFilters, detail_rows, search

PAGE_SIZE = 25


@login_required
@require_GET
def security_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.search_security_log")
    form = SecuritySearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = search(SecurityFilters()).none()
    else:
        events = search(form.filters() if form.is_bound else SecurityFilters())
    # Newest first, page after page from a cursor: no count over the whole log.
    page_obj = newest_first_page(events, request.GET.get("after"), PAGE_SIZE)
    rows = [(event, detail_rows(event.detail)) for event in page_obj.object_list]
    return render(request, "core/security/search.html", {"form": form, "page_obj": page_obj, "rows": rows})
