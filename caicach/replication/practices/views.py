"""Pages of the practice catalogue: the list, a practice, Home Affairs' create and edit
forms, a unit's proposal, the evaluation, publication, attachments and the one action that
turns a recognised initiative into a practice. Thin: fetch through the rules, call one
service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core.downloads import content_disposition
from caicach.core.forms import INTEGER_MAX
from caicach.core.models import Unit
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import acting_units, can, get_for_user, require
from caicach.core.versioning import stale_or
from caicach.core.web import acting_user, add_service_errors, stale_action
from caicach.initiatives.models import Initiative
from caicach.replication.models import Practice, PracticeAttachment, PracticeStatus
from caicach.replication.practices import queries
from caicach.replication.practices.forms import (
    AttachmentForm,
    EvaluateForm,
    PracticeFilterForm,
    PracticeForm,
    PublishForm,
)
from caicach.replication.practices.services import (
    practice_attach,
    practice_create,
    practice_evaluate,
    practice_from_initiative,
    practice_propose,
    practice_publish,
    practice_update,
)

PAGE_SIZE = 25
CONTENT_FIELDS = (
    "name",
    "kind",
    "origin_unit",
    "origin_external_name",
    "summary",
    "implementation_steps",
    "conditions",
    "cost",
    "contact",
    "reform_fields",
    "indices",
)


def _practice(request: HttpRequest, pk: int) -> Practice:
    return get_for_user(request.user, queries.practice_for_page(pk), pk, "view")


def _number(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number <= INTEGER_MAX else None


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in CONTENT_FIELDS}


@login_required
@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "replication.view_practices")
    form = PracticeFilterForm(request.GET, user=request.user)
    page = Paginator(queries.practice_list_rows(request.user, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "replication/practices/list.html",
        {
            "page_obj": page,
            "form": form,
            "can_create": can(request.user, "replication.create_practice"),
            "can_propose": can(request.user, "replication.propose_practice"),
        },
    )


@login_required
@require_GET
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    can_evaluate = can(request.user, "evaluate", practice)
    can_publish = can(request.user, "publish", practice)
    can_edit = can(request.user, "change", practice)
    return render(
        request,
        "replication/practices/detail.html",
        {
            "practice": practice,
            **queries.practice_details(practice),
            **queries.initiative_sources(practice.initiative),
            "can_edit": can_edit,
            "evaluate_form": EvaluateForm(initial={"version": practice.version}) if can_evaluate else None,
            "publish_form": PublishForm(
                initial={"version": practice.version, "publish": not practice.is_published}
            )
            if can_publish
            else None,
            "attachment_form": AttachmentForm() if can_edit else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "replication.create_practice")
    committees = queries.managed_committees(request.user)
    form = PracticeForm(
        request.POST or None,
        mode="create",
        units=queries.unit_choices(request.user),
        committees=committees,
        initial={"committee": queries.own_committee(request.user, committees)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with once(request, form) as submission:
                practice = practice_create(
                    actor=acting_user(request), committee=data["committee"], **_content(data)
                )
                submission.created(practice)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm mô hình, giải pháp vào danh mục nhân rộng."))
            return redirect(practice)
    return render(
        request, "replication/practices/form.html", {"form": form, "practice": None, "mode": "create"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    require(request.user, "change", practice)
    initial: dict[str, Any] = {
        name: getattr(practice, name)
        for name in CONTENT_FIELDS
        if name not in ("origin_unit", "reform_fields", "indices")
    }
    initial.update(
        origin_unit=practice.origin_unit_id,
        reform_fields=list(practice.reform_fields.all()),
        indices=list(practice.indices.all()),
        version=practice.version,
    )
    form = PracticeForm(
        request.POST or None, mode="edit", units=queries.unit_choices(request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice_update(
                actor=acting_user(request), practice=practice, version=data["version"], **_content(data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu mô hình, giải pháp."))
            return redirect(practice)
    return render(
        request, "replication/practices/form.html", {"form": form, "practice": practice, "mode": "edit"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_propose_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "replication.propose_practice")
    user = acting_user(request)
    proposing = Unit.objects.filter(pk__in=acting_units(user).values("pk"), memberships__user=user).distinct()
    form = PracticeForm(
        request.POST or None,
        mode="propose",
        units=queries.unit_choices(user),
        proposing_units=proposing,
        initial={"proposing_unit": proposing.first()} if proposing.count() == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with once(request, form) as submission:
                practice = practice_propose(
                    actor=user,
                    proposing_unit=data["proposing_unit"],
                    proposal_note=data["proposal_note"],
                    **_content(data),
                )
                submission.created(practice)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Đã gửi đề xuất. Sở Nội vụ sẽ đánh giá và thông báo kết quả cho bạn.")
            )
            return redirect(practice)
    return render(
        request, "replication/practices/form.html", {"form": form, "practice": None, "mode": "propose"}
    )


@login_required
@require_POST
def practice_evaluate_view(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    if practice.status != PracticeStatus.PROPOSED:
        return stale_action(request, _("Đề xuất này đã được đánh giá."), practice)
    require(request.user, "evaluate", practice)
    form = EvaluateForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Vui lòng chọn kết quả đánh giá.")), practice)
    try:
        practice_evaluate(
            actor=acting_user(request),
            practice=practice,
            version=form.cleaned_data["version"],
            accept=form.cleaned_data["decision"] == PracticeStatus.ACCEPTED,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return stale_action(request, error, practice)
    messages.success(request, _("Đã ghi kết quả đánh giá và thông báo cho đơn vị đề xuất."))
    return redirect(practice)


@login_required
@require_POST
def practice_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    if practice.status != PracticeStatus.ACCEPTED:
        return stale_action(request, _("Chỉ công khai được mô hình đã được chọn để nhân rộng."), practice)
    require(request.user, "publish", practice)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, _("Yêu cầu không hợp lệ.")), practice)
    publish = form.cleaned_data["publish"]
    try:
        practice_publish(
            actor=acting_user(request),
            practice=practice,
            version=form.cleaned_data["version"],
            publish=publish,
        )
    except ValidationError as error:
        return stale_action(request, error, practice)
    messages.success(
        request,
        _("Đã công khai mô hình trên trang giới thiệu.") if publish else _("Đã thôi công khai mô hình."),
    )
    return redirect(practice)


@login_required
@require_POST
def practice_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    require(request.user, "change", practice)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return stale_action(request, _("Vui lòng chọn tệp đính kèm."), practice)
    try:
        attachment = practice_attach(
            actor=acting_user(request),
            practice=practice,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            is_public=form.cleaned_data["is_public"],
        )
    except ValidationError as error:
        return stale_action(request, error, practice)
    messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": attachment.name})
    return redirect(practice)


@login_required
@require_GET
def practice_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to whoever may see its practice; always as a download (``nosniff``)."""
    attachment = PracticeAttachment.objects.select_related("practice").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    require(request.user, "download", attachment.practice)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True)
    response["Content-Disposition"] = content_disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def practice_from_initiative_view(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_for_user(request.user, Initiative.objects.select_related("campaign"), pk, "view")
    existing = queries.practice_of_initiative(initiative)
    if existing is not None and can(request.user, "view", existing):
        return stale_action(
            request,
            _("Sáng kiến này đã có mô hình “%(name)s” trong danh mục nhân rộng.") % {"name": existing.name},
            existing,
        )
    if not can(request.user, "make_practice", initiative):
        return stale_action(
            request, _("Chỉ sáng kiến đã được công nhận mới tạo được mô hình nhân rộng."), initiative
        )
    try:
        practice = practice_from_initiative(actor=acting_user(request), initiative=initiative)
    except ValidationError as error:
        return stale_action(request, error, initiative)
    messages.success(
        request,
        _(
            "Đã tạo mô hình nhân rộng từ sáng kiến. "
            "Vui lòng bổ sung cách thức thực hiện, kinh phí, đầu mối liên hệ."
        ),
    )
    return redirect(practice)
