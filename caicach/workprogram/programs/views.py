"""Work program pages: programs and their items, the Excel import, the item lifecycle and the
adjustment requests with their two documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.audit.queries import timeline_for
from caicach.core.downloads import content_disposition
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.jobs.services import job_start
from caicach.core.models import DocumentType, Role, Unit
from caicach.core.once import AlreadySubmitted, once
from caicach.core.pagination import kept_page, list_key
from caicach.core.permissions import can, get_for_user, jurisdictions_of, principal, require
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, document_response, stale_action
from caicach.workprogram.models import (
    AdjustmentReason,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
    WorkProgram,
    adjustment_subject,
)
from caicach.workprogram.programs.documents import decision_spec, request_spec
from caicach.workprogram.programs.forms import (
    APPROVE,
    AdditionRequestForm,
    AdjustmentRequestForm,
    DecisionForm,
    HeadApprovalForm,
    HeadReturnForm,
    ItemFilterForm,
    ItemForm,
    ItemIssueForm,
    ItemSubmitForm,
    ProgramForm,
    ProgramImportForm,
    ProgramSettingsForm,
    ReasonForm,
    RevisionForm,
)
from caicach.workprogram.programs.imports import XLSX_CONTENT_TYPE, import_template_xlsx
from caicach.workprogram.programs.queries import (
    ItemFilters,
    committees_for_office,
    is_overdue,
    item_detail_queryset,
    overdue_q,
    program_items,
    program_page,
    request_detail_queryset,
    request_list_rows,
    settings_for,
)
from caicach.workprogram.programs.rows import item_rows_of
from caicach.workprogram.programs.rules import (
    program_items_for,
    program_requests_for,
    requests_for,
)
from caicach.workprogram.programs.services import (
    adjustment_reason_create,
    adjustment_reason_update,
    adjustment_request_approve,
    adjustment_request_approve_submission,
    adjustment_request_file,
    adjustment_request_reject,
    adjustment_request_return,
    adjustment_request_revise,
    item_create,
    item_issue,
    item_submit,
    item_update,
    program_create,
    program_settings_update,
    program_update,
)
from caicach.workprogram.programs.tasks import PROGRAM_IMPORT

PAGE_SIZE = 25


# --- Programs -------------------------------------------------------------------------------------


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "workprogram.view_programs")
    page_obj = program_page(request.user, request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "can_create": can(request.user, "workprogram.create_program"),
        "can_manage_settings": can(request.user, "workprogram.manage_settings"),
        "pending_count": requests_for(request.user).filter(status=RequestStatus.PENDING).count(),
    }
    return render(request, "workprogram/programs/program_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def program_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "workprogram.create_program")
    form = ProgramForm(request.POST or None, user=acting_user(request), initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                program = program_create(actor=acting_user(request), data=form.service_data())
                submission.created(program)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo chương trình “%(title)s”.") % {"title": program.title})
            return redirect(program)
    return render(request, "workprogram/programs/program_form.html", {"form": form, "program": None})


@login_required
@require_http_methods(["GET", "POST"])
def program_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_for_user(request.user, WorkProgram.objects.select_related("issuing_unit"), pk, "change")
    form = ProgramForm(request.POST or None, user=acting_user(request), program=program)
    if request.method == "POST" and form.is_valid():
        try:
            program = program_update(
                actor=acting_user(request),
                program=program,
                data=form.service_data(),
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu chương trình."))
            return redirect(program)
    return render(request, "workprogram/programs/program_form.html", {"form": form, "program": program})


def _status_counts(user: Any, program: WorkProgram, today: Any, grace: int) -> dict[str, int]:
    """Per status, the program's items the user sees, plus the derived overdue (one query)."""
    aggregates = {status.value: Count("pk", filter=Q(status=status.value)) for status in ItemStatus}
    overdue = Count("pk", filter=overdue_q(today, grace))
    return program_items_for(user, program).aggregate(total=Count("pk"), overdue=overdue, **aggregates)


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The rule decides (``get_for_user``): ``programs_for``'s scope would only repeat it in SQL.
    program = get_for_user(request.user, WorkProgram.objects.select_related("issuing_unit"), pk, "view")
    form = ItemFilterForm(request.GET or None, program=program)
    today = clock.today()
    filters = ItemFilters()
    if form.is_valid():
        filters = ItemFilters(
            lead_unit=form.cleaned_data.get("lead_unit"),
            status=form.cleaned_data.get("status") or "",
            month=form.month_date(),
            submission_kind=form.cleaned_data.get("submission_kind") or "",
            supervising_leader=form.cleaned_data.get("supervising_leader"),
            search=form.cleaned_data.get("q") or "",
        )
    grace = settings_for(program.issuing_unit_id).overdue_grace_days

    def items() -> QuerySet[ProgramItem]:
        return program_items(request.user, program, filters, today=today, grace=grace)

    # Counted and its page's keys found once while the items are unchanged, the rows then made
    # from the keys (written once, kept): sorting the joined rows made the planner hash every
    # unit of the country.
    page_obj = kept_page(
        list_key("program items", request.user, program, filters, today, grace),
        items,
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        rows_of=item_rows_of(items, today=today, grace=grace),
    )
    context = {
        "program": program,
        "form": form,
        "page_obj": page_obj,
        "today": today,
        "can_manage": can(request.user, "change", program),
        "can_propose": can(request.user, "propose_item", program),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "item-table":
        return render(request, "workprogram/programs/_item_table.html", context)
    context["counts"] = _status_counts(request.user, program, today, grace)
    context["pending_count"] = (
        program_requests_for(request.user, program).filter(status=RequestStatus.PENDING).count()
    )
    return render(request, "workprogram/programs/program_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def program_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_for_user(request.user, WorkProgram.objects.select_related("issuing_unit"), pk, "import")
    form = ProgramImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Checked and written in the background; the job page shows the progress, then the
        # row errors or the way back to the program.
        job = job_start(
            kind=PROGRAM_IMPORT,
            actor=acting_user(request),
            parameters={
                "program": program.pk,
                "done_url": program.get_absolute_url(),
                "retry_url": reverse("workprogram:program_import", args=[program.pk]),
            },
            upload=form.cleaned_data["file"],
        )
        return redirect("job_detail", pk=job.pk)
    return render(request, "workprogram/programs/program_import.html", {"form": form, "program": program})


@login_required
@require_GET
def program_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_for_user(request.user, WorkProgram.objects.select_related("issuing_unit"), pk, "import")
    filename = f"Mẫu chương trình công tác {program.year}.xlsx"
    return HttpResponse(
        import_template_xlsx(program),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition(filename)},
    )


# --- Items ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_for_user(request.user, WorkProgram.objects.select_related("issuing_unit"), pk, "add_item")
    form = ItemForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                item = item_create(actor=acting_user(request), program=program, data=form.service_data())
                submission.created(item)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm nội dung vào chương trình."))
            return redirect(item)
    return render(
        request, "workprogram/programs/item_form.html", {"form": form, "program": program, "item": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(request.user, item_detail_queryset(), pk, "change")
    form = ItemForm(request.POST or None, program=item.program, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = item_update(
                actor=acting_user(request),
                item=item,
                data=form.service_data(),
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu nội dung."))
            return redirect(item)
    return render(
        request, "workprogram/programs/item_form.html", {"form": form, "program": item.program, "item": item}
    )


def _item_context(request: HttpRequest, item: ProgramItem, **forms: Any) -> dict[str, Any]:
    today = clock.today()
    grace = settings_for(item.program.issuing_unit_id).overdue_grace_days
    user = request.user
    planned = item.status == ItemStatus.PLANNED
    context: dict[str, Any] = {
        "item": item,
        "program": item.program,
        "coordinating_units": list(item.coordinating_units.all()),
        "is_overdue": is_overdue(item, today, grace),
        "events": timeline_for(item),
        "requests": list(requests_for(user).filter(item=item).order_by("-created_at", "-pk")),
        "can_change": can(user, "change", item),
        "can_submit": planned and can(user, "submit", item),
        "can_issue": item.status == ItemStatus.SUBMITTED and can(user, "issue", item),
        "can_request": planned and can(user, "request_adjustment", item),
    }
    if context["can_submit"]:
        context["submit_form"] = forms.get("submit_form") or ItemSubmitForm(version=item.version)
    if context["can_issue"]:
        context["issue_form"] = forms.get("issue_form") or ItemIssueForm(version=item.version)
    return context


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(request.user, item_detail_queryset(), pk, "view")
    return render(request, "workprogram/programs/item_detail.html", _item_context(request, item))


@login_required
@require_POST
def item_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(request.user, item_detail_queryset(), pk, "submit")
    form = ItemSubmitForm(request.POST)
    if form.is_valid():
        try:
            item_submit(
                actor=acting_user(request),
                item=item,
                submitted_on=form.cleaned_data["submitted_on"],
                reference=form.cleaned_data["reference"],
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận việc trình nội dung."))
            return redirect(item)
    return render(
        request,
        "workprogram/programs/item_detail.html",
        _item_context(request, item, submit_form=form),
        status=400,
    )


@login_required
@require_POST
def item_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(request.user, item_detail_queryset(), pk, "issue")
    form = ItemIssueForm(request.POST)
    if form.is_valid():
        try:
            item_issue(
                actor=acting_user(request),
                item=item,
                issued_on=form.cleaned_data["issued_on"],
                reference=form.cleaned_data["reference"],
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận việc ban hành."))
            return redirect(item)
    return render(
        request,
        "workprogram/programs/item_detail.html",
        _item_context(request, item, issue_form=form),
        status=400,
    )


# --- Adjustment requests --------------------------------------------------------------------------


def _filed_message(adjustment: AdjustmentRequest) -> str:
    if adjustment.status == RequestStatus.AWAITING_HEAD:
        return _("Đã gửi dự thảo đề nghị; lãnh đạo đơn vị sẽ duyệt, ký Tờ trình trước khi gửi lãnh đạo UBND.")
    reference = adjustment.request_document.reference if adjustment.request_document else ""
    return _("Đã gửi Tờ trình số %(reference)s; lãnh đạo phụ trách đã được thông báo.") % {
        "reference": reference
    }


@login_required
@require_http_methods(["GET", "POST"])
def request_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(request.user, item_detail_queryset(), pk, "request_adjustment")
    form = AdjustmentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                adjustment = adjustment_request_file(
                    actor=acting_user(request), program=item.program, item=item, **form.service_data()
                )
                submission.created(adjustment)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _filed_message(adjustment))
            return redirect(adjustment)
    return render(
        request,
        "workprogram/programs/request_form.html",
        {"form": form, "item": item, "program": item.program},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_for_user(
        request.user, WorkProgram.objects.select_related("issuing_unit"), pk, "propose_item"
    )
    form = AdditionRequestForm(request.POST or None, program=program, user=acting_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                adjustment = adjustment_request_file(
                    actor=acting_user(request), program=program, **form.service_data()
                )
                submission.created(adjustment)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _filed_message(adjustment))
            return redirect(adjustment)
    return render(
        request, "workprogram/programs/request_form.html", {"form": form, "item": None, "program": program}
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", RequestStatus.PENDING)
    if status not in RequestStatus.values:
        status = ""
    page_obj = Paginator(request_list_rows(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workprogram/programs/request_list.html",
        {"page_obj": page_obj, "status": status, "statuses": RequestStatus.choices},
    )


def _request_context(
    request: HttpRequest,
    adjustment: AdjustmentRequest,
    form: DecisionForm | None = None,
    return_form: HeadReturnForm | None = None,
) -> dict[str, Any]:
    can_decide = can(request.user, "decide", adjustment)
    can_approve = can(request.user, "approve_submission", adjustment)
    return {
        "adjustment": adjustment,
        "program": adjustment.program,
        "can_decide": can_decide,
        "can_approve": can_approve,
        "can_revise": can(request.user, "revise", adjustment),
        "approval_form": HeadApprovalForm(request_obj=adjustment) if can_approve else None,
        "return_form": return_form or (HeadReturnForm(request_obj=adjustment) if can_approve else None),
        "form": form or (DecisionForm(request_obj=adjustment) if can_decide else None),
        "events": timeline_for(adjustment),
        "coordinating_units": list(
            Unit.objects.filter(pk__in=adjustment.proposed_data.get("coordinating_units", [])).order_by(
                "code"
            )
        ),
    }


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = get_for_user(request.user, request_detail_queryset(), pk, "view")
    return render(request, "workprogram/programs/request_detail.html", _request_context(request, adjustment))


@login_required
@require_POST
def request_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = get_for_user(request.user, request_detail_queryset(), pk, "view")
    if adjustment.status != RequestStatus.PENDING:
        return stale_action(request, _stale_message(adjustment), adjustment)
    require(request.user, "decide", adjustment)
    form = DecisionForm(request.POST, request_obj=adjustment)
    if form.is_valid():
        decide = (
            adjustment_request_approve
            if form.cleaned_data["decision"] == APPROVE
            else adjustment_request_reject
        )
        try:
            adjustment = decide(
                actor=acting_user(request),
                request=adjustment,
                note=form.cleaned_data["note"],
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi nhận quyết định: %(status)s.") % {"status": adjustment.get_status_display()},
            )
            return redirect(adjustment)
    return render(
        request,
        "workprogram/programs/request_detail.html",
        _request_context(request, adjustment, form),
        status=400,
    )


def _docx(spec: rendering.DocumentSpec) -> HttpResponse:
    document = rendering.render(spec, "docx")
    return HttpResponse(
        document.content,
        content_type=document.content_type,
        headers={"Content-Disposition": content_disposition(document.filename)},
    )


@login_required
@require_GET
def request_document(request: HttpRequest, pk: int, fmt: str = "docx") -> HttpResponse:
    """The lead unit's Tờ trình, as DOCX or PDF: a draft (no number, no date) until the unit
    head approves it."""
    adjustment = get_for_user(request.user, request_detail_queryset(), pk, "view")
    if fmt == "docx":
        return _docx(request_spec(adjustment))
    try:
        return document_response(rendering.render(request_spec(adjustment), "pdf"))
    except rendering.RenderingUnavailable:
        return stale_action(
            request, _("Máy chủ chưa cài được công cụ tạo PDF; vui lòng tải bản DOCX."), adjustment
        )


def _stale_message(adjustment: AdjustmentRequest) -> str:
    if adjustment.status in (RequestStatus.APPROVED, RequestStatus.REJECTED):
        return _("Đề nghị này đã được quyết định (%(status)s); trang đã được cập nhật.") % {
            "status": adjustment.get_status_display()
        }
    return _("Đề nghị này đang ở trạng thái “%(status)s”; thao tác không còn áp dụng.") % {
        "status": adjustment.get_status_display()
    }


@login_required
@require_POST
def request_approve_submission_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit head approves the staff's draft: a confirmation naming the Tờ trình's number,
    then it is issued under the head's signature and goes to the leader."""
    adjustment = get_for_user(request.user, request_detail_queryset(), pk, "view")
    if adjustment.status != RequestStatus.AWAITING_HEAD:
        return stale_action(request, _stale_message(adjustment), adjustment)
    require(request.user, "approve_submission", adjustment)
    form = HeadApprovalForm(request.POST, request_obj=adjustment)
    if not form.is_valid():
        return stale_action(
            request, stale_or(form, _("Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại.")), adjustment
        )
    today = clock.today()
    plan = IssuePlan(
        unit=adjustment.lead_unit,
        document_type=DocumentType.SUBMISSION,
        year=today.year,
        title=_("Tờ trình %(subject)s") % {"subject": adjustment_subject(adjustment)},
        cancel_url=adjustment.get_absolute_url(),
        consequences=[
            _("Tờ trình ban hành ngày %(day)s dưới chữ ký của %(head)s.")
            % {"day": f"{today:%d/%m/%Y}", "head": acting_user(request).full_name},
            _("Lãnh đạo phụ trách (%(leader)s) nhận Tờ trình để quyết định.")
            % {"leader": adjustment.leader or "—"},
        ],
        previews=[
            (_("Dự thảo Tờ trình (DOCX)"), reverse("workprogram:request_document", args=[adjustment.pk])),
            (_("Dự thảo Tờ trình (PDF)"), reverse("workprogram:request_document_pdf", args=[adjustment.pk])),
        ],
        button=_("Duyệt, ký và gửi Tờ trình"),
    )

    def perform() -> HttpResponse:
        try:
            filed = adjustment_request_approve_submission(
                actor=acting_user(request), request=adjustment, version=form.submitted_version
            )
        except ValidationError as error:
            return stale_action(request, error, adjustment)
        messages.success(request, _filed_message(filed))
        return redirect(filed)

    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_POST
def request_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit head sends the draft back to its author with what to rework."""
    adjustment = get_for_user(request.user, request_detail_queryset(), pk, "view")
    if adjustment.status != RequestStatus.AWAITING_HEAD:
        return stale_action(request, _stale_message(adjustment), adjustment)
    require(request.user, "approve_submission", adjustment)
    form = HeadReturnForm(request.POST, request_obj=adjustment)
    if form.is_valid():
        try:
            adjustment_request_return(
                actor=acting_user(request),
                request=adjustment,
                note=form.cleaned_data["note"],
                version=form.submitted_version,
            )
        except ValidationError as error:
            return stale_action(request, error, adjustment)
        messages.success(request, _("Đã trả lại đề nghị cho người soạn để sửa."))
        return redirect(adjustment)
    return render(
        request,
        "workprogram/programs/request_detail.html",
        _request_context(request, adjustment, return_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The author reworks a returned draft and sends it to the unit head again."""
    adjustment = get_for_user(request.user, request_detail_queryset(), pk, "view")
    if adjustment.status != RequestStatus.RETURNED:
        return stale_action(request, _stale_message(adjustment), adjustment)
    require(request.user, "revise", adjustment)
    form = RevisionForm(request.POST or None, request_obj=adjustment)
    if request.method == "POST" and form.is_valid():
        try:
            adjustment_request_revise(
                actor=acting_user(request),
                request=adjustment,
                data=form.service_data(),
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã gửi lại đề nghị để lãnh đạo đơn vị duyệt."))
            return redirect(adjustment)
    return render(
        request,
        "workprogram/programs/request_revise.html",
        {"form": form, "adjustment": adjustment, "program": adjustment.program},
    )


@login_required
@require_GET
def decision_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee's notice of the leader's decision, as DOCX (404 until decided)."""
    adjustment = get_for_user(
        request.user,
        request_detail_queryset().filter(status__in=(RequestStatus.APPROVED, RequestStatus.REJECTED)),
        pk,
        "view",
    )
    return _docx(decision_spec(adjustment))


# --- Settings and reasons --------------------------------------------------------------------------------


def _default_committee(request: HttpRequest) -> int | None:
    """The committee whose settings open first: the one the user's Office serves."""
    who = principal(request.user)
    held = sorted(who.units_with_role(Role.OFFICE_OFFICER)) if who is not None else []
    if held:
        served = jurisdictions_of(held[:1]).values_list("ancestor_id", flat=True).first()
        if served is not None:
            return int(served)
    first = committees_for_office(request.user).first()
    return first.pk if first is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def program_settings_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "workprogram.manage_settings")
    committees = committees_for_office(request.user)
    unit = get_for_user(
        request.user,
        committees,
        request.GET.get("unit") or _default_committee(request),
        "workprogram.settings",
    )
    current = settings_for(unit)
    form = ProgramSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            program_settings_update(
                actor=acting_user(request), unit=unit, data=form.service_data(), version=form.settings_version
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thiết lập của %(unit)s.") % {"unit": unit})
            return redirect(f"{reverse('workprogram:settings')}?unit={unit.pk}")
    context = {
        "form": form,
        "unit": unit,
        "committees": committees.only("pk", "code", "name")[:500],
        "reasons": list(AdjustmentReason.objects.all()),
        "can_manage_reasons": can(request.user, "workprogram.manage_reasons"),
    }
    return render(request, "workprogram/programs/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reason_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "workprogram.manage_reasons")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                adjustment_reason_create(actor=acting_user(request), data=form.service_data())
                submission.created(reverse("workprogram:settings"))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm lý do điều chỉnh."))
            return redirect("workprogram:settings")
    return render(request, "workprogram/programs/reason_form.html", {"form": form, "reason": None})


@login_required
@require_http_methods(["GET", "POST"])
def reason_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "workprogram.manage_reasons")
    reason = get_object_or_404(AdjustmentReason, pk=pk)
    form = ReasonForm(request.POST or None, reason=reason)
    if request.method == "POST" and form.is_valid():
        try:
            adjustment_reason_update(actor=acting_user(request), reason=reason, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu lý do điều chỉnh."))
            return redirect("workprogram:settings")
    return render(request, "workprogram/programs/reason_form.html", {"form": form, "reason": reason})
