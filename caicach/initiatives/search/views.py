"""Finding dossiers: the initiatives list with its filters and search, and its Excel export
(in the request for a few rows, as a background job with a progress bar for many)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from caicach.core.jobs.services import job_start
from caicach.core.models import SecurityKind, User
from caicach.core.pagination import kept_page, list_key
from caicach.core.permissions import can, get_for_user, require
from caicach.core.security import services as security_log
from caicach.core.web import acting_user, file_response
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.models import Initiative
from caicach.initiatives.search import queries as search_queries
from caicach.initiatives.search.forms import InitiativeFilterForm
from caicach.initiatives.search.rows import shown_rows
from caicach.initiatives.search.similar import similar_to
from caicach.initiatives.search.tasks import INITIATIVES_EXPORT

PAGE_SIZE = 25
SEARCH_CAP = 1000  # "Hơn 1.000 hồ sơ": counting further read every match of a common phrase
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.view_initiatives")
    form = InitiativeFilterForm(request.GET, user=request.user)
    filters = form.filters()
    cap, ordering = search_queries.page_options(filters, search_cap=SEARCH_CAP)
    # The page's rows are their cells, written once and kept by the page's keys.
    page_obj = kept_page(
        list_key("initiative list", request.user, filters),
        lambda: search_queries.initiative_page_rows(request.user, filters),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        rows_of=shown_rows,
        cap=cap,
        ordering=ordering,
    )
    context = {
        "form": form,
        "page_obj": page_obj,
        "query": request.GET.urlencode(),
        "can_create_campaign": can(request.user, "initiatives.create_campaign"),
        "can_create_initiative": can(request.user, "initiatives.create_initiative"),
    }
    htmx = getattr(request, "htmx", False)
    template = "initiatives/search/_table.html" if htmx else "initiatives/search/list.html"
    return render(request, template, context)


@login_required
@require_POST
def initiative_export(request: HttpRequest) -> HttpResponse:
    """The list's filters come in the query string, exactly as on the list page."""
    require(request.user, "initiatives.view_initiatives")
    user = request.user
    assert isinstance(user, User)
    form = InitiativeFilterForm(request.GET, user=user)
    rows = search_queries.initiative_rows(user, form.filters())
    if rows.count() > search_queries.EXPORT_INLINE_LIMIT:
        # The job re-reads the filters and the user's rights when it runs.
        job = job_start(kind=INITIATIVES_EXPORT, actor=user, parameters={"query": request.GET.urlencode()})
        return redirect("job_detail", pk=job.pk)
    security_log.record(
        SecurityKind.PERSONAL_DATA_EXPORT, export="initiatives", query=request.GET.urlencode()
    )
    return file_response(search_queries.export_xlsx(rows), search_queries.export_filename(), XLSX_TYPE)


@login_required
@require_GET
def initiative_similar(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossiers most like this one (loaded into its page after it shows, or opened on
    its own without JavaScript). Those the reader may open are links; of the others the
    reader sees the title, the unit and the year, which a sent dossier shares with its
    council and its receiving office anyway."""
    user = acting_user(request)
    initiative = get_for_user(user, Initiative.objects.all(), pk, "view")
    found = similar_to(initiative)
    visible = set(
        initiatives_for(user)
        .filter(pk__in=[entry.initiative.pk for entry in found])
        .values_list("pk", flat=True)
    )
    context = {"initiative": initiative, "similar": found, "visible": visible}
    htmx = getattr(request, "htmx", False)
    template = "initiatives/search/_similar.html" if htmx else "initiatives/search/similar.html"
    return render(request, template, context)
