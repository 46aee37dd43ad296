"""Recognition pages: a campaign's outcomes with the decision, refusal letters and
certificates; certificate and document downloads; the authors' effectiveness reports."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.audit.queries import timeline_for
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.jobs.services import job_start
from caicach.core.middleware import absolute_url
from caicach.core.models import DocumentType, User
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import get_for_user, require
from caicach.core.versioning import stale_or
from caicach.core.web import add_service_errors, document_response, file_response, stale_action
from caicach.initiatives.campaigns.queries import campaigns_with_units
from caicach.initiatives.models import Campaign, EffectivenessReport, Recognition, ReportStatus, display_code
from caicach.initiatives.recognition.documents import (
    certificate_draft_pdf,
    certificate_pdf,
    decision_draft_spec,
    decision_spec,
    effectiveness_report_docx,
    refusal_letter_document,
    refusal_letter_spec,
)
from caicach.initiatives.recognition.forms import (
    CertificateRevokeForm,
    DecisionIssueForm,
    EffectivenessReportForm,
    RefusalLetterForm,
    VersionForm,
)
from caicach.initiatives.recognition.queries import (
    campaign_council,
    campaign_decisions,
    certificates_with_relations,
    decision_recognitions,
    decisions_with_relations,
    initiatives_for_report,
    recognition_page,
    recognition_summary,
    recognitions_awaiting_decision,
    recognitions_with_relations,
    reports_with_relations,
)
from caicach.initiatives.recognition.services import (
    certificate_issue,
    certificate_revoke,
    certificates_issue_all,
    certificates_pending,
    decision_input_errors,
    effectiveness_report_create,
    effectiveness_report_defaults,
    effectiveness_report_submit,
    effectiveness_report_update,
    recognition_decision_issue,
    refusal_letter_issue,
)
from caicach.initiatives.recognition.tasks import CERTIFICATES_ISSUE, bulk_issue_message

# Up to this many certificates are issued while the user waits; more go to a background job.
BULK_INLINE_LIMIT = 10


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _campaign_page(url_name: str, campaign: Campaign | int) -> HttpResponse:
    return redirect(url_name, pk=campaign if isinstance(campaign, int) else campaign.pk)


# --- The campaign's recognition page ----------------------------------------------------------------


def _recognition_page(
    request: HttpRequest, campaign: Campaign, *, decision_form: DecisionIssueForm | None = None
) -> HttpResponse:
    page = recognition_page(campaign, request.GET.get("page"))
    summary = recognition_summary(campaign)
    context: dict[str, Any] = {
        "campaign": campaign,
        "page_obj": page,
        "summary": summary,
        "decisions": list(campaign_decisions(campaign)),
        "decision_form": decision_form or DecisionIssueForm.for_campaign(campaign),
        "bulk_inline_limit": BULK_INLINE_LIMIT,
    }
    return render(request, "initiatives/recognition/campaign.html", context)


@login_required
@require_GET
def recognition_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "change")
    return _recognition_page(request, campaign)


def _decision_plan(campaign: Campaign, data: dict[str, Any], count: int) -> IssuePlan:
    issued_on: datetime.date = data["issued_on"]
    # The draft links print the signer the user typed, not only the plan's.
    signer = "?" + urlencode(
        {name: data[name] for name in ("signer_authority", "signer_title", "signer_name")}
    )
    return IssuePlan(
        unit=campaign.issuing_unit,
        document_type=DocumentType.DECISION,
        year=issued_on.year,
        title=_("Quyết định công nhận sáng kiến — %(campaign)s") % {"campaign": campaign.title},
        cancel_url=reverse("initiatives:recognition_campaign", args=[campaign.pk]),
        consequences=[
            _("Quyết định ban hành ngày %(day)s, công nhận %(count)s sáng kiến được Hội đồng công nhận.")
            % {"day": f"{issued_on:%d/%m/%Y}", "count": count},
            _("Tác giả của từng sáng kiến nhận thông báo; sau đó có thể cấp giấy chứng nhận."),
        ],
        previews=[
            (
                _("Dự thảo Quyết định (DOCX)"),
                reverse("initiatives:recognition_decision_draft", args=[campaign.pk, "docx"]) + signer,
            ),
            (
                _("Dự thảo Quyết định (PDF)"),
                reverse("initiatives:recognition_decision_draft", args=[campaign.pk, "pdf"]) + signer,
            ),
        ],
    )


@login_required
@require_POST
def recognition_decision_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The form on the campaign's page, then the confirmation naming the QĐ number."""
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "change")
    pending = recognitions_awaiting_decision(campaign)
    if not pending:
        return stale_action(
            request,
            _("Không còn sáng kiến nào chờ quyết định công nhận: quyết định có thể vừa được ban hành."),
            reverse("initiatives:recognition_campaign", args=[campaign.pk]),
        )
    form = DecisionIssueForm(request.POST)
    if form.is_valid():
        # A date or signer the service would refuse is said before any number is offered.
        errors = decision_input_errors(
            campaign, issued_on=form.cleaned_data["issued_on"], signer_title=form.cleaned_data["signer_title"]
        )
        if errors:
            add_service_errors(form, ValidationError(errors))
    if not form.is_valid():
        return _recognition_page(request, campaign, decision_form=form)

    def perform() -> HttpResponse:
        try:
            decision = recognition_decision_issue(
                campaign=campaign, actor=_actor(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return _recognition_page(request, campaign, decision_form=form)
        messages.success(
            request,
            _("Đã ban hành Quyết định số %(reference)s.")
            % {"reference": decision.registered_document.reference},
        )
        return _campaign_page("initiatives:recognition_campaign", campaign)

    plan = _decision_plan(campaign, form.cleaned_data, len(pending))
    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_GET
def recognition_decision_draft(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The next decision of the campaign as a draft (no number, no date), signed as the plan
    was: what the confirmation page offers to read before issuing."""
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "change")
    if fmt not in ("docx", "pdf"):
        raise Http404
    pending = recognitions_awaiting_decision(campaign)
    if not pending:
        return stale_action(
            request,
            _("Không còn sáng kiến nào chờ quyết định công nhận: quyết định có thể vừa được ban hành."),
            reverse("initiatives:recognition_campaign", args=[campaign.pk]),
        )
    spec = decision_draft_spec(
        campaign,
        pending,
        campaign_council(campaign.pk),
        signer_authority=request.GET.get("signer_authority", campaign.signer_authority),
        signer_title=request.GET.get("signer_title", campaign.signer_title),
        signer_name=request.GET.get("signer_name", campaign.signer_name),
    )
    try:
        return document_response(rendering.render(spec, "pdf" if fmt == "pdf" else "docx"))
    except rendering.RenderingUnavailable:
        return stale_action(
            request,
            _("Máy chủ chưa cài được công cụ tạo PDF; vui lòng tải bản DOCX."),
            reverse("initiatives:recognition_campaign", args=[campaign.pk]),
        )


def _certificates_plan(campaign: Campaign, count: int, *, draft_of: Recognition) -> IssuePlan:
    """``draft_of``: the recognition whose certificate the page offers as a draft to read (the
    first of a batch: every certificate of a campaign reads alike)."""
    today = clock.today()
    draft = reverse("initiatives:recognition_certificate_draft", args=[draft_of.pk])
    label = _("Dự thảo giấy chứng nhận (PDF)") if count == 1 else _("Dự thảo giấy chứng nhận đầu tiên (PDF)")
    return IssuePlan(
        previews=[(label, draft)],
        unit=campaign.issuing_unit,
        document_type=DocumentType.CERTIFICATE,
        year=today.year,
        count=count,
        title=_("Giấy chứng nhận sáng kiến — %(campaign)s") % {"campaign": campaign.title},
        cancel_url=reverse("initiatives:recognition_campaign", args=[campaign.pk]),
        consequences=[
            _("Cấp ngày %(day)s, mỗi giấy chứng nhận một số và một mã xác minh công khai.")
            % {"day": f"{today:%d/%m/%Y}"},
            _("Tác giả của từng sáng kiến nhận thông báo."),
        ],
    )


@login_required
@require_POST
def recognition_certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Certificates for every recognised initiative of the campaign that has none, after a
    confirmation naming the numbers: at once for a handful, as a background job with a
    progress bar for more."""
    campaign = get_for_user(request.user, campaigns_with_units(), pk, "change")
    pending = certificates_pending(campaign)
    if not pending:
        return stale_action(
            request,
            _("Không có sáng kiến nào đang chờ cấp giấy chứng nhận."),
            reverse("initiatives:recognition_campaign", args=[campaign.pk]),
        )

    def perform() -> HttpResponse:
        if len(pending) > BULK_INLINE_LIMIT:
            job = job_start(
                kind=CERTIFICATES_ISSUE,
                actor=_actor(request),
                parameters={"campaign": campaign.pk},
                total=len(pending),
            )
            return redirect("job_detail", pk=job.pk)
        result = certificates_issue_all(campaign=campaign, actor=_actor(request))
        if not result.issued and not result.failures:
            messages.info(request, _("Không có sáng kiến nào đang chờ cấp giấy chứng nhận."))
        elif result.failures:
            messages.warning(request, bulk_issue_message(result))
        else:
            messages.success(request, bulk_issue_message(result))
        return _campaign_page("initiatives:recognition_campaign", campaign)

    plan = _certificates_plan(campaign, len(pending), draft_of=pending[0])
    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_GET
def recognition_decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_for_user(request.user, decisions_with_relations(), pk, "view")
    spec = decision_spec(decision, decision_recognitions(decision), campaign_council(decision.campaign_id))
    return document_response(rendering.render(spec, "docx"))


# --- One outcome: refusal letter, certificate -------------------------------------------------------


def _back_to_campaign(recognition: Recognition) -> HttpResponse:
    campaign_id = recognition.initiative.campaign_id
    if campaign_id is None:
        return redirect(recognition.initiative)
    return _campaign_page("initiatives:recognition_campaign", campaign_id)


@login_required
@require_POST
def recognition_refusal_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The refusal letter's reasons on the campaign's page, then the confirmation naming the
    letter's number."""
    recognition = get_for_user(request.user, recognitions_with_relations(), pk, "manage")
    back = _back_to_campaign(recognition)["Location"]
    if recognition.refusal_letter_id is not None:
        return stale_action(request, _("Văn bản trả lời cho sáng kiến này đã được ban hành."), back)
    form = RefusalLetterForm(request.POST)
    if not form.is_valid():
        return stale_action(request, _("Vui lòng ghi rõ lý do không công nhận."), back)
    campaign = recognition.initiative.campaign
    if campaign is None:
        return stale_action(
            request, _("Sáng kiến không thuộc đợt phát động nào nên không thể ban hành văn bản."), back
        )

    def perform() -> HttpResponse:
        try:
            issued = refusal_letter_issue(
                recognition=recognition, actor=_actor(request), reasons=form.cleaned_data["reasons"]
            )
        except ValidationError as exc:
            return stale_action(request, exc, back)
        letter = issued.refusal_letter
        messages.success(
            request,
            _("Đã ban hành văn bản trả lời số %(reference)s.")
            % {"reference": letter.reference if letter else ""},
        )
        return redirect(back)

    plan = IssuePlan(
        unit=campaign.issuing_unit,
        drafting_unit=campaign.receiving_unit,
        document_type=DocumentType.OFFICIAL_LETTER,
        year=clock.today().year,
        title=_("Văn bản trả lời không công nhận sáng kiến “%(title)s”")
        % {"title": recognition.initiative.title},
        cancel_url=back,
        consequences=[_("Các tác giả nhận thông báo kèm lý do không công nhận.")],
    )
    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_GET
def recognition_refusal_docx(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = get_for_user(request.user, recognitions_with_relations(), pk, "view")
    if recognition.refusal_letter is None:
        raise Http404
    spec = refusal_letter_spec(recognition, campaign_council(recognition.initiative.campaign_id or 0))
    return document_response(refusal_letter_document(spec))


@login_required
@require_POST
def recognition_certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = get_for_user(request.user, recognitions_with_relations(), pk, "manage")
    decision = recognition.decision
    if decision is None or not recognition.recognised:
        return stale_action(
            request,
            _("Sáng kiến chưa có trong quyết định công nhận: vui lòng ban hành quyết định trước."),
            _back_to_campaign(recognition)["Location"],
        )
    if getattr(recognition, "certificate", None) is not None:
        return stale_action(
            request,
            _("Sáng kiến này đã được cấp giấy chứng nhận."),
            _back_to_campaign(recognition)["Location"],
        )
    plan = _certificates_plan(decision.campaign, 1, draft_of=recognition)
    plan = dataclasses.replace(
        plan, title=_("Giấy chứng nhận sáng kiến “%(title)s”") % {"title": recognition.initiative.title}
    )

    def perform() -> HttpResponse:
        try:
            certificate = certificate_issue(recognition=recognition, actor=_actor(request))
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(
                request,
                _("Đã cấp giấy chứng nhận số %(reference)s.")
                % {"reference": certificate.registered_document.reference},
            )
        return _back_to_campaign(recognition)

    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_GET
def recognition_certificate_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate a recognised initiative would receive today, as a draft PDF without
    number or code: what the confirmation page offers to read before issuing."""
    recognition = get_for_user(request.user, recognitions_with_relations(), pk, "manage")
    back = _back_to_campaign(recognition)["Location"]
    if recognition.decision is None or not recognition.recognised:
        message = _("Sáng kiến chưa có trong quyết định công nhận: vui lòng ban hành quyết định trước.")
        return stale_action(request, message, back)
    if getattr(recognition, "certificate", None) is not None:
        return stale_action(request, _("Sáng kiến này đã được cấp giấy chứng nhận."), back)
    try:
        return document_response(certificate_draft_pdf(recognition, issued_on=clock.today()))
    except rendering.RenderingUnavailable:
        return stale_action(
            request,
            _(
                "Máy chủ chưa cài phông chữ tiếng Việt (Times New Roman, Liberation Serif) để in "
                "giấy chứng nhận."
            ),
            back,
        )


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_for_user(request.user, certificates_with_relations(), pk, "download")
    url = absolute_url(reverse("verification:certificate", kwargs={"code": certificate.verification_code}))
    try:
        document = certificate_pdf(certificate, verification_url=url)
    except rendering.RenderingUnavailable:
        messages.error(
            request,
            _(
                "Máy chủ chưa cài phông chữ tiếng Việt (Times New Roman, Liberation Serif) để in "
                "giấy chứng nhận."
            ),
        )
        return redirect(certificate.recognition.initiative)
    return file_response(document.content, document.filename, document.content_type)


@login_required
@require_POST
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_for_user(request.user, certificates_with_relations(), pk, "revoke")
    form = CertificateRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nêu lý do thu hồi giấy chứng nhận."))
    else:
        try:
            certificate = certificate_revoke(
                certificate=certificate, actor=_actor(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(
                request,
                _("Đã thu hồi giấy chứng nhận số %(reference)s (mã %(code)s).")
                % {
                    "reference": certificate.registered_document.reference,
                    "code": display_code(certificate.verification_code),
                },
            )
    return _back_to_campaign(certificate.recognition)


# --- Effectiveness reports (seed 000) ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def effectiveness_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_for_user(request.user, initiatives_for_report(), pk, "report_effectiveness")
    if request.method == "POST":
        form = EffectivenessReportForm(request.POST, creating=True)
        if form.is_valid():
            try:
                with once(request, form) as submission:
                    report = effectiveness_report_create(
                        initiative=initiative, actor=_actor(request), data=form.report_data()
                    )
                    submission.created(reverse("initiatives:effectiveness_detail", args=[report.pk]))
            except AlreadySubmitted as repeat:
                return repeat.response(request)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu bản nháp báo cáo hiệu quả áp dụng."))
                return redirect("initiatives:effectiveness_detail", pk=report.pk)
    else:
        form = EffectivenessReportForm(initial=effectiveness_report_defaults(initiative), creating=True)
    return render(
        request,
        "initiatives/recognition/effectiveness_form.html",
        {"form": form, "initiative": initiative, "report": None},
    )


@login_required
@require_GET
def effectiveness_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(request.user, reports_with_relations(), pk, "view")
    return render(
        request,
        "initiatives/recognition/effectiveness_detail.html",
        {
            "report": report,
            "initiative": report.initiative,
            "authors": list(report.initiative.authorships.all()),
            "submit_form": VersionForm(initial={"version": report.version}),
            "events": timeline_for(report),
        },
    )


def _report_sent(request: HttpRequest, report: EffectivenessReport) -> HttpResponse:
    return stale_action(
        request,
        _("Báo cáo đã được gửi; không sửa được nữa."),
        reverse("initiatives:effectiveness_detail", args=[report.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def effectiveness_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(request.user, reports_with_relations(), pk, "view")
    if report.status != ReportStatus.DRAFT:
        return _report_sent(request, report)
    require(request.user, "change", report)
    form = EffectivenessReportForm.for_report(report, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            effectiveness_report_update(
                report=report,
                actor=_actor(request),
                data=form.report_data(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu báo cáo hiệu quả áp dụng."))
            return redirect("initiatives:effectiveness_detail", pk=report.pk)
    return render(
        request,
        "initiatives/recognition/effectiveness_form.html",
        {
            "form": form,
            "initiative": report.initiative,
            "report": report,
        },
    )


@login_required
@require_POST
def effectiveness_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(request.user, reports_with_relations(), pk, "view")
    if report.status != ReportStatus.DRAFT:
        return _report_sent(request, report)
    require(request.user, "submit", report)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return stale_action(
            request,
            stale_or(form, _("Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại.")),
            reverse("initiatives:effectiveness_detail", args=[report.pk]),
        )
    try:
        effectiveness_report_submit(
            report=report, actor=_actor(request), version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Đã gửi báo cáo hiệu quả áp dụng."))
    return redirect("initiatives:effectiveness_detail", pk=report.pk)


@login_required
@require_GET
def effectiveness_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(request.user, reports_with_relations(), pk, "view")
    return document_response(effectiveness_report_docx(report))
