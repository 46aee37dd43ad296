"""Pages of the task follow-up: the list, a task with its history and the actions its
viewer may take, assigning (one by one, from a meeting's conclusion, from Excel), and the
extension decisions. Thin: every write is a service, every read a query or a rule's twin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock
from caicach.core.downloads import content_disposition
from caicach.core.jobs.services import job_start
from caicach.core.once import AlreadySubmitted, once
from caicach.core.pagination import CappedPaginator, kept_page, list_key
from caicach.core.permissions import can, get_for_user, require
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, stale_action
from caicach.deliberation.models import Meeting
from caicach.oversight.followup.forms import (
    APPROVE,
    CancelForm,
    ConclusionTasksForm,
    DoneForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    RepeatForm,
    TaskFilterForm,
    TaskForm,
    TaskImportForm,
)
from caicach.oversight.followup.imports import XLSX_CONTENT_TYPE, import_template_xlsx
from caicach.oversight.followup.queries import (
    TaskFilters,
    committees_for_office,
    compute_deadline,
    conclusion_points_open,
    remaining_words,
    task_detail_queryset,
    task_rows,
    timeliness_now,
)
from caicach.oversight.followup.rows import task_rows_of
from caicach.oversight.followup.services import (
    conclusion_reference,
    extension_approve,
    extension_refuse,
    extension_request,
    task_cancel,
    task_complete,
    task_create,
    task_repeat,
    task_report_progress,
    task_update,
    tasks_from_conclusion,
)
from caicach.oversight.followup.tasks import TASK_IMPORT
from caicach.oversight.models import (
    OPEN_STATUSES,
    Extension,
    ExtensionStatus,
    Task,
    TaskProgress,
)

PAGE_SIZE = 25


# --- The list --------------------------------------------------------------------------------------


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "oversight.view_tasks")
    today = clock.today()
    form = TaskFilterForm(request.GET or None, user=request.user)
    filters = TaskFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = TaskFilters(
            committee=data.get("committee"),
            lead_unit=data.get("lead_unit"),
            assigned_by=data.get("assigned_by"),
            source=data.get("source") or "",
            timeliness=data.get("timeliness") or "",
            year=data.get("year"),
            search=data.get("q") or "",
        )
    page_obj = kept_page(
        list_key("task list", request.user, filters, today),
        lambda: task_rows(request.user, filters, today=today),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        rows_of=task_rows_of(today=today),
    )
    can_create = can(request.user, "oversight.create_task")
    context = {"form": form, "page_obj": page_obj, "today": today, "can_create": can_create}
    return render(request, "oversight/followup/task_list.html", context)


# --- One task ------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, task: Task, **bound: BaseForm) -> dict[str, Any]:
    user = request.user
    today = clock.today()
    extensions = list(
        task.extensions.select_related("requested_by", "decided_by").order_by("-requested_at", "-pk")
    )
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    if pending is not None:
        pending.task = task
    is_open = task.status in OPEN_STATUSES
    context: dict[str, Any] = {
        "task": task,
        "today": today,
        "timeliness": timeliness_now(task, today),
        "remaining": remaining_words(task.deadline, today) if is_open else "",
        "is_open": is_open,
        "coordinating": list(task.coordinating_units.all()),
        "progress_notes": list(task.progress_notes.select_related("reported_by")),
        "extensions": extensions,
        "pending": pending,
        "reminders": list(task.reminders.all()),
        "can_change": can(user, "change", task),
        "can_cancel": can(user, "cancel", task),
        "can_report": can(user, "report", task),
        "can_repeat": can(user, "repeat", task),
        "can_ask": can(user, "request_extension", task) and pending is None and today <= task.deadline,
        "can_decide": pending is not None and can(user, "decide", pending),
    }
    version = task.version
    if context["can_report"]:
        context["progress_form"] = bound.get("progress_form") or ProgressForm(
            version=version, initial={"percent": task.progress_percent}
        )
        context["done_form"] = bound.get("done_form") or DoneForm(version=version, initial={"done_on": today})
    if context["can_ask"]:
        context["extension_form"] = bound.get("extension_form") or ExtensionRequestForm(version=version)
    if context["can_cancel"]:
        context["cancel_form"] = bound.get("cancel_form") or CancelForm(version=version)
    if context["can_repeat"]:
        context["repeat_form"] = RepeatForm(version=version)
    if context["can_decide"]:
        assert pending is not None
        context["decide_form"] = bound.get("decide_form") or ExtensionDecisionForm(
            version=pending.version, initial={"decision": APPROVE, "new_deadline": pending.proposed_deadline}
        )
        context["on_delegation"] = user.pk != task.assigned_by_id
    return context


def _visible(request: HttpRequest, pk: int) -> Task:
    return get_for_user(request.user, task_detail_queryset(), pk, "view")


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible(request, pk)
    return render(request, "oversight/followup/task_detail.html", _detail_context(request, task))


def _rerender(request: HttpRequest, task: Task, name: str, form: BaseForm) -> HttpResponse:
    return render(
        request,
        "oversight/followup/task_detail.html",
        _detail_context(request, task, **{name: form}),
        status=400,
    )


def _refusal(error: ValidationError | PermissionDenied) -> ValidationError:
    return error if isinstance(error, ValidationError) else ValidationError(str(error))


def _field_errors(error: ValidationError) -> bool:
    """A refusal about what the user typed (shown on the form) rather than about the task's
    state (shown as a message on its page)."""
    return hasattr(error, "error_dict") and not any(
        error.code == "stale" for errors in error.error_dict.values() for error in errors
    )


@login_required
@require_POST
def task_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible(request, pk)
    if not can(request.user, "report", task):
        return stale_action(
            request, _("Nhiệm vụ đã kết thúc hoặc bạn không báo cáo tiến độ nhiệm vụ này."), task
        )
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        if "version" in form.errors:
            return stale_action(request, stale_or(form, ""), task)
        return _rerender(request, task, "progress_form", form)
    try:
        task_report_progress(
            actor=acting_user(request),
            task=task,
            percent=form.cleaned_data["percent"],
            note=form.cleaned_data["note"],
            upload=form.cleaned_data.get("file"),
            version=form.submitted_version,
        )
    except ValidationError as error:
        if _field_errors(error):
            add_service_errors(form, error)
            return _rerender(request, task, "progress_form", form)
        return stale_action(request, error, task)
    messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
    return redirect(task)


@login_required
@require_POST
def task_done_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible(request, pk)
    if not can(request.user, "report", task):
        return stale_action(request, _("Nhiệm vụ đã kết thúc hoặc bạn không báo cáo nhiệm vụ này."), task)
    form = DoneForm(request.POST, request.FILES)
    if not form.is_valid():
        if "version" in form.errors:
            return stale_action(request, stale_or(form, ""), task)
        return _rerender(request, task, "done_form", form)
    try:
        task_complete(
            actor=acting_user(request),
            task=task,
            done_on=form.cleaned_data["done_on"],
            result_reference=form.cleaned_data["result_reference"],
            upload=form.cleaned_data.get("file"),
            version=form.submitted_version,
        )
    except ValidationError as error:
        if _field_errors(error):
            add_service_errors(form, error)
            return _rerender(request, task, "done_form", form)
        return stale_action(request, error, task)
    messages.success(request, _("Đã ghi nhận nhiệm vụ hoàn thành."))
    return redirect(task)


@login_required
@require_POST
def task_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible(request, pk)
    if not can(request.user, "cancel", task):
        return stale_action(
            request, _("Nhiệm vụ đã kết thúc hoặc bạn không có quyền hủy nhiệm vụ này."), task
        )
    form = CancelForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            return stale_action(request, stale_or(form, ""), task)
        return _rerender(request, task, "cancel_form", form)
    try:
        task_cancel(
            actor=acting_user(request),
            task=task,
            reason=form.cleaned_data["reason"],
            version=form.submitted_version,
        )
    except ValidationError as error:
        return stale_action(request, error, task)
    messages.success(request, _("Đã hủy nhiệm vụ."))
    return redirect(task)


@login_required
@require_POST
def task_repeat_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible(request, pk)
    if not can(request.user, "repeat", task):
        return stale_action(request, _("Chỉ giao tiếp kỳ sau cho nhiệm vụ định kỳ đã hoàn thành."), task)
    form = RepeatForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Không giao được kỳ tiếp theo.")), task)
    try:
        following = task_repeat(actor=acting_user(request), task=task, version=form.submitted_version)
    except ValidationError as error:
        return stale_action(request, error, task)
    messages.success(request, _("Đã giao nhiệm vụ kỳ tiếp theo."))
    return redirect(following)


@login_required
@require_POST
def extension_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible(request, pk)
    if not can(request.user, "request_extension", task):
        return stale_action(
            request, _("Nhiệm vụ đã kết thúc hoặc bạn không đề nghị gia hạn nhiệm vụ này."), task
        )
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            return stale_action(request, stale_or(form, ""), task)
        return _rerender(request, task, "extension_form", form)
    try:
        extension_request(
            actor=acting_user(request),
            task=task,
            reason=form.cleaned_data["reason"],
            proposed_deadline=form.cleaned_data["proposed_deadline"],
            version=form.submitted_version,
        )
    except ValidationError as error:
        if _field_errors(error):
            add_service_errors(form, error)
            return _rerender(request, task, "extension_form", form)
        return stale_action(request, error, task)
    messages.success(request, _("Đã gửi đề nghị gia hạn tới lãnh đạo giao nhiệm vụ."))
    return redirect(task)


@login_required
@require_POST
def extension_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_for_user(request.user, Extension.objects.select_related("task"), pk, "view_task")
    task = _visible(request, extension.task_id)
    extension.task = task
    if not can(request.user, "decide", extension):
        return stale_action(request, _("Đề nghị gia hạn này đã được quyết định."), task)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            return stale_action(request, stale_or(form, ""), task)
        return _rerender(request, task, "decide_form", form)
    data = form.cleaned_data
    try:
        if data["decision"] == APPROVE:
            extension_approve(
                actor=acting_user(request),
                extension=extension,
                new_deadline=data.get("new_deadline"),  # type: ignore[arg-type]
                note=data.get("note") or "",
                version=form.submitted_version,
            )
            messages.success(request, _("Đã đồng ý gia hạn."))
        else:
            extension_refuse(
                actor=acting_user(request),
                extension=extension,
                note=data.get("note") or "",
                version=form.submitted_version,
            )
            messages.success(request, _("Đã trả lời không đồng ý gia hạn."))
    except ValidationError as error:
        if _field_errors(error):
            add_service_errors(form, error)
            return _rerender(request, task, "decide_form", form)
        return stale_action(request, error, task)
    return redirect(task)


@login_required
@require_GET
def progress_file(request: HttpRequest, pk: int) -> FileResponse:
    note = get_for_user(request.user, TaskProgress.objects.select_related("task"), pk, "view")
    if not note.file:
        raise Http404
    try:
        handle = note.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True)
    response["Content-Disposition"] = content_disposition(note.original_name or "tep")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Assigning ------------------------------------------------------------------------------------


PREVIEW = "preview"


@login_required
@require_http_methods(["GET", "POST"])
def task_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "oversight.create_task")
    user = acting_user(request)
    initial = {"source_date": clock.today()}
    form = TaskForm(request.POST or None, user=user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if PREVIEW in request.POST:
            # The deadline as the calendar computes it, shown before anything is saved.
            preview = compute_deadline(
                data["deadline_kind"],
                data["source_date"],
                date=data.get("deadline"),
                working_days=data.get("deadline_working_days"),
            )
        else:
            try:
                with once(request, form) as submission:
                    task = task_create(actor=user, committee=data["committee"], data=form.service_data())
                    submission.created(task)
            except AlreadySubmitted as repeat:
                return repeat.response(request)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, _refusal(error))
            else:
                messages.success(
                    request,
                    _("Đã giao nhiệm vụ; thời hạn: %(day)s.") % {"day": f"{task.deadline:%d/%m/%Y}"},
                )
                return redirect(task)
    return render(
        request, "oversight/followup/task_form.html", {"form": form, "preview": preview, "creating": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible(request, pk)
    if not can(request.user, "change", task):
        return stale_action(request, _("Chỉ Văn phòng sửa được nhiệm vụ đang thực hiện."), task)
    user = acting_user(request)
    form = TaskForm(request.POST or None, user=user, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            task_update(
                actor=user,
                task=task,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect(task)
    return render(
        request, "oversight/followup/task_form.html", {"form": form, "task": task, "creating": False}
    )


@login_required
@require_GET
def conclusion_meetings(request: HttpRequest) -> HttpResponse:
    """The meetings of the Office's committees with conclusion points still to assign."""
    require(request.user, "oversight.create_task")
    meetings = (
        Meeting.objects.filter(committee__in=committees_for_office(request.user))
        .filter(Q(conclusion_points__lead_unit__isnull=False) & Q(conclusion_points__task__isnull=True))
        .distinct()
        .select_related("committee", "chair")
        .order_by("-date", "-pk")
    )
    page_obj = CappedPaginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "oversight/followup/conclusion_meetings.html", {"page_obj": page_obj})


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_tasks_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Tasks from a meeting's conclusion: the points with a lead unit and no task yet,
    checked ones assigned in one go (by the meeting's chair)."""
    require(request.user, "oversight.create_task")
    meeting = get_for_user(
        request.user, Meeting.objects.select_related("committee", "chair"), pk, "oversight.assign_from"
    )
    points = conclusion_points_open(meeting.pk)
    form = ConclusionTasksForm(request.POST or None, points=points)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                tasks = tasks_from_conclusion(
                    actor=acting_user(request),
                    meeting=meeting,
                    points=list(form.cleaned_data["points"]),
                    default_deadline=form.cleaned_data.get("default_deadline"),
                )
                submission.created(tasks[0])
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, _refusal(error))
        else:
            messages.success(
                request, _("Đã giao %(count)s nhiệm vụ từ kết luận phiên họp.") % {"count": len(tasks)}
            )
            return redirect(reverse("oversight:task_list") + f"?q=&committee={meeting.committee_id}")
    reference, source_date = conclusion_reference(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "points": list(points),
        "reference": reference,
        "source_date": source_date,
    }
    return render(request, "oversight/followup/conclusion_tasks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_import_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "oversight.create_task")
    form = TaskImportForm(request.POST or None, request.FILES or None, user=acting_user(request))
    if request.method == "POST" and form.is_valid():
        committee = form.cleaned_data["committee"]
        require(request.user, "oversight.assign", committee)
        job = job_start(
            kind=TASK_IMPORT,
            actor=acting_user(request),
            parameters={
                "committee": committee.pk,
                "done_url": reverse("oversight:task_list"),
                "retry_url": reverse("oversight:task_import"),
            },
            upload=form.cleaned_data["file"],
        )
        return redirect("job_detail", pk=job.pk)
    committees = list(committees_for_office(request.user)[:20])
    return render(request, "oversight/followup/task_import.html", {"form": form, "committees": committees})


@login_required
@require_GET
def task_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_for_user(request.user, committees_for_office(request.user), pk, "oversight.assign")
    return HttpResponse(
        import_template_xlsx(committee),
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition("Mẫu nhập nhiệm vụ được giao.xlsx")},
    )
