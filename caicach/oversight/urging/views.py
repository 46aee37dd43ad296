"""Pages of urging: the urging notices (list, draft for a unit, edit, document, the leader's
issue confirmation), the repeatedly overdue tasks and the committee's follow-up settings.
Thin: fetch through the rules, call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.models import DocumentType, Unit
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import can, get_for_user, require
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.core.web import acting_user, add_service_errors, document_response, file_response, stale_action
from caicach.oversight.models import UrgingNotice
from caicach.oversight.urging import queries
from caicach.oversight.urging.documents import default_recipients, notice_spec, office_of
from caicach.oversight.urging.forms import NoticeForm, SettingsForm, VersionForm
from caicach.oversight.urging.rules import notices_for
from caicach.oversight.urging.services import (
    ISSUED_MESSAGE,
    issue_problems,
    notice_create,
    notice_issue,
    notice_update,
    oversight_settings_update,
)
from caicach.replication.directives.documents import leader_signature

PAGE_SIZE = 25


def _notice(request: HttpRequest, pk: int, action: str = "view") -> UrgingNotice:
    return get_for_user(
        request.user, notices_for(request.user).select_related("committee__parent"), pk, action
    )


def _committee(request: HttpRequest, committees: QuerySet[Unit]) -> Unit:
    chosen = request.GET.get("committee") or getattr(
        queries.home_committee(request.user, committees), "pk", None
    )
    return get_for_user(request.user, committees, chosen, "oversight.urge_in")


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """The notices the user may see; for the Office, the units with overdue tasks to urge."""
    require(request.user, "oversight.view_notices")
    page_obj = Paginator(notices_for(request.user).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    committees = queries.office_committees(request.user)
    committee = (
        queries.home_committee(request.user, committees) if can(request.user, "oversight.urge") else None
    )
    chosen = request.GET.get("committee")
    if chosen and committee is not None:
        committee = get_for_user(request.user, committees, chosen, "oversight.urge_in")
    units = queries.units_with_overdue(committee, clock.today()) if committee is not None else []
    return render(
        request,
        "oversight/urging/notice_list.html",
        {
            "page_obj": page_obj,
            "committee": committee,
            "committees": committees.only("pk", "name")[:100] if committee is not None else [],
            "units": units,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_create_view(request: HttpRequest) -> HttpResponse:
    """The Office picks a unit: its overdue tasks, all ticked, and a default text."""
    require(request.user, "oversight.urge")
    committee = _committee(request, queries.office_committees(request.user))
    unit = get_for_user(request.user, Unit.objects.all(), request.GET.get("unit"), "view")
    today = clock.today()
    overdue = queries.overdue_tasks_of(committee, unit, today)
    tasks = list(overdue)
    initial = {
        "tasks": [task.pk for task in tasks],
        "body": queries.default_body(committee, unit, tasks, today),
        "recipients": default_recipients(committee, office_of(committee)),
    }
    form = NoticeForm(request.POST or None, tasks=overdue, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with once(request, form) as submission:
                notice = notice_create(
                    actor=acting_user(request),
                    committee=committee,
                    unit=unit,
                    tasks=list(data["tasks"]),
                    body=data["body"],
                    recipients=data["recipients"],
                )
                submission.created(notice)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo văn bản đôn đốc. Xem dự thảo rồi trình lãnh đạo ký."))
            return redirect(notice)
    return render(
        request,
        "oversight/urging/notice_form.html",
        {"form": form, "committee": committee, "unit": unit, "notice": None, "empty": not tasks},
    )


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    can_edit = can(request.user, "change", notice)
    can_issue = can(request.user, "issue", notice)
    return render(
        request,
        "oversight/urging/notice_detail.html",
        {
            "notice": notice,
            "tasks": notice.tasks.select_related("lead_unit").order_by("deadline", "pk"),
            "can_edit": can_edit,
            "can_issue": can_issue,
            "problems": issue_problems(notice, clock.today()) if can_edit or can_issue else [],
            "issue_form": VersionForm(initial={"version": notice.version}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    if notice.registered_document_id is not None:
        return stale_action(request, str(ISSUED_MESSAGE), notice)
    require(request.user, "change", notice)
    overdue = queries.overdue_tasks_of(notice.committee_id, notice.unit_id, clock.today())
    initial = {
        "tasks": list(notice.tasks.values_list("pk", flat=True)),
        "body": notice.body,
        "recipients": notice.recipients,
    }
    form = NoticeForm(request.POST or None, tasks=overdue, initial=initial, version=notice.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice_update(
                actor=acting_user(request),
                notice=notice,
                version=data["version"],
                tasks=list(data["tasks"]),
                body=data["body"],
                recipients=data["recipients"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo văn bản đôn đốc."))
            return redirect(notice)
    return render(
        request,
        "oversight/urging/notice_form.html",
        {"form": form, "committee": notice.committee, "unit": notice.unit, "notice": notice, "empty": False},
    )


@login_required
@require_GET
def notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The DOCX: exactly as issued once issued; the draft (no number) before, signed by the
    leader looking at it when a leader is."""
    notice = _notice(request, pk, "download")
    if notice.registered_document_id is not None and notice.document_file:
        with default_storage.open(notice.document_file, "rb") as frozen:
            content = frozen.read()
        return file_response(content, notice.document_file.rsplit("/", 1)[-1], rendering.DOCX_CONTENT_TYPE)
    signer = acting_user(request) if can(request.user, "issue", notice) else None
    spec = notice_spec(notice, office=office_of(notice.committee), signer=signer)
    return document_response(rendering.render(spec, "docx"))


@login_required
@require_POST
def notice_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader signs and issues: a confirmation naming the number and what follows, then the
    issue."""
    notice = _notice(request, pk)
    if notice.registered_document_id is not None:
        return stale_action(request, str(ISSUED_MESSAGE), notice)
    require(request.user, "issue", notice)
    form = VersionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["version"] != notice.version:
        return stale_action(request, str(STALE_EDIT_MESSAGE), notice)
    today = clock.today()
    problems = issue_problems(notice, today)
    if problems:
        return stale_action(request, ValidationError(problems), notice)
    leader = acting_user(request)
    signature = leader_signature(leader, for_committee=rendering.is_committee(notice.committee))
    count = notice.tasks.count()
    plan = IssuePlan(
        unit=notice.committee,
        document_type=DocumentType.OFFICIAL_LETTER,
        year=today.year,
        title=_("Văn bản đôn đốc %(unit)s thực hiện nhiệm vụ quá hạn") % {"unit": notice.unit.name},
        drafting_unit=office_of(notice.committee),
        cancel_url=notice.get_absolute_url(),
        consequences=[
            _("Văn bản ban hành ngày %(day)s, %(authority)s %(title)s %(name)s ký.")
            % {
                "day": f"{today:%d/%m/%Y}",
                "authority": signature.authority.replace("\n", " "),
                "title": signature.title,
                "name": leader.full_name,
            },
            _("Thủ trưởng và cán bộ của %(unit)s nhận thông báo kèm văn bản.") % {"unit": notice.unit.name},
            _("%(count)s nhiệm vụ được ghi thêm một lần đôn đốc.") % {"count": count},
        ],
        previews=[(_("Dự thảo (DOCX)"), reverse("oversight:notice_document", args=[notice.pk]))],
    )

    def perform() -> HttpResponse:
        try:
            issued = notice_issue(actor=leader, notice=notice, version=form.cleaned_data["version"])
        except ValidationError as error:
            return stale_action(request, error, notice)
        reference = issued.registered_document.reference if issued.registered_document else ""
        messages.success(
            request, _("Đã ban hành văn bản đôn đốc số %(reference)s.") % {"reference": reference}
        )
        return redirect(issued)

    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_GET
def laggards(request: HttpRequest) -> HttpResponse:
    """ "Nhiệm vụ chậm trễ nhiều lần": overdue and urged again and again, or overdue after an
    extension."""
    require(request.user, "oversight.view_laggards")
    rows = queries.laggards_for(request.user)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    lines = [(task, queries.days_overdue(task.deadline, today)) for task in page_obj.object_list]
    return render(request, "oversight/urging/laggards.html", {"page_obj": page_obj, "lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """The committee's follow-up settings: reminders, "due soon", "repeatedly overdue"."""
    require(request.user, "oversight.urge")
    committees = queries.office_committees(request.user)
    chosen = request.GET.get("unit") or getattr(queries.home_committee(request.user, committees), "pk", None)
    unit = get_for_user(request.user, committees, chosen, "oversight.settings")
    current = queries.settings_for(unit)
    form = SettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            oversight_settings_update(
                actor=acting_user(request), unit=unit, data=form.service_data(), version=form.settings_version
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thiết lập của %(unit)s.") % {"unit": unit})
            return redirect(f"{reverse('oversight:settings')}?unit={unit.pk}")
    context = {"form": form, "unit": unit, "committees": committees.only("pk", "code", "name")[:500]}
    return render(request, "oversight/urging/settings.html", context)
