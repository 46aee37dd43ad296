"""Pages of members' opinions: the list, preparing and sending a draft, answering, the tally
with the lead unit's take-ins, the result sheet and members' punctuality. Thin: every write
is a service, every read a query or a rule's list twin."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.downloads import content_disposition
from caicach.core.once import AlreadySubmitted, once
from caicach.core.pagination import kept_page, list_key
from caicach.core.permissions import can, get_for_user, require, scope_key
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, document_response, stale_action
from caicach.deliberation.consultations.documents import result_sheet_spec
from caicach.deliberation.consultations.forms import (
    CloseForm,
    ConsultationForm,
    FileForm,
    OpinionForm,
    PunctualityForm,
    ResponseForm,
    SendForm,
    SettingsForm,
)
from caicach.deliberation.consultations.queries import (
    committees_for_office,
    committees_for_punctuality,
    deadline_for,
    detail_queryset,
    home_committee,
    is_open,
    opinions_of,
    punctuality,
    settings_for,
    tally_of,
    tally_ready,
)
from caicach.deliberation.consultations.rows import consultation_rows_of
from caicach.deliberation.consultations.rules import consultations_for
from caicach.deliberation.consultations.services import (
    consultation_add_file,
    consultation_close,
    consultation_create,
    consultation_send,
    deliberation_settings_update,
    opinion_enter,
    opinion_give,
    opinion_respond,
    recipients_of,
)
from caicach.deliberation.models import (
    Consultation,
    ConsultationFile,
    ConsultationStatus,
    Opinion,
)

PAGE_SIZE = 25


@login_required
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "deliberation.view_consultations")
    status = request.GET.get("status", "")
    if status not in ConsultationStatus.values:
        status = ""
    member = acting_user(request) if request.GET.get("mine") else None

    def rows() -> QuerySet[Consultation]:
        listed = consultations_for(request.user).order_by("-created_at", "-pk")
        if status:
            listed = listed.filter(status=status)
        if member is not None:
            listed = listed.filter(opinions__member=member)
        return listed

    key = list_key("consultation list", request.user, status, member)
    page_obj = kept_page(key, rows, request.GET.get("page"), per_page=PAGE_SIZE, rows_of=consultation_rows_of)
    context = {
        "page_obj": page_obj,
        "status": status,
        "statuses": ConsultationStatus.choices,
        "can_create": can(request.user, "deliberation.create_consultation"),
        "can_see_punctuality": can(request.user, "deliberation.view_punctuality"),
    }
    return render(request, "deliberation/consultations/consultation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "deliberation.create_consultation")
    user = acting_user(request)
    form = ConsultationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with once(request, form) as submission:
                consultation = consultation_create(
                    actor=user,
                    committee=data["committee"],
                    lead_unit=data["lead_unit"],
                    kind=data["kind"],
                    title=data["title"],
                    is_secret=data["is_secret"],
                    program_item=data["program_item"],
                    members=list(data["members"]),
                    notes=data["notes"],
                )
                submission.created(consultation)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
        else:
            messages.success(
                request, _("Đã tạo dự thảo lấy ý kiến “%(title)s”.") % {"title": consultation.title}
            )
            return redirect(consultation)
    return render(request, "deliberation/consultations/consultation_form.html", {"form": form})


def _detail_context(request: HttpRequest, consultation: Consultation, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = clock.today()
    sees_answers = can(user, "view_answers", consultation)
    opinions = opinions_of(consultation) if sees_answers else []
    mine = next((o for o in opinions if o.member_id == user.pk), None) if opinions else None
    if mine is None and consultation.status != ConsultationStatus.DRAFT:
        mine = consultation.opinions.select_related("member", "response").filter(member_id=user.pk).first()
    if mine is not None:
        mine.consultation = consultation
    ready = tally_ready(consultation, today)
    rules = settings_for(consultation.committee_id)
    context: dict[str, Any] = {
        "consultation": consultation,
        "files": list(consultation.files.all()) if can(user, "view_files", consultation) else [],
        "opinions": opinions,
        "sees_answers": sees_answers,
        "mine": mine,
        "tally": tally_of(consultation, rules) if sees_answers and consultation.status != "draft" else None,
        "tally_ready": ready,
        "is_open": is_open(consultation, today),
        "can_change": can(user, "change", consultation),
        "can_close": can(user, "close", consultation) and ready,
        "settings": rules,
        "file_form": forms.get("file_form") or FileForm(),
        "close_form": CloseForm(version=consultation.version),
        "send_url_ready": can(user, "send", consultation),
    }
    if mine is not None and can(user, "answer", mine) and (context["is_open"] or not mine.answer):
        context["answer_form"] = forms.get("answer_form") or OpinionForm(
            version=mine.version, initial={"answer": mine.answer, "comment": mine.comment}
        )
    enter_forms = []
    respond_forms = []
    for opinion in opinions:
        opinion.consultation = consultation
        if can(user, "enter", opinion) and (context["is_open"] or not opinion.answer):
            enter_forms.append(
                (
                    opinion,
                    forms.get(f"enter_{opinion.pk}")
                    or OpinionForm(version=opinion.version, prefix=f"o{opinion.pk}"),
                )
            )
        if ready and can(user, "respond", opinion):
            response = getattr(opinion, "response", None)
            respond_forms.append(
                (
                    opinion,
                    forms.get(f"respond_{opinion.pk}")
                    or ResponseForm(
                        version=response.version if response else 0,
                        prefix=f"r{opinion.pk}",
                        initial={"kind": response.kind, "text": response.text} if response else None,
                    ),
                )
            )
    context["enter_forms"] = enter_forms
    context["respond_forms"] = respond_forms
    return context


@login_required
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_for_user(request.user, detail_queryset(), pk, "view")
    return render(
        request, "deliberation/consultations/consultation_detail.html", _detail_context(request, consultation)
    )


@login_required
@require_GET
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail's link to an opinion: its consultation's page."""
    opinion = get_for_user(request.user, Opinion.objects.select_related("consultation"), pk, "view_opinion")
    return redirect(opinion.consultation)


@login_required
@require_POST
def file_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_for_user(request.user, detail_queryset(), pk, "view")
    if consultation.status != ConsultationStatus.DRAFT:
        return stale_action(request, _("Dự thảo đã gửi: không thể thêm tệp."), consultation)
    require(request.user, "change", consultation)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with once(request, form) as submission:
                attached = consultation_add_file(
                    actor=acting_user(request),
                    consultation=consultation,
                    upload=form.cleaned_data["file"],
                    role=form.cleaned_data["role"],
                )
                submission.created(consultation)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": attached.original_name})
            return redirect(consultation)
    return render(
        request,
        "deliberation/consultations/consultation_detail.html",
        _detail_context(request, consultation, file_form=form),
        status=400,
    )


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    attached = get_for_user(request.user, ConsultationFile.objects.select_related("consultation"), pk, "view")
    try:
        handle = attached.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, content_type=attached.content_type)
    response["Content-Disposition"] = content_disposition(attached.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def consultation_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Sending is deliberate: the confirmation names the members and the deadline first."""
    consultation = get_for_user(request.user, detail_queryset(), pk, "view")
    if consultation.status != ConsultationStatus.DRAFT:
        return stale_action(request, _("Dự thảo này đã được gửi lấy ý kiến."), consultation)
    require(request.user, "send", consultation)
    form = SendForm(request.POST or None, version=consultation.version)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_send(
                actor=acting_user(request), consultation=consultation, version=form.submitted_version
            )
        except ValidationError as error:
            return stale_action(request, error, consultation)
        messages.success(
            request,
            _("Đã gửi lấy ý kiến; hạn cho ý kiến: hết ngày %(day)s.")
            % {"day": f"{consultation.deadline:%d/%m/%Y}"},
        )
        return redirect(consultation)
    if request.method == "POST":
        return stale_action(request, stale_or(form, _("Không gửi được.")), consultation)
    today = clock.today()
    days = settings_for(consultation.committee_id).reply_working_days
    context = {
        "consultation": consultation,
        "form": form,
        "members": recipients_of(consultation),
        "deadline": deadline_for(today, days),
        "days": days,
        "has_submission": consultation.files.filter(role="submission").exists(),
    }
    return render(request, "deliberation/consultations/send_confirm.html", context)


@login_required
@require_POST
def consultation_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_for_user(request.user, detail_queryset(), pk, "view")
    if consultation.status != ConsultationStatus.SENT:
        return stale_action(request, _("Lấy ý kiến này không ở trạng thái chờ tổng hợp."), consultation)
    require(request.user, "close", consultation)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Không tổng hợp được.")), consultation)
    try:
        consultation = consultation_close(
            actor=acting_user(request), consultation=consultation, version=form.submitted_version
        )
    except ValidationError as error:
        return stale_action(request, error, consultation)
    messages.success(request, _("Đã tổng hợp: %(result)s.") % {"result": consultation.get_result_display()})
    return redirect(consultation)


def _opinion_for(request: HttpRequest, pk: int) -> Opinion:
    opinion = get_for_user(
        request.user, Opinion.objects.select_related("consultation", "member"), pk, "view_opinion"
    )
    return opinion


@login_required
@require_POST
def opinion_give_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion_for(request, pk)
    consultation = get_for_user(request.user, detail_queryset(), opinion.consultation_id, "view")
    opinion.consultation = consultation
    if not can(request.user, "answer", opinion):
        return stale_action(request, _("Không thể cho ý kiến về dự thảo này nữa."), consultation)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            opinion = opinion_give(
                actor=acting_user(request),
                opinion=opinion,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            note = _(" (sau hạn)") if opinion.is_late else ""
            messages.success(
                request,
                _("Đã ghi nhận ý kiến: %(answer)s%(note)s.")
                % {"answer": opinion.get_answer_display(), "note": note},
            )
            return redirect(consultation)
    return render(
        request,
        "deliberation/consultations/consultation_detail.html",
        _detail_context(request, consultation, answer_form=form),
        status=400,
    )


@login_required
@require_POST
def opinion_enter_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion_for(request, pk)
    consultation = get_for_user(request.user, detail_queryset(), opinion.consultation_id, "view")
    opinion.consultation = consultation
    if not can(request.user, "enter", opinion):
        return stale_action(request, _("Không thể nhập ý kiến cho dự thảo này nữa."), consultation)
    form = OpinionForm(request.POST, prefix=f"o{opinion.pk}")
    if form.is_valid():
        try:
            opinion_enter(
                actor=acting_user(request),
                opinion=opinion,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã nhập ý kiến của %(member)s.") % {"member": opinion.member})
            return redirect(consultation)
    return render(
        request,
        "deliberation/consultations/consultation_detail.html",
        _detail_context(request, consultation, **{f"enter_{opinion.pk}": form}),
        status=400,
    )


@login_required
@require_POST
def opinion_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion_for(request, pk)
    consultation = get_for_user(request.user, detail_queryset(), opinion.consultation_id, "view")
    opinion.consultation = consultation
    if not can(request.user, "respond", opinion):
        return stale_action(request, _("Không thể tiếp thu, giải trình ý kiến này."), consultation)
    form = ResponseForm(request.POST, prefix=f"r{opinion.pk}")
    if form.is_valid():
        try:
            opinion_respond(
                actor=acting_user(request),
                opinion=opinion,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                version=form.submitted_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi nhận tiếp thu, giải trình ý kiến của %(member)s.") % {"member": opinion.member},
            )
            return redirect(consultation)
    return render(
        request,
        "deliberation/consultations/consultation_detail.html",
        _detail_context(request, consultation, **{f"respond_{opinion.pk}": form}),
        status=400,
    )


def _result_sheet(request: HttpRequest, pk: int, fmt: rendering.Format) -> HttpResponse:
    consultation = get_for_user(request.user, detail_queryset(), pk, "view_answers")
    if consultation.status == ConsultationStatus.DRAFT:
        return stale_action(request, _("Dự thảo chưa gửi lấy ý kiến."), consultation)
    rules = settings_for(consultation.committee_id)
    spec = result_sheet_spec(
        consultation,
        opinions_of(consultation),
        tally_of(consultation, rules),
        rule_code=rules.pass_rule,
        comments_in_favour=rules.comments_count_in_favour,
    )
    return document_response(rendering.render(spec, fmt))


@login_required
@require_GET
def result_sheet_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_sheet(request, pk, "docx")


@login_required
@require_GET
def result_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_sheet(request, pk, "pdf")


def period_bounds(year: int, period: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a year ("year"), a quarter ("q1".."q4") or a month ("m1".."m12")."""
    if period.startswith("q"):
        quarter = int(period[1:])
        first = datetime.date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
    elif period.startswith("m"):
        month = int(period[1:])
        first = datetime.date(year, month, 1)
        last_month = month
    else:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if last_month == 12:
        return first, datetime.date(year, 12, 31)
    return first, datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)


@login_required
@require_GET
def punctuality_view(request: HttpRequest) -> HttpResponse:
    """Per member and period: opinions on time, late, missing (seed 001: members "cơ bản cho
    ý kiến trước thời hạn")."""
    require(request.user, "deliberation.view_punctuality")
    committees = committees_for_punctuality(request.user)
    form = PunctualityForm(request.GET or None, committees=committees, options_key=scope_key(request.user))
    today = clock.today()
    committee = None
    year, period = today.year, "year"
    if form.is_bound and form.is_valid():
        committee = form.cleaned_data["committee"]
        year = form.cleaned_data["year"] or year
        period = form.cleaned_data["period"] or period
    if committee is None:
        committee = home_committee(request.user, committees)
    rows = []
    first, last = period_bounds(year, period)
    if committee is not None:
        require(request.user, "deliberation.punctuality", committee)
        rows = punctuality(committee, first, last, today)
    context = {
        "form": form,
        "committee": committee,
        "rows": rows,
        "first": first,
        "last": last,
    }
    return render(request, "deliberation/consultations/punctuality.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """The committee's rules for members' opinions (deadline, reminder, voting rule)."""
    require(request.user, "deliberation.create_consultation")
    committees = committees_for_office(request.user)
    home = home_committee(request.user, committees)
    chosen = request.GET.get("unit") or (home.pk if home is not None else None)
    unit = get_for_user(request.user, committees, chosen, "deliberation.settings")
    current = settings_for(unit)
    form = SettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            deliberation_settings_update(
                actor=acting_user(request), unit=unit, data=form.service_data(), version=form.settings_version
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thiết lập của %(unit)s.") % {"unit": unit})
            return redirect(f"{reverse('deliberation:settings')}?unit={unit.pk}")
    context = {"form": form, "unit": unit, "committees": committees.only("pk", "code", "name")[:500]}
    return render(request, "deliberation/consultations/settings.html", context)
