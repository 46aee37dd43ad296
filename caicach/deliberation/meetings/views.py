"""Pages of meetings: the list, scheduling and editing a meeting, its agenda (proposed from
the work program), invitees and attendance, and the "wrong level" counts. Thin: every write
is a service, every read a query or a rule's list twin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock
from caicach.core.models import Unit
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import can, get_for_user, require, scope_key
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, stale_action
from caicach.deliberation.dossiers import queries as dossiers
from caicach.deliberation.meetings.deadlines import consult_by_words, dossier_due_words
from caicach.deliberation.meetings.forms import (
    AgendaItemForm,
    CancelForm,
    HoldForm,
    InviteeForm,
    InviteesForm,
    ListFilterForm,
    MatterForm,
    MeetingForm,
    MeetingUpdateForm,
    MoveForm,
    ProposalForm,
    RemoveForm,
    StatsForm,
)
from caicach.deliberation.meetings.queries import (
    agenda_deadlines,
    agenda_of,
    attendance_stats,
    detail_queryset,
    invitees_of,
    proposals,
    weekday_name,
)
from caicach.deliberation.meetings.rules import (
    EDITABLE_ITEMS,
    OPEN_STATUSES,
    agenda_items_for,
    attendance_scope,
    meetings_for,
)
from caicach.deliberation.meetings.services import (
    agenda_add_matter,
    agenda_add_program_items,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
    invitable_units,
    invitee_record,
    invitees_set,
    meeting_cancel,
    meeting_create,
    meeting_mark_held,
    meeting_update,
    wrong_level,
)
from caicach.deliberation.models import Invitee, Meeting
from caicach.deliberation.notices import queries as notices

PAGE_SIZE = 25


def _service_error(error: ValidationError | PermissionDenied) -> ValidationError:
    return error if isinstance(error, ValidationError) else ValidationError(str(error))


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "deliberation.view_meetings")
    visible = meetings_for(request.user)
    committees = Unit.objects.filter(pk__in=visible.values("committee_id")).order_by("code")
    form = ListFilterForm(request.GET or None, committees=committees, options_key=scope_key(request.user))
    rows = visible.order_by("-date", "-pk")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["committee"] is not None:
            rows = rows.filter(committee=data["committee"])
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["year"]:
            rows = rows.filter(date__year=data["year"])
        if data["month"]:
            rows = rows.filter(date__month=data["month"])
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "can_create": can(request.user, "deliberation.create_meeting"),
        "can_see_attendance": can(request.user, "deliberation.view_attendance"),
    }
    return render(request, "deliberation/meetings/meeting_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "deliberation.create_meeting")
    user = acting_user(request)
    form = MeetingForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                meeting = meeting_create(
                    actor=user, committee=form.cleaned_data["committee"], data=form.service_data()
                )
                submission.created(meeting)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, _service_error(error))
        else:
            messages.success(request, _("Đã lên lịch “%(title)s”.") % {"title": meeting.title})
            return redirect(meeting)
    return render(request, "deliberation/meetings/meeting_form.html", {"form": form, "meeting": None})


def _detail_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = acting_user(request)
    agenda = agenda_of(meeting)
    can_change = can(user, "change", meeting)
    rows = []
    for position, item in enumerate(agenda):
        rows.append(
            {
                "item": item,
                "can_view": can(user, "view", item),
                "can_change": can(user, "change", item),
                "dossier_words": dossier_due_words(item.dossier_working_days, item.dossier_due),
                "consult_words": consult_by_words(item.consult_by),
                "move_form": MoveForm(version=item.version, prefix=f"m{item.pk}"),
                "first": position == 0,
                "last": position == len(agenda) - 1,
            }
        )
    context: dict[str, Any] = {
        "meeting": meeting,
        "weekday": weekday_name(meeting.date),
        "agenda": rows,
        "invitees": invitees_of(meeting),
        "can_change": can_change,
        "can_invite": can(user, "invite", meeting),
        "can_cancel": can(user, "cancel", meeting),
        "can_hold": can(user, "hold", meeting) and meeting.date <= clock.today(),
        "hold_form": HoldForm(version=meeting.version),
        "cancel_form": forms.get("cancel_form") or CancelForm(version=meeting.version),
    }
    if can_change:
        offered = proposals(meeting)
        context["proposal_form"] = forms.get("proposal_form") or ProposalForm(proposals=offered)
        context["matter_form"] = forms.get("matter_form") or MatterForm(units=invitable_units(meeting))
        context["deadlines"] = agenda_deadlines(meeting)
        context["deadline_words"] = dossier_due_words(
            context["deadlines"].dossier_working_days, context["deadlines"].dossier_due
        )
    context.update(notices.meeting_panel(meeting, user))
    context.update(dossiers.meeting_panel(meeting, user))
    return context


def _meeting_for(request: HttpRequest, pk: int) -> Meeting:
    return get_for_user(request.user, detail_queryset(), pk, "view")


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    return render(request, "deliberation/meetings/meeting_detail.html", _detail_context(request, meeting))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if meeting.status not in OPEN_STATUSES:
        return stale_action(request, _("Phiên họp đã họp hoặc đã hủy: không thể sửa."), meeting)
    require(request.user, "change", meeting)
    form = MeetingUpdateForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_update(
                actor=acting_user(request),
                meeting=meeting,
                data=form.service_data(),
                version=form.submitted_version,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, _service_error(error))
        else:
            messages.success(request, _("Đã lưu phiên họp."))
            return redirect(meeting)
    return render(request, "deliberation/meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def meeting_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if meeting.status not in OPEN_STATUSES:
        return stale_action(request, _("Phiên họp đã họp hoặc đã hủy."), meeting)
    require(request.user, "cancel", meeting)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Không hủy được phiên họp.")), meeting)
    try:
        meeting_cancel(
            actor=acting_user(request),
            meeting=meeting,
            reason=form.cleaned_data["reason"],
            version=form.submitted_version,
        )
    except (ValidationError, PermissionDenied) as error:
        return stale_action(request, _service_error(error), meeting)
    messages.success(request, _("Đã hủy phiên họp."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_hold_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if meeting.status not in OPEN_STATUSES:
        return stale_action(request, _("Phiên họp đã họp hoặc đã hủy."), meeting)
    require(request.user, "hold", meeting)
    form = HoldForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Không ghi nhận được.")), meeting)
    try:
        meeting_mark_held(actor=acting_user(request), meeting=meeting, version=form.submitted_version)
    except (ValidationError, PermissionDenied) as error:
        return stale_action(request, _service_error(error), meeting)
    messages.success(request, _("Đã ghi nhận phiên họp đã diễn ra."))
    return redirect(meeting)


@login_required
@require_POST
def agenda_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The Office adds the chosen proposals (program items due that month), in one POST."""
    meeting = _meeting_for(request, pk)
    if meeting.status not in OPEN_STATUSES:
        return stale_action(request, _("Phiên họp đã họp hoặc đã hủy: không thể thêm nội dung."), meeting)
    require(request.user, "change", meeting)
    form = ProposalForm(request.POST, proposals=proposals(meeting))
    if form.is_valid():
        try:
            with once(request, form) as submission:
                added = agenda_add_program_items(
                    actor=acting_user(request),
                    meeting=meeting,
                    program_items=list(form.cleaned_data["program_items"]),
                )
                submission.created(meeting)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, _service_error(error))
        else:
            messages.success(request, _("Đã đưa %(n)s nội dung vào phiên họp.") % {"n": len(added)})
            return redirect(meeting)
    context = _detail_context(request, meeting, proposal_form=form)
    return render(request, "deliberation/meetings/meeting_detail.html", context, status=400)


@login_required
@require_POST
def agenda_matter_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    if meeting.status not in OPEN_STATUSES:
        return stale_action(request, _("Phiên họp đã họp hoặc đã hủy: không thể thêm nội dung."), meeting)
    require(request.user, "change", meeting)
    form = MatterForm(request.POST, units=invitable_units(meeting))
    if form.is_valid():
        data = form.cleaned_data
        try:
            with once(request, form) as submission:
                agenda_add_matter(
                    actor=acting_user(request),
                    meeting=meeting,
                    title=data["title"],
                    lead_unit=data["lead_unit"],
                    is_legal_document=data["is_legal_document"],
                    presenter=data["presenter"],
                )
                submission.created(meeting)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, _service_error(error))
        else:
            messages.success(request, _("Đã thêm nội dung vào phiên họp."))
            return redirect(meeting)
    context = _detail_context(request, meeting, matter_form=form)
    return render(request, "deliberation/meetings/meeting_detail.html", context, status=400)


def _item_for(request: HttpRequest, pk: int) -> Any:
    return get_for_user(
        request.user,
        agenda_items_for(request.user).select_related("program_item", "consultation", "meeting__chair"),
        pk,
        "view",
    )


def _item_open(item: Any) -> bool:
    return item.status in EDITABLE_ITEMS and item.meeting.status in OPEN_STATUSES


def _item_context(request: HttpRequest, item: Any, **forms: Any) -> dict[str, Any]:
    user = acting_user(request)
    can_change = can(user, "change", item)
    context: dict[str, Any] = {
        "item": item,
        "meeting": item.meeting,
        "weekday": weekday_name(item.meeting.date),
        "dossier_words": dossier_due_words(item.dossier_working_days, item.dossier_due),
        "consult_words": consult_by_words(item.consult_by),
        "can_change": can_change,
        "can_view_meeting": can(user, "view", item.meeting),
    }
    if can_change:
        context["form"] = forms.get("form") or AgendaItemForm(item=item)
        context["remove_form"] = RemoveForm(version=item.version)
    context.update(dossiers.agenda_item_panel(item, user))
    return context


@login_required
@require_GET
def agenda_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    return render(request, "deliberation/meetings/agenda_item_detail.html", _item_context(request, item))


@login_required
@require_POST
def agenda_item_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    if not _item_open(item):
        return stale_action(request, _("Nội dung này không còn sửa được."), item)
    require(request.user, "change", item)
    form = AgendaItemForm(request.POST, item=item)
    if form.is_valid():
        try:
            agenda_item_update(
                actor=acting_user(request),
                item=item,
                data=form.service_data(),
                version=form.submitted_version,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, _service_error(error))
        else:
            messages.success(request, _("Đã lưu nội dung."))
            return redirect(item)
    context = _item_context(request, item, form=form)
    return render(request, "deliberation/meetings/agenda_item_detail.html", context, status=400)


@login_required
@require_POST
def agenda_item_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    meeting = item.meeting
    if not _item_open(item):
        return stale_action(
            request, _("Nội dung đã thảo luận hoặc đã rút: không thể xóa khỏi phiên họp."), item
        )
    require(request.user, "change", item)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Không xóa được nội dung.")), item)
    try:
        agenda_item_remove(actor=acting_user(request), item=item, version=form.submitted_version)
    except (ValidationError, PermissionDenied) as error:
        return stale_action(request, _service_error(error), item)
    messages.success(request, _("Đã xóa nội dung khỏi phiên họp."))
    return redirect(meeting)


@login_required
@require_POST
def agenda_item_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    meeting = item.meeting
    if not _item_open(item):
        return stale_action(request, _("Nội dung này không còn sắp xếp được."), meeting)
    require(request.user, "change", item)
    form = MoveForm(request.POST, prefix=f"m{item.pk}")
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Không sắp xếp được.")), meeting)
    try:
        agenda_item_move(
            actor=acting_user(request),
            item=item,
            up=form.cleaned_data["direction"] == "up",
            version=form.submitted_version,
        )
    except (ValidationError, PermissionDenied) as error:
        return stale_action(request, _service_error(error), meeting)
    return redirect(f"{meeting.get_absolute_url()}#chuong-trinh")


def _wrong_level_choice(invitee: Invitee) -> str:
    """ "auto" while the flag is what the levels give; the Office's own judgement otherwise."""
    if invitee.attended is not True or invitee.is_wrong_level == wrong_level(
        invitee.expected_level, invitee.attendee_level
    ):
        return "auto"
    return "yes" if invitee.is_wrong_level else "no"


@login_required
@require_http_methods(["GET", "POST"])
def invitees_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The units invited (the lead units of the agenda pre-checked the first time) and, for
    each, whom it sent."""
    meeting = _meeting_for(request, pk)
    require(request.user, "invite", meeting)
    units = invitable_units(meeting)
    invitees = invitees_of(meeting)
    if invitees:
        initial = [invitee.unit_id for invitee in invitees]
    else:
        initial = list(meeting.agenda_items.values_list("lead_unit_id", flat=True).distinct())
    form = InviteesForm(request.POST or None, units=units, initial={"units": initial})
    if request.method == "POST" and form.is_valid():
        try:
            invitees_set(actor=acting_user(request), meeting=meeting, units=list(form.cleaned_data["units"]))
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, _service_error(error))
        else:
            messages.success(request, _("Đã cập nhật danh sách đơn vị được mời."))
            return redirect("deliberation:meeting_invitees", pk=meeting.pk)
    rows = [
        (
            invitee,
            InviteeForm(
                version=invitee.version,
                prefix=f"i{invitee.pk}",
                initial={
                    "attended": "" if invitee.attended is None else ("yes" if invitee.attended else "no"),
                    "attendee_name": invitee.attendee_name,
                    "attendee_title": invitee.attendee_title,
                    "attendee_level": invitee.attendee_level,
                    "wrong_level": _wrong_level_choice(invitee),
                    "note": invitee.note,
                },
            ),
        )
        for invitee in invitees
    ]
    context = {
        "meeting": meeting,
        "form": form,
        "rows": rows,
        "can_record": can(request.user, "invite", meeting),
    }
    return render(request, "deliberation/meetings/invitees.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def invitee_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitee = get_for_user(request.user, Invitee.objects.select_related("unit", "meeting"), pk, "record")
    meeting = invitee.meeting
    back = f"{meeting.get_absolute_url()}moi-du-hop/"
    form = InviteeForm(request.POST, prefix=f"i{invitee.pk}")
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Không ghi nhận được.")), back)
    try:
        invitee_record(
            actor=acting_user(request),
            invitee=invitee,
            data=form.service_data(),
            version=form.submitted_version,
        )
    except (ValidationError, PermissionDenied) as error:
        return stale_action(request, _service_error(error), back)
    messages.success(request, _("Đã ghi nhận thành phần dự họp của %(unit)s.") % {"unit": invitee.unit})
    return redirect(back)


@login_required
@require_GET
def attendance_stats_view(request: HttpRequest) -> HttpResponse:
    """Per unit and year: invited, attended, absent, sent the wrong level (the seed's
    complaint "cử không đúng thành phần")."""
    require(request.user, "deliberation.view_attendance")
    form = StatsForm(request.GET or None)
    year = clock.today().year
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    scope = attendance_scope(request.user)
    rows = attendance_stats(scope, year)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "year": year, "page_obj": page_obj}
    return render(request, "deliberation/meetings/attendance_stats.html", context)
