"""Campaign pages: the list, the page of one campaign with its live table of eligible
units, creating and editing the draft, publishing, extending or reopening the submission
window, closing, and the plan download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.audit.queries import timeline_for
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.jobs.services import job_start
from caicach.core.models import DocumentType
from caicach.core.once import AlreadySubmitted, once
from caicach.core.pagination import kept_page, list_key
from caicach.core.permissions import acting_unit_ids, can, get_for_user, require
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, document_response, stale_action
from caicach.initiatives.campaigns.documents import campaign_plan_spec
from caicach.initiatives.campaigns.forms import (
    CampaignForm,
    CloseCampaignForm,
    ExtendWindowForm,
    implementation_formset,
    implementation_items,
)
from caicach.initiatives.campaigns.queries import campaign_progress, campaigns_with_units, window_state
from caicach.initiatives.campaigns.rows import campaign_rows_of
from caicach.initiatives.campaigns.services import (
    campaign_close,
    campaign_create,
    campaign_extend_window,
    campaign_publish,
    campaign_update,
)
from caicach.initiatives.campaigns.tasks import CAMPAIGN_PLAN_PDF
from caicach.initiatives.dossiers.rules import campaigns_for
from caicach.initiatives.models import Campaign, CampaignStatus


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    page = kept_page(
        list_key("campaign list", request.user),
        lambda: campaigns_for(request.user).order_by("-window_start", "-pk"),
        request.GET.get("page"),
        per_page=25,
        rows_of=campaign_rows_of,
    )
    return render(
        request,
        "initiatives/campaigns/list.html",
        {"page_obj": page, "can_create": can(request.user, "initiatives.create_campaign")},
    )


def _units_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    state, state_text = window_state(campaign, clock.today())
    return {
        "campaign": campaign,
        "progress": campaign_progress(campaign, request.GET.get("page")),
        "window_state": state,
        "window_state_text": state_text,
        # Only an issued, still running campaign changes under the reader's eyes.
        "live": campaign.status == CampaignStatus.PUBLISHED,
    }


def _may_submit_dossier(request: HttpRequest, campaign: Campaign) -> bool:
    """Staff and heads of an eligible unit, while the window is open."""
    if not campaign.accepts_submissions(clock.today()):
        return False
    units = acting_unit_ids(request.user)
    eligible = campaign.eligible_units.all()
    return eligible.exists() if units is None else bool(units) and eligible.filter(pk__in=units).exists()


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, campaigns_with_units().select_related("rubric"), pk, "view")
    may_change = can(request.user, "change", campaign)
    context = {
        **_units_context(request, campaign),
        "target_indices": list(campaign.target_indices.all()),
        "reform_fields": list(campaign.reform_fields.all()),
        "implementation": [item for item in campaign.implementation if isinstance(item, dict)],
        "can_edit": campaign.status == CampaignStatus.DRAFT and may_change,
        "can_publish": campaign.status == CampaignStatus.DRAFT and can(request.user, "publish", campaign),
        "can_extend": campaign.status != CampaignStatus.DRAFT and may_change,
        "can_close": campaign.status == CampaignStatus.PUBLISHED and may_change,
        "can_submit_dossier": _may_submit_dossier(request, campaign),
        "events": timeline_for(campaign),
    }
    return render(request, "initiatives/campaigns/detail.html", context)


@login_required
@require_GET
def campaign_units(request: HttpRequest, pk: int) -> HttpResponse:
    """The live table of eligible units alone: what the campaign page polls every 30 s."""
    campaign = get_for_user(request.user, Campaign.objects.all(), pk, "view")
    return render(request, "initiatives/campaigns/_units.html", _units_context(request, campaign))


def _campaign_form_page(
    request: HttpRequest, *, campaign: Campaign | None, initial: dict[str, Any] | None = None
) -> HttpResponse:
    """Create (``campaign`` None) or edit a draft: the form, the repeated rows of section III,
    one service call."""
    user = acting_user(request)
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, instance=campaign, actor=user, initial=initial)
    formset = implementation_formset(data, campaign=campaign)
    if data is not None and form.is_valid() and formset.is_valid():
        service_data = form.service_data(implementation_items(formset))
        try:
            with once(request, form, editing=campaign is not None) as submission:
                if campaign is None:
                    saved = campaign_create(actor=user, data=service_data)
                else:
                    saved = campaign_update(
                        campaign=campaign, actor=user, data=service_data, version=form.cleaned_data["version"]
                    )
                submission.created(reverse("initiatives:campaign_detail", args=[saved.pk]))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if campaign is None:
                messages.success(request, _("Đã lập dự thảo kế hoạch phát động."))
            else:
                messages.success(request, _("Đã lưu dự thảo kế hoạch phát động."))
            return redirect("initiatives:campaign_detail", pk=saved.pk)
    return render(
        request, "initiatives/campaigns/form.html", {"form": form, "formset": formset, "campaign": campaign}
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.create_campaign")
    user = acting_user(request)
    return _campaign_form_page(request, campaign=None, initial={"issuing_unit": user.unit_id})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "change")
    if campaign.status != CampaignStatus.DRAFT:
        return stale_action(request, _("Kế hoạch đã ban hành, không thể sửa nội dung."), campaign)
    return _campaign_form_page(request, campaign=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_extend_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Gia hạn / mở lại: a new last day and the reason."""
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "change")
    if campaign.status == CampaignStatus.DRAFT:
        return stale_action(
            request, _("Kế hoạch chưa ban hành: hãy sửa thời gian nhận sáng kiến trong dự thảo."), campaign
        )
    form = ExtendWindowForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_extend_window(
                campaign=campaign,
                actor=acting_user(request),
                new_end=form.cleaned_data["new_end"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã gia hạn nhận sáng kiến đến hết ngày %(end)s.")
                % {"end": f"{campaign.window_end:%d/%m/%Y}"},
            )
            return redirect("initiatives:campaign_detail", pk=campaign.pk)
    return render(request, "initiatives/campaigns/extend.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, Campaign.objects.all(), pk, "change")
    form = CloseCampaignForm(request.POST)
    if not form.is_valid():
        message = stale_or(form, _("Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại."))
        return stale_action(request, message, campaign)
    try:
        campaign_close(campaign=campaign, actor=acting_user(request), version=form.cleaned_data["version"])
    except ValidationError as error:
        # Closed meanwhile, or edited in another tab: said on the campaign's page.
        return stale_action(request, error, campaign)
    messages.success(request, _("Đã kết thúc đợt phát động."))
    return redirect("initiatives:campaign_detail", pk=campaign.pk)


@login_required
@require_GET
def campaign_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as DOCX, rendered from the campaign's data (python-docx alone: fast enough to
    answer in the request). The PDF goes through LibreOffice and is made in the background:
    see ``campaign_plan_pdf``."""
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "view")
    return document_response(rendering.render(campaign_plan_spec(campaign), "docx"))


@login_required
@require_POST
def campaign_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Start making the plan's PDF in the background and send the user to watch it."""
    campaign = get_for_user(request.user, Campaign.objects.all(), pk, "view")
    job = job_start(
        kind=CAMPAIGN_PLAN_PDF, actor=acting_user(request), parameters={"campaign": campaign.pk}, total=1
    )
    return redirect("job_detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Issuing the plan: a confirmation naming the KH number it will take, then the issue."""
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "view")
    if campaign.status != CampaignStatus.DRAFT:
        return stale_action(request, _("Kế hoạch này đã được ban hành."), campaign)
    require(request.user, "publish", campaign)
    plan = IssuePlan(
        unit=campaign.issuing_unit,
        document_type=DocumentType.PLAN,
        year=clock.today().year,
        title=_("Kế hoạch %(title)s") % {"title": campaign.title},
        cancel_url=campaign.get_absolute_url(),
        consequences=[
            _("Kế hoạch được ban hành ngày %(day)s; dự thảo không sửa được nữa.")
            % {"day": f"{clock.today():%d/%m/%Y}"},
            _("Lãnh đạo và cán bộ các đơn vị tham gia nhận thông báo về đợt phát động."),
        ],
        previews=[(_("Dự thảo Kế hoạch (DOCX)"), reverse("initiatives:campaign_plan", args=[campaign.pk]))],
        preview_jobs=[
            (_("Tạo bản PDF của dự thảo"), reverse("initiatives:campaign_plan_pdf", args=[campaign.pk]))
        ],
    )

    def perform() -> HttpResponse:
        try:
            published = campaign_publish(campaign=campaign, actor=acting_user(request))
        except ValidationError as exc:
            return stale_action(request, exc, campaign)
        reference = published.registered_document.reference if published.registered_document else ""
        messages.success(request, _("Đã ban hành Kế hoạch số %(reference)s.") % {"reference": reference})
        return redirect("initiatives:campaign_detail", pk=published.pk)

    return issue_or_confirm(request, plan, perform=perform)
