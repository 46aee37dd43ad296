"""Pages of a meeting's documents: the invitation and the conclusion notice, each a draft
page (the Office edits; the conclusion's points as rows), the draft DOCX, the confirmation
naming the number, and the frozen DOCX once issued. Thin: fetch through the rules, call one
service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.models import DocumentType, Unit
from caicach.core.permissions import can, get_for_user, require
from caicach.core.versioning import STALE_EDIT_MESSAGE
from caicach.core.web import acting_user, add_service_errors, document_response, file_response, stale_action
from caicach.deliberation.models import (
    AgendaItem,
    Meeting,
    MeetingDocument,
    MeetingDocumentKind,
    MeetingStatus,
)
from caicach.deliberation.notices import queries
from caicach.deliberation.notices.documents import conclusion_spec, invitation_spec, signer_signature
from caicach.deliberation.notices.forms import MAX_POINTS, DocumentForm, IssueForm, PointFormSet
from caicach.deliberation.notices.rules import meetings_with_notices_for
from caicach.deliberation.notices.services import (
    PointDraft,
    conclusion_issue,
    conclusion_problems,
    conclusion_save,
    invitation_issue,
    invitation_problems,
    invitation_save,
)

ADD_ROW = "add_row"
PREFIX = "kl"


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_for_user(
        request.user,
        meetings_with_notices_for(request.user).select_related("committee__parent"),
        pk,
        "notices.view",
    )


def _url(kind: str, meeting: Meeting) -> str:
    return (
        queries.invitation_url(meeting)
        if kind == MeetingDocumentKind.INVITATION
        else queries.conclusion_url(meeting)
    )


def _spec(meeting: Meeting, document: MeetingDocument) -> rendering.DocumentSpec:
    office = queries.office_signs(document.signer, meeting.committee_id)
    if document.kind == MeetingDocumentKind.INVITATION:
        return invitation_spec(
            meeting,
            document,
            queries.invitation_agenda(meeting),
            queries.invitees_of(meeting),
            office_signs=office,
        )
    return conclusion_spec(meeting, document, queries.points_of(meeting), office_signs=office)


def _signers(meeting: Meeting) -> list[tuple[int, str]]:
    return [
        (user.pk, f"{user.full_name} — {user.position}" if user.position else user.full_name)
        for user in queries.signer_candidates(meeting.committee)
    ]


def _document_form(request: HttpRequest, meeting: Meeting, document: MeetingDocument | None) -> DocumentForm:
    initial: dict[str, Any] = {"version": document.version if document else 0}
    if document is not None:
        initial |= {
            "summary": document.summary,
            "recipients": document.recipients,
            "signer": document.signer_id,
        }
    data = request.POST if request.method == "POST" and request.POST.get("action") != ADD_ROW else None
    return DocumentForm(data, initial=initial, signers=_signers(meeting))


def _signer(meeting: Meeting, signer_id: int | None) -> Any:
    if signer_id is None:
        return None
    return next((user for user in queries.signer_candidates(meeting.committee) if user.pk == signer_id), None)


def _context(
    request: HttpRequest, meeting: Meeting, kind: str, document: MeetingDocument | None
) -> dict[str, Any]:
    issued = document is not None and document.registered_document_id is not None
    sees_drafts = can(request.user, "notices.view_drafts", meeting)
    day = clock.today()
    problems = (
        invitation_problems(meeting, document, day)
        if kind == MeetingDocumentKind.INVITATION
        else conclusion_problems(meeting, document, day)
    )
    return {
        "meeting": meeting,
        "kind": kind,
        "is_invitation": kind == MeetingDocumentKind.INVITATION,
        "document": document,
        "issued": issued,
        "sees_drafts": sees_drafts,
        "may_draft": sees_drafts
        and not issued
        and not problems_block_drafting(meeting, kind, document)
        and can(request.user, "notices.draft", meeting),
        "may_issue": document is not None and not issued and can(request.user, "notices.issue", document),
        "problems": problems if not issued else [],
        "meeting_url": queries.meeting_url(meeting),
        "url_name": "invitation" if kind == MeetingDocumentKind.INVITATION else "conclusion",
    }


def problems_block_drafting(meeting: Meeting, kind: str, document: MeetingDocument | None) -> bool:
    """Whether the draft can no longer be edited (issued, cancelled, or, for the invitation,
    the meeting already invited; for the conclusion, the meeting not yet taken place)."""
    if meeting.status == MeetingStatus.CANCELLED:
        return True
    if kind == MeetingDocumentKind.INVITATION:
        return meeting.status != MeetingStatus.SCHEDULED
    return meeting.status == MeetingStatus.CONCLUDED or not queries.meeting_has_taken_place(meeting)


# --- The invitation -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    kind = MeetingDocumentKind.INVITATION
    document = queries.document_of(meeting, kind)
    context = _context(request, meeting, kind, document)
    form = _document_form(request, meeting, document) if context["may_draft"] else None
    if request.method == "POST":
        require(request.user, "notices.view_drafts", meeting)
        if not context["may_draft"]:
            return stale_action(request, _("Giấy mời không còn sửa được."), _url(kind, meeting))
        assert form is not None
        if form.is_valid():
            try:
                invitation_save(
                    actor=acting_user(request),
                    meeting=meeting,
                    version=form.cleaned_data["version"],
                    summary=form.cleaned_data["summary"],
                    recipients=form.cleaned_data["recipients"],
                    signer=_signer(meeting, form.cleaned_data["signer"]),
                )
            except PermissionDenied as error:
                return stale_action(
                    request,
                    str(error) or _("Bạn không có quyền thực hiện thao tác này."),
                    _url(kind, meeting),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo giấy mời."))
                return redirect(_url(kind, meeting))
    context |= {
        "form": form,
        "agenda": queries.invitation_agenda(meeting),
        "invitees": queries.invitees_of(meeting),
    }
    return render(
        request,
        "deliberation/notices/document.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


# --- The conclusion notice -------------------------------------------------------------------------


def _point_choices(meeting: Meeting) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    units = [(unit.pk, unit.name) for unit in queries.committee_units(meeting.committee_id)]
    items = [
        (item.pk, f"{item.position}. {item.title[:80]}")
        for item in AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")
    ]
    return units, items


def _points_initial(meeting: Meeting) -> list[dict[str, Any]]:
    return [
        {
            "position": point.position,
            "content": point.content,
            "lead_unit": point.lead_unit_id,
            "coordinating_units": [unit.pk for unit in point.coordinating_units.all()],
            "deadline": point.deadline,
            "agenda_item": point.agenda_item_id,
        }
        for point in queries.points_of(meeting)
    ]


def _with_blank_row(request: HttpRequest) -> list[dict[str, Any]]:
    """ "Thêm dòng" without JS: the rows as typed, with one more blank row; nothing saved or
    checked yet (rows ticked "Xóa" go)."""
    data = request.POST
    total_text = data.get(f"{PREFIX}-TOTAL_FORMS", "")
    total = min(int(total_text), MAX_POINTS) if total_text.isdigit() else 0
    rows: list[dict[str, Any]] = []
    for index in range(total):
        if data.get(f"{PREFIX}-{index}-DELETE"):
            continue
        row: dict[str, Any] = {
            name: data.get(f"{PREFIX}-{index}-{name}", "")
            for name in ("position", "content", "lead_unit", "deadline", "agenda_item")
        }
        row["coordinating_units"] = data.getlist(f"{PREFIX}-{index}-coordinating_units")
        rows.append(row)
    if len(rows) < MAX_POINTS:
        rows.append({"position": len(rows) + 1})
    else:
        messages.warning(
            request, _("Mỗi thông báo có tối đa %(max)s nội dung kết luận.") % {"max": MAX_POINTS}
        )
    return rows


def _drafts_from(formset: Any, meeting: Meeting) -> list[PointDraft]:
    rows = [data for data in formset.cleaned_data if data and not data.get("DELETE")]
    ordered = sorted(enumerate(rows), key=lambda pair: (pair[1].get("position") or 999, pair[0]))
    wanted_units = {data.get("lead_unit") for _i, data in ordered} | {
        unit for _i, data in ordered for unit in data.get("coordinating_units") or []
    }
    units = Unit.objects.in_bulk([pk for pk in wanted_units if pk])
    items = AgendaItem.objects.filter(meeting=meeting).in_bulk()
    return [
        PointDraft(
            content=data["content"],
            lead_unit=units.get(data.get("lead_unit")) if data.get("lead_unit") else None,
            coordinating_units=tuple(units[pk] for pk in data.get("coordinating_units") or [] if pk in units),
            deadline=data.get("deadline"),
            agenda_item=items.get(data.get("agenda_item")) if data.get("agenda_item") else None,
        )
        for _index, data in ordered
    ]


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    kind = MeetingDocumentKind.CONCLUSION
    document = queries.document_of(meeting, kind)
    context = _context(request, meeting, kind, document)
    may_draft = context["may_draft"]
    form = _document_form(request, meeting, document) if may_draft else None
    units, items = _point_choices(meeting) if may_draft else ([], [])
    formset = None
    status = 200
    if request.method == "POST":
        require(request.user, "notices.view_drafts", meeting)
        if not may_draft:
            return stale_action(request, _("Thông báo kết luận không còn sửa được."), _url(kind, meeting))
        assert form is not None
        if request.POST.get("action") == ADD_ROW:
            form = DocumentForm(
                initial={name: request.POST.get(name, "") for name in DocumentForm.base_fields},
                signers=_signers(meeting),
            )
            formset = PointFormSet(
                initial=_with_blank_row(request), prefix=PREFIX, form_kwargs={"units": units, "items": items}
            )
        else:
            formset = PointFormSet(request.POST, prefix=PREFIX, form_kwargs={"units": units, "items": items})
            if form.is_valid() and formset.is_valid():
                try:
                    conclusion_save(
                        actor=acting_user(request),
                        meeting=meeting,
                        version=form.cleaned_data["version"],
                        summary=form.cleaned_data["summary"],
                        recipients=form.cleaned_data["recipients"],
                        signer=_signer(meeting, form.cleaned_data["signer"]),
                        points=_drafts_from(formset, meeting),
                    )
                except PermissionDenied:
                    return stale_action(
                        request, _("Bạn không có quyền thực hiện thao tác này."), _url(kind, meeting)
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Đã lưu dự thảo thông báo kết luận."))
                    return redirect(_url(kind, meeting))
            status = 400
    elif may_draft:
        formset = PointFormSet(
            initial=_points_initial(meeting), prefix=PREFIX, form_kwargs={"units": units, "items": items}
        )
    context |= {
        "form": form,
        "formset": formset,
        "points": queries.points_of(meeting)
        if formset is None and (context["sees_drafts"] or context["issued"])
        else [],
    }
    return render(request, "deliberation/notices/document.html", context, status=status)


# --- Both: the draft, the confirmation and issue, the frozen file -----------------------------------


def _document_view(request: HttpRequest, pk: int, kind: str, part: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    document = queries.document_of(meeting, kind)
    issued = document is not None and document.registered_document_id is not None
    if part == "download":
        if not issued or document is None or not document.document_file:
            return stale_action(request, _("Văn bản chưa được ban hành."), _url(kind, meeting))
        with default_storage.open(document.document_file, "rb") as frozen:
            content = frozen.read()
        return file_response(content, document.document_file.rsplit("/", 1)[-1], rendering.DOCX_CONTENT_TYPE)
    require(request.user, "notices.view_drafts", meeting)
    if issued:
        name = "invitation" if kind == MeetingDocumentKind.INVITATION else "conclusion"
        return redirect(f"deliberation:{name}_download", pk=meeting.pk)
    if document is None:
        return stale_action(request, _("Chưa có dự thảo: vui lòng lưu dự thảo trước."), _url(kind, meeting))
    return document_response(rendering.render(_spec(meeting, document), "docx"))


@login_required
@require_GET
def invitation_preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_view(request, pk, MeetingDocumentKind.INVITATION, "preview")


@login_required
@require_GET
def invitation_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_view(request, pk, MeetingDocumentKind.INVITATION, "download")


@login_required
@require_GET
def conclusion_preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_view(request, pk, MeetingDocumentKind.CONCLUSION, "preview")


@login_required
@require_GET
def conclusion_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_view(request, pk, MeetingDocumentKind.CONCLUSION, "download")


def _issue_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    back = _url(kind, meeting)
    invitation = kind == MeetingDocumentKind.INVITATION
    document = queries.document_of(meeting, kind)
    if document is None:
        return stale_action(request, _("Chưa có dự thảo: vui lòng lưu dự thảo trước."), back)
    if document.registered_document_id is not None:
        return stale_action(
            request,
            _("Giấy mời đã được ban hành.") if invitation else _("Thông báo kết luận đã được ban hành."),
            back,
        )
    document.meeting = meeting
    require(request.user, "notices.issue", document)
    form = IssueForm(request.POST)
    if not form.is_valid() or form.cleaned_data["version"] != document.version:
        return stale_action(request, str(STALE_EDIT_MESSAGE), back)
    today = clock.today()
    problems = (
        invitation_problems(meeting, document, today)
        if invitation
        else conclusion_problems(meeting, document, today)
    )
    if problems:
        return stale_action(request, ValidationError(problems), back)
    signer = acting_user(request)
    signature = signer_signature(
        signer,
        office=queries.office_signs(signer, meeting.committee_id),
        for_committee=rendering.is_committee(meeting.committee),
    )
    signed = _("Văn bản ban hành ngày %(day)s, %(authority)s %(title)s %(name)s ký.") % {
        "day": f"{today:%d/%m/%Y}",
        "authority": signature.authority.replace("\n", " "),
        "title": signature.title,
        "name": signer.full_name,
    }
    if invitation:
        units = len(queries.invitees_of(meeting))
        consequences = [
            signed,
            _(
                "Giấy mời được gửi đến các thành viên UBND và %(units)s đơn vị được mời; "
                "phiên họp chuyển sang “Đã gửi giấy mời”."
            )
            % {"units": units},
        ]
        title = _("Giấy mời dự %(title)s") % {"title": meeting.title}
        document_type = DocumentType.INVITATION
    else:
        points = queries.points_of(meeting)
        tasked = {point.lead_unit_id for point in points if point.lead_unit_id}
        consequences = [
            signed,
            _(
                "%(points)s nội dung kết luận giao cho %(units)s cơ quan chủ trì; "
                "các nội dung không sửa được sau khi ban hành."
            )
            % {"points": len(points), "units": len(tasked)},
            _("Phiên họp chuyển sang “Đã thông báo kết luận”."),
        ]
        title = _("Thông báo kết luận %(title)s") % {"title": meeting.title}
        document_type = DocumentType.NOTICE
    name = "invitation" if invitation else "conclusion"
    plan = IssuePlan(
        unit=meeting.committee,
        document_type=document_type,
        year=today.year,
        title=title,
        cancel_url=back,
        consequences=consequences,
        previews=[(_("Dự thảo (DOCX)"), reverse(f"deliberation:{name}_preview", args=[meeting.pk]))],
    )
    service = invitation_issue if invitation else conclusion_issue

    def perform() -> HttpResponse:
        try:
            issued = service(actor=signer, meeting=meeting, version=form.cleaned_data["version"])
        except ValidationError as error:
            return stale_action(request, error, back)
        reference = issued.registered_document.reference if issued.registered_document else ""
        messages.success(request, _("Đã ban hành văn bản số %(reference)s.") % {"reference": reference})
        return redirect(back)

    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_POST
def invitation_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _issue_view(request, pk, MeetingDocumentKind.INVITATION)


@login_required
@require_POST
def conclusion_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _issue_view(request, pk, MeetingDocumentKind.CONCLUSION)
