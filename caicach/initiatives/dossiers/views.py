"""Dossier pages: create (choose the layout, optionally inside a campaign), edit a draft or a
returned dossier, the dossier page, two versions side by side, and the attachments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock
from caicach.core.audit.queries import timeline_for
from caicach.core.downloads import content_disposition
from caicach.core.models import Unit, User
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import acting_units, can, get_for_user, principal, require
from caicach.core.uploads import human_size
from caicach.core.web import acting_user, stale_action
from caicach.initiatives.campaigns.queries import campaigns_with_units
from caicach.initiatives.dossiers.forms import (
    AttachmentForm,
    BaseAuthorFormSet,
    InitiativeForm,
    KindForm,
    author_formset,
    author_initial,
    with_added_row,
)
from caicach.initiatives.dossiers.queries import (
    CURRENT,
    author_user_choices,
    compare_snapshots,
    comparison_side,
    initiative_for_page,
    sections_for_display,
)
from caicach.initiatives.dossiers.rules import EDITABLE_STATUSES, campaigns_to_enter
from caicach.initiatives.dossiers.services import (
    attachment_add,
    attachment_remove,
    campaign_window_error,
    default_addressee,
    initiative_create,
    initiative_update,
)
from caicach.initiatives.models import Campaign, Initiative, InitiativeAttachment, InitiativeKind

# With more units than this on offer (an administrator), author accounts are offered from
# the administrator's own units only: a list of every account in the province helps nobody.
MAX_UNITS_FOR_USER_CHOICES = 10


def _apply_service_errors(form: InitiativeForm, formset: BaseAuthorFormSet, exc: ValidationError) -> None:
    """Show a service's refusal where it belongs: on a field, above the authors table, or
    above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif name == "authors":
            formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
                [*formset.non_form_errors(), *errors], error_class="nonform"
            )
        else:
            form.add_error(None, errors)


def _units_for_create(user: User, campaign: Campaign | None) -> QuerySet[Unit]:
    units = acting_units(user).order_by("name")
    if campaign is not None:
        units = units.filter(campaigns_open=campaign)
    return units


def _form_page(
    request: HttpRequest,
    *,
    kind: str,
    form: InitiativeForm,
    formset: BaseAuthorFormSet,
    show_errors: bool,
    initiative: Initiative | None = None,
    campaign: Campaign | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "initiative": initiative,
        "campaign": campaign,
        "kind": kind,
        "kind_label": InitiativeKind(kind).label,
        "form": form,
        "formset": formset,
        "show_errors": show_errors,
        **(extra or {}),
    }
    if request.htmx and request.POST.get("add_author"):  # type: ignore[attr-defined]
        return render(request, "initiatives/dossiers/_author_table.html", context)
    return render(request, "initiatives/dossiers/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require(user, "initiatives.create_initiative")
    campaign: Campaign | None = None
    campaign_id = request.GET.get("campaign", "")
    if campaign_id:
        campaign = get_for_user(user, campaigns_with_units(), campaign_id, "view")
    kind_form = KindForm(request.GET if "kind" in request.GET else None)
    kind = kind_form.cleaned_data["kind"] if kind_form.is_valid() else InitiativeKind.SOLUTION
    units = _units_for_create(user, campaign)
    unit_list = list(units)
    problem = campaign_window_error(campaign, clock.today()) if campaign is not None else None
    # From the menu the author picks the campaign: only those taking dossiers today that one
    # of their units may enter (a dossier outside any campaign never reaches a council).
    campaigns = campaigns_to_enter(user) if campaign is None else None
    if campaigns is not None and unit_list and not campaigns.exists():
        problem = _(
            "Hiện không có đợt phát động nào đang nhận hồ sơ sáng kiến mà đơn vị của bạn được tham gia, "
            "nên chưa thể lập hồ sơ. Hồ sơ chỉ đến được hội đồng sáng kiến qua một đợt phát động; "
            "vui lòng chờ đợt phát động mới hoặc liên hệ bộ phận cải cách hành chính."
        )
    if not problem and not unit_list:
        problem = (
            _("Đơn vị của bạn không thuộc danh sách đơn vị tham gia đợt phát động này.")
            if campaign is not None
            else _("Bạn chưa thuộc đơn vị nào để lập hồ sơ sáng kiến.")
        )
    extra = {"kind_form": kind_form, "problem": problem, "creating": True}
    choice_units = (
        [u.pk for u in unit_list]
        if len(unit_list) <= MAX_UNITS_FOR_USER_CHOICES
        else sorted(principal(user).unit_ids)  # type: ignore[union-attr]
    )
    users = author_user_choices(choice_units, linked=[user.pk])
    if request.method == "POST" and not problem:
        adding = bool(request.POST.get("add_author"))
        data = with_added_row(request.POST) if adding else request.POST
        form = InitiativeForm(data, kind=kind, units=units, campaigns=campaigns, creating=True)
        formset = author_formset(data, users=users)
        if adding:
            return _form_page(
                request,
                kind=kind,
                form=form,
                formset=formset,
                show_errors=False,
                campaign=campaign,
                extra=extra,
            )
        valid = form.is_valid()
        valid = formset.is_valid() and valid
        if valid:
            try:
                with once(request, form) as submission:
                    initiative = initiative_create(
                        actor=user,
                        unit=form.cleaned_data["unit"],
                        campaign=campaign or form.cleaned_data["campaign"],
                        kind=kind,
                        data=form.service_data(),
                        authors=formset.rows(),
                        reform_fields=form.cleaned_data["reform_fields"],
                        target_indices=form.cleaned_data["target_indices"],
                    )
                    submission.created(initiative)
            except AlreadySubmitted as repeat:
                return repeat.response(request)
            except ValidationError as exc:
                _apply_service_errors(form, formset, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("Bạn không có quyền lập hồ sơ cho đơn vị này."))
            else:
                messages.success(request, _("Đã lưu bản nháp hồ sơ sáng kiến."))
                return redirect(initiative.get_absolute_url())
        return _form_page(
            request, kind=kind, form=form, formset=formset, show_errors=True, campaign=campaign, extra=extra
        )
    lead = {
        "full_name": user.full_name,
        "date_of_birth": user.date_of_birth,
        "workplace": user.unit.name if user.unit_id and user.unit else "",
        "job_title": user.position,
        "qualification": user.qualification,
        "share": "100",
        "is_lead": True,
        "user": user.pk,
    }
    form = InitiativeForm(
        kind=kind,
        units=units,
        campaigns=campaigns,
        creating=True,
        initial={"addressee": default_addressee(campaign), "unit": unit_list[0].pk if unit_list else None},
    )
    formset = author_formset(users=users, initial=[lead])
    return _form_page(
        request, kind=kind, form=form, formset=formset, show_errors=False, campaign=campaign, extra=extra
    )


def _no_longer_editable(request: HttpRequest, initiative: Initiative) -> HttpResponse | None:
    """Editing a dossier sent meanwhile (from another tab, say): a message on its page for
    those who see it; the rule itself still decides who may edit."""
    if initiative.status in EDITABLE_STATUSES:
        return None
    return stale_action(
        request,
        _("Hồ sơ đang ở trạng thái “%(status)s”; không sửa được nữa.")
        % {"status": initiative.get_status_display()},
        initiative,
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    initiative = get_for_user(user, initiative_for_page(), pk, "view")
    if (stale := _no_longer_editable(request, initiative)) is not None:
        return stale
    require(user, "change", initiative)
    linked = [a.user_id for a in initiative.authorships.all() if a.user_id]
    users = author_user_choices([initiative.unit_id], linked=[*linked, user.pk])
    kind = initiative.kind
    if request.method == "POST":
        adding = bool(request.POST.get("add_author"))
        data = with_added_row(request.POST) if adding else request.POST
        form = InitiativeForm(data, kind=kind)
        formset = author_formset(data, users=users)
        if adding:
            return _form_page(
                request, kind=kind, form=form, formset=formset, show_errors=False, initiative=initiative
            )
        valid = form.is_valid()
        valid = formset.is_valid() and valid
        if valid:
            try:
                initiative_update(
                    initiative=initiative,
                    actor=user,
                    data=form.service_data(),
                    authors=formset.rows(),
                    version=form.cleaned_data["version"],
                    reform_fields=form.cleaned_data["reform_fields"],
                    target_indices=form.cleaned_data["target_indices"],
                )
            except ValidationError as exc:
                _apply_service_errors(form, formset, exc)
            else:
                messages.success(request, _("Đã lưu hồ sơ sáng kiến."))
                return redirect(initiative.get_absolute_url())
        return _form_page(
            request, kind=kind, form=form, formset=formset, show_errors=True, initiative=initiative
        )
    initial: dict[str, Any] = {name: getattr(initiative, name) for name in InitiativeForm(kind=kind).fields}
    initial.update(
        version=initiative.version,
        reform_fields=[f.pk for f in initiative.reform_fields.all()],
        target_indices=[i.pk for i in initiative.target_indices.all()],
    )
    form = InitiativeForm(kind=kind, initial=initial)
    formset = author_formset(users=users, initial=author_initial(initiative))
    return _form_page(
        request, kind=kind, form=form, formset=formset, show_errors=False, initiative=initiative
    )


@login_required
@require_GET
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    initiative = get_for_user(user, initiative_for_page(), pk, "view")
    authors = list(initiative.authorships.all())
    can_edit = can(user, "change", initiative)
    context = {
        "initiative": initiative,
        "authors": authors,
        "total_share": sum((a.share for a in authors), Decimal(0)),
        "groups": sections_for_display(initiative),
        "attachments": initiative.live_attachments,  # type: ignore[attr-defined]
        "versions": initiative.version_list,  # type: ignore[attr-defined]
        "reform_fields": list(initiative.reform_fields.all()),
        "target_indices": list(initiative.target_indices.all()),
        "can_edit": can_edit,
        "personal_data": can(user, "view_personal_data", initiative),
        "attachment_form": AttachmentForm() if can_edit else None,
        "upload_limit": human_size(settings.UPLOAD_MAX_BYTES),
        "events": timeline_for(initiative),
    }
    return render(request, "initiatives/dossiers/detail.html", context)


@login_required
@require_GET
def initiative_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side (``?a=1&b=3``; ``current`` is the dossier as it is now)."""
    user = acting_user(request)
    initiative = get_for_user(user, initiative_for_page(), pk, "view")
    numbers = [str(v.number) for v in initiative.version_list]  # type: ignore[attr-defined]
    default_a = numbers[-2] if len(numbers) >= 2 else (numbers[-1] if numbers else CURRENT)
    default_b = numbers[-1] if len(numbers) >= 2 else CURRENT
    a = comparison_side(initiative, request.GET.get("a") or default_a)
    b = comparison_side(initiative, request.GET.get("b") or default_b)
    if a is None or b is None:
        raise Http404
    personal_data = can(user, "view_personal_data", initiative)
    fields, authors, lists = compare_snapshots(a.data, b.data, personal_data=personal_data)
    context = {
        "initiative": initiative,
        "versions": initiative.version_list,  # type: ignore[attr-defined]
        "a": a,
        "b": b,
        "current": CURRENT,
        "fields": fields,
        "authors": authors,
        "lists": lists,
        "personal_data": personal_data,
        "changed_count": sum(f.changed for f in (*fields, *lists)) + sum(r.changed for r in authors),
    }
    return render(request, "initiatives/dossiers/compare.html", context)


# --- Attachments ------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    initiative = get_for_user(user, initiative_for_page(), pk, "view")
    if (stale := _no_longer_editable(request, initiative)) is not None:
        return stale
    require(user, "change", initiative)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachment_add(
                initiative=initiative,
                actor=user,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đính kèm tệp “%(name)s”.") % {"name": attachment.original_name})
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
    return redirect(f"{initiative.get_absolute_url()}#tep-dinh-kem")


def _attachment_for(request: HttpRequest, pk: int, action: str) -> InitiativeAttachment:
    attachment = (
        InitiativeAttachment.objects.select_related(
            "initiative__campaign__issuing_unit", "initiative__campaign__receiving_unit", "initiative__unit"
        )
        .prefetch_related("initiative__authorships")
        .filter(removed_at__isnull=True, pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404
    require(request.user, action, attachment.initiative)
    return attachment


@login_required
@require_POST
def attachment_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment_for(request, pk, "change")
    try:
        attachment_remove(attachment=attachment, actor=acting_user(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã gỡ tệp “%(name)s”.") % {"name": attachment.original_name})
    return redirect(f"{attachment.initiative.get_absolute_url()}#tep-dinh-kem")


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to whoever may see its dossier. Always as a download with its checked
    content type: the browser never renders an uploaded file in our origin."""
    attachment = _attachment_for(request, pk, "view")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
