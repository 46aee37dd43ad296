"""Document register pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caicach.core.models import User
from caicach.core.pagination import CappedPaginator
from caicach.core.permissions import require, scope_key
from caicach.core.register import queries
from caicach.core.register.forms import RegisterFilterForm

PAGE_SIZE = 25


@login_required
def document_register(request: HttpRequest) -> HttpResponse:
    """The register of issued documents, filtered by unit, type and year."""
    require(request.user, "core.view_register")
    user = request.user
    assert isinstance(user, User)
    form = RegisterFilterForm(
        request.GET or None,
        units=queries.register_units(user),
        years=queries.register_years(user),
        options_key=scope_key(user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    documents = queries.registered_documents(
        user,
        unit=filters.get("unit"),
        document_type=filters.get("document_type") or "",
        year=filters.get("year"),
    )
    page_obj = CappedPaginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/register/list.html", {"form": form, "page_obj": page_obj})
