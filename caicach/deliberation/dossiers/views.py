"""Pages of meeting dossiers: an agenda item's checklist (the Office marks what reached it),
the proposed withdrawal list of a committee and of a meeting (with a printable page), and
the chair's decision with its confirmation. Thin: every write is a service, every read a
query or a rule's list twin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock
from caicach.core.downloads import content_disposition
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import can, get_for_user, scope_key
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, stale_action
from caicach.deliberation.consultations.queries import home_committee
from caicach.deliberation.dossiers.forms import CommitteeForm, DecisionForm, EntryAddForm, MarkForm
from caicach.deliberation.dossiers.queries import (
    dossier_queryset,
    dossier_state,
    due_words,
    entries_of,
    listed,
    withdrawal_list,
)
from caicach.deliberation.dossiers.rules import withdrawal_committees_for
from caicach.deliberation.dossiers.services import (
    PROGRAM_POSTPONE,
    agenda_item_decide_withdrawal,
    dossier_checklist_ensure,
    dossier_entry_add,
    dossier_entry_mark,
    withdrawal_outcome,
)
from caicach.deliberation.models import AgendaItem, DossierEntry, Meeting, WithdrawalDecision

PAGE_SIZE = 25
# The printed list: a meeting's, or a committee's few weeks ahead; a cap keeps the page bounded.
PRINT_LIMIT = 500


def _item_for(request: HttpRequest, pk: int) -> AgendaItem:
    return get_for_user(request.user, dossier_queryset(), pk, "view_dossier")


def _dossier_url(item: AgendaItem | int) -> str:
    return reverse("deliberation:dossier_detail", args=[item if isinstance(item, int) else item.pk])


def _detail_context(request: HttpRequest, item: AgendaItem, **forms: Any) -> dict[str, Any]:
    user = request.user
    entries = entries_of(item)
    state = dossier_state(item, entries)
    can_mark = can(user, "mark_dossier", item)
    context: dict[str, Any] = {
        "item": item,
        "meeting": item.meeting,
        "entries": entries,
        "state": state,
        "due_words": due_words(item),
        "can_mark": can_mark,
        "can_decide": can(user, "decide_withdrawal", item) and state.proposed_for_withdrawal,
        "add_form": forms.get("add_form") or EntryAddForm(),
        "mark_forms": [],
    }
    if can_mark:
        context["mark_forms"] = [
            (
                entry,
                forms.get(f"mark_{entry.pk}")
                or MarkForm(
                    version=entry.version,
                    prefix=f"e{entry.pk}",
                    initial={"status": entry.status, "note": entry.note},
                ),
            )
            for entry in entries
        ]
    return context


@login_required
@require_GET
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    return render(request, "deliberation/dossiers/dossier_detail.html", _detail_context(request, item))


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail's link to a checklist line: its dossier's page."""
    entry = get_for_user(
        request.user, DossierEntry.objects.select_related("agenda_item__meeting"), pk, "view"
    )
    return redirect(_dossier_url(entry.agenda_item_id))


@login_required
@require_POST
def entry_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    if not can(request.user, "mark_dossier", item):
        return stale_action(request, _("Không thể cập nhật hồ sơ của nội dung này."), _dossier_url(item))
    form = EntryAddForm(request.POST)
    if form.is_valid():
        try:
            with once(request, form) as submission:
                entry = dossier_entry_add(
                    actor=acting_user(request), agenda_item=item, label=form.cleaned_data["label"]
                )
                submission.created(_dossier_url(item))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm thành phần hồ sơ “%(label)s”.") % {"label": entry.label})
            return redirect(_dossier_url(item))
    return render(
        request,
        "deliberation/dossiers/dossier_detail.html",
        _detail_context(request, item, add_form=form),
        status=400,
    )


@login_required
@require_POST
def entry_mark_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for_user(
        request.user, DossierEntry.objects.select_related("agenda_item__meeting"), pk, "view"
    )
    item = _item_for(request, entry.agenda_item_id)
    if not can(request.user, "mark_dossier", item):
        return stale_action(request, _("Không thể cập nhật hồ sơ của nội dung này."), _dossier_url(item))
    form = MarkForm(request.POST, request.FILES, prefix=f"e{entry.pk}")
    if form.is_valid():
        try:
            marked = dossier_entry_mark(
                actor=acting_user(request),
                entry=entry,
                status=form.cleaned_data["status"],
                version=form.submitted_version,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(label)s: %(status)s.") % {"label": marked.label, "status": marked.get_status_display()},
            )
            return redirect(_dossier_url(item))
    elif "version" in form.errors:
        return stale_action(request, stale_or(form, _("Không cập nhật được.")), _dossier_url(item))
    return render(
        request,
        "deliberation/dossiers/dossier_detail.html",
        _detail_context(request, item, **{f"mark_{entry.pk}": form}),
        status=400,
    )


@login_required
@require_GET
def entry_file(request: HttpRequest, pk: int) -> FileResponse:
    entry = get_for_user(
        request.user, DossierEntry.objects.select_related("agenda_item__meeting"), pk, "view"
    )
    if not entry.file:
        raise Http404
    try:
        handle = entry.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, content_type=entry.content_type)
    response["Content-Disposition"] = content_disposition(entry.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The proposed withdrawal list ---------------------------------------------------------------------


def _committee_of(request: HttpRequest) -> Any:
    committees = withdrawal_committees_for(request.user)
    key = scope_key(request.user)
    form = CommitteeForm(request.GET or None, committees=committees, options_key=key)
    committee = None
    if form.is_bound and form.is_valid():
        committee = form.cleaned_data["unit"]
    if committee is None:
        committee = home_committee(request.user, committees)
    if committee is None:
        raise Http404
    committee = get_for_user(request.user, committees, committee.pk, "deliberation.withdrawal_list")
    if not form.is_bound:
        form = CommitteeForm(committees=committees, options_key=key, initial={"unit": committee.pk})
    return form, committee


@login_required
@require_GET
def withdrawal_list_view(request: HttpRequest) -> HttpResponse:
    form, committee = _committee_of(request)
    rows = withdrawal_list(request.user, committee_id=committee.pk)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "committee": committee,
        "page_obj": page_obj,
        "rows": listed(page_obj.object_list),
        "today": clock.today(),
        "print_url": reverse("deliberation:withdrawal_list_print") + f"?unit={committee.pk}",
    }
    return render(request, "deliberation/dossiers/withdrawal_list.html", context)


@login_required
@require_GET
def withdrawal_list_print(request: HttpRequest) -> HttpResponse:
    _form, committee = _committee_of(request)
    rows = withdrawal_list(request.user, committee_id=committee.pk)[:PRINT_LIMIT]
    context = {"committee": committee, "rows": listed(rows), "today": clock.today()}
    return render(request, "deliberation/dossiers/withdrawal_print.html", context)


def _meeting_for(request: HttpRequest, pk: int) -> Meeting:
    return get_for_user(
        request.user, Meeting.objects.select_related("committee", "chair"), pk, "view_withdrawal_list"
    )


@login_required
@require_GET
def meeting_withdrawal_list(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    rows = withdrawal_list(request.user, meeting=meeting)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "page_obj": page_obj,
        "rows": listed(page_obj.object_list),
        "today": clock.today(),
        "print_url": reverse("deliberation:meeting_withdrawal_list_print", args=[meeting.pk]),
    }
    return render(request, "deliberation/dossiers/withdrawal_list.html", context)


@login_required
@require_GET
def meeting_withdrawal_list_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    rows = withdrawal_list(request.user, meeting=meeting)[:PRINT_LIMIT]
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "rows": listed(rows),
        "today": clock.today(),
    }
    return render(request, "deliberation/dossiers/withdrawal_print.html", context)


# --- The chair's decision ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def withdrawal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep or withdraw an item of the list. Withdrawing is deliberate: a confirmation page
    names what will happen to the meeting's agenda and to the program item first."""
    item = _item_for(request, pk)
    url = _dossier_url(item)
    if not can(request.user, "decide_withdrawal", item):
        return stale_action(request, _("Không thể quyết định về nội dung này nữa."), url)
    entries = entries_of(item)
    state = dossier_state(item, entries)
    if not state.proposed_for_withdrawal:
        return stale_action(
            request, _("Nội dung này không có trong danh sách đề nghị rút khỏi phiên họp."), url
        )
    has_program_item = item.program_item_id is not None
    form = DecisionForm(request.POST or None, version=item.version, has_program_item=has_program_item)
    context: dict[str, Any] = {"item": item, "meeting": item.meeting, "state": state, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = data["decision"]
        program_action = data.get("program_action") or ""
        postpone_to = data.get("postpone_to") if program_action == PROGRAM_POSTPONE else None
        if decision == WithdrawalDecision.WITHDRAW and not data.get("confirmed"):
            context.update(
                outcome=withdrawal_outcome(item, program_action, postpone_to),
                data=data,
                postpone_text=f"{postpone_to:%m/%Y}" if postpone_to else "",
            )
            return render(request, "deliberation/dossiers/withdraw_confirm.html", context)
        try:
            decided = agenda_item_decide_withdrawal(
                actor=acting_user(request),
                agenda_item=item,
                decision=decision,
                note=data["note"],
                version=form.submitted_version,
                program_action=program_action,
                postpone_to=postpone_to,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                return stale_action(request, error if isinstance(error, ValidationError) else str(error), url)
        else:
            if decided.withdrawal_decision == WithdrawalDecision.WITHDRAW:
                messages.success(request, _("Đã rút “%(title)s” khỏi phiên họp.") % {"title": decided.title})
            else:
                messages.success(
                    request, _("Đã giữ lại “%(title)s” trong phiên họp.") % {"title": decided.title}
                )
            return redirect(url)
    elif request.method == "POST" and "version" in form.errors:
        return stale_action(request, stale_or(form, _("Không ghi nhận được quyết định.")), url)
    return render(
        request,
        "deliberation/dossiers/withdrawal_decide.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def checklist_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An item added before checklists existed (or by hand): the Office lays out its checklist."""
    item = _item_for(request, pk)
    if not can(request.user, "mark_dossier", item):
        return stale_action(request, _("Không thể cập nhật hồ sơ của nội dung này."), _dossier_url(item))
    created = dossier_checklist_ensure(item)
    if created:
        messages.success(request, _("Đã lập danh mục hồ sơ trình."))
    return redirect(_dossier_url(item))
