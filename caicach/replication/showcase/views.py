"""The public showcase (no login): published practices and recognised initiatives.

Caching: the list is the same for everyone and may be kept by browsers and shared proxies
for a minute. A practice's page counts its readers, so it is served with ``no-cache``: a
proxy may keep it but must ask the server again each time, and that request is what counts
(a beacon from a script would miss the readers without JavaScript, and a page cached
downstream would miss everyone)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from caicach.replication.showcase import queries, services
from caicach.replication.showcase.forms import ShowcaseFilterForm

PAGE_SIZE = 20
LIST_MAX_AGE = 60


@require_safe
def showcase_index(request: HttpRequest) -> HttpResponse:
    form = ShowcaseFilterForm(request.GET or None, choices=queries.filter_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    text = filters.get("q") or ""
    practices = queries.showcase_practices(
        text=text,
        field=filters.get("field"),
        index=filters.get("index"),
        unit=filters.get("unit"),
        year=filters.get("year"),
    )
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    initiatives = None
    if not filters.get("field") and not filters.get("index"):  # initiatives carry neither
        initiatives = Paginator(
            queries.showcase_initiatives(text=text, unit=filters.get("unit"), year=filters.get("year")),
            PAGE_SIZE,
        ).get_page(request.GET.get("trang_sang_kien"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("trang_sang_kien", None)
    response = render(
        request,
        "replication/showcase/index.html",
        {"form": form, "page": page, "initiatives": initiatives, "query": query.urlencode()},
    )
    patch_cache_control(response, public=True, max_age=LIST_MAX_AGE)
    return response


@require_safe
def showcase_practice(request: HttpRequest, pk: int) -> HttpResponse:
    practice = queries.practice_for_showcase(pk)
    if practice is None:
        raise Http404
    if services.count_request(practice=practice, request=request):
        practice.read_count += 1  # the row was updated in the database, not this object
    context = {
        "practice": practice,
        "applied": queries.applied_units(practice.pk),
        "initiative_url": reverse("showcase:initiative", args=[practice.initiative_id])
        if practice.initiative_id
        and queries.recognised_initiatives().filter(pk=practice.initiative_id).exists()
        else "",
    }
    response = render(request, "replication/showcase/practice.html", context)
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def showcase_initiative(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = queries.initiative_for_showcase(pk)
    if initiative is None:
        raise Http404
    recognition = initiative.recognition
    certificate = queries.valid_certificate(initiative)
    decision = recognition.decision
    context = {
        "initiative": initiative,
        "authors": [a.full_name for a in initiative.authorships.all()],
        "recognition": recognition,
        "decision": decision,
        "issuer": decision.campaign.issuing_unit if decision is not None and decision.campaign_id else None,
        "certificate_code": certificate.verification_code if certificate else "",
    }
    response = render(request, "replication/showcase/initiative.html", context)
    patch_cache_control(response, public=True, max_age=LIST_MAX_AGE)
    return response
