"""Campaign pages and the plan download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caicach.core import rendering
from caicach.core.jobs import job_start
from caicach.core.models import User
from caicach.core.permissions import can, get_for_user
from caicach.core.queries.audit import timeline_for
from caicach.initiatives.documents.campaigns import campaign_plan_spec
from caicach.initiatives.models import Campaign
from caicach.initiatives.queries.campaigns import campaigns_for, campaigns_with_units
from caicach.initiatives.services.campaigns import campaign_publish
from caicach.initiatives.tasks.campaigns import CAMPAIGN_PLAN_PDF


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(campaigns_for(request.user).order_by("-window_start", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "initiatives/campaign_list.html", {"page_obj": page})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "view")
    context = {
        "campaign": campaign,
        "eligible_units": list(campaign.eligible_units.all()),
        "target_indices": list(campaign.target_indices.all()),
        "reform_fields": list(campaign.reform_fields.all()),
        "can_publish": campaign.status == "draft" and can(request.user, "publish", campaign),
        "events": timeline_for(campaign),
    }
    return render(request, "initiatives/campaign_detail.html", context)


@login_required
@require_GET
def campaign_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as DOCX, rendered from the campaign's data (python-docx alone: fast enough to
    answer in the request). The PDF goes through LibreOffice and is made in the background:
    see ``campaign_plan_pdf``."""
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "view")
    document = rendering.render(campaign_plan_spec(campaign), "docx")
    response = HttpResponse(document.content, content_type=document.content_type)
    disposition = content_disposition_header(as_attachment=True, filename=document.filename)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


@login_required
@require_POST
def campaign_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Start making the plan's PDF in the background and send the user to watch it."""
    campaign = get_for_user(request.user, Campaign.objects.all(), pk, "view")
    user = request.user
    assert isinstance(user, User)
    job = job_start(kind=CAMPAIGN_PLAN_PDF, actor=user, parameters={"campaign": campaign.pk}, total=1)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def campaign_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "publish")
    user = request.user
    assert isinstance(user, User)
    try:
        campaign = campaign_publish(campaign=campaign, actor=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        reference = campaign.registered_document.reference if campaign.registered_document else ""
        messages.success(request, _("Đã ban hành Kế hoạch số %(reference)s.") % {"reference": reference})
    return redirect("initiatives:campaign_detail", pk=campaign.pk)


urlpatterns: list[URLPattern] = [
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/plan.docx", campaign_plan, name="campaign_plan"),
    path("campaigns/<int:pk>/plan-pdf/", campaign_plan_pdf, name="campaign_plan_pdf"),
    path("campaigns/<int:pk>/publish/", campaign_publish_view, name="campaign_publish"),
]
