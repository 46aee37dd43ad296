"""Campaign pages and the plan download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caicach.core import rendering
from caicach.core.models import User
from caicach.core.permissions import can, get_for_user
from caicach.initiatives.documents import campaign_plan_spec
from caicach.initiatives.models import Campaign
from caicach.initiatives.queries import campaigns_for
from caicach.initiatives.services import campaign_publish


def _campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related(
        "issuing_unit__parent", "receiving_unit", "registered_document", "created_by"
    )


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(campaigns_for(request.user).order_by("-window_start", "-pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "initiatives/campaign_list.html", {"page_obj": page})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, _campaigns(), pk, "view")
    context = {
        "campaign": campaign,
        "eligible_units": list(campaign.eligible_units.all()),
        "target_indices": list(campaign.target_indices.all()),
        "reform_fields": list(campaign.reform_fields.all()),
        "can_publish": campaign.status == "draft" and can(request.user, "publish", campaign),
    }
    return render(request, "initiatives/campaign_detail.html", context)


@login_required
def campaign_plan(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    """The plan as DOCX or PDF, rendered from the campaign's data."""
    campaign = get_for_user(request.user, _campaigns(), pk, "view")
    try:
        document = rendering.render(campaign_plan_spec(campaign), "pdf" if fmt == "pdf" else "docx")
    except rendering.RenderingUnavailable:
        messages.error(
            request,
            _(
                "Máy chủ chưa cài LibreOffice hoặc phông chữ tiếng Việt (Times New Roman, Liberation Serif) "
                "để tạo bản PDF; vui lòng tải bản DOCX."
            ),
        )
        return redirect("initiatives:campaign_detail", pk=campaign.pk)
    response = HttpResponse(document.content, content_type=document.content_type)
    disposition = content_disposition_header(as_attachment=True, filename=document.filename)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


@login_required
@require_POST
def campaign_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, _campaigns(), pk, "publish")
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
