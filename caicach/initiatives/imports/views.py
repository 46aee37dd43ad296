"""Import pages: upload a dossier written on the seed layouts (.docx / .txt), get a prefilled
draft to check. When the file has no usable authors table (the description, seed 001, has
none), the user sees what was read and may create the draft with themselves as a stand-in
author, explicitly."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from caicach.core.models import Unit, User
from caicach.core.permissions import get_for_user, require
from caicach.initiatives.dossiers.access import initiatives_with_relations
from caicach.initiatives.imports.forms import (
    DossierImportForm,
    DossierImportIntoForm,
    PlaceholderImportForm,
    import_campaigns,
    import_units,
)
from caicach.initiatives.imports.parser import (
    AUTHOR_COLUMNS,
    LAYOUT_EFFECTIVENESS,
    ParsedDossier,
    field_labels,
)
from caicach.initiatives.imports.services import (
    ImportResult,
    authors_problems,
    initiative_import,
    initiative_import_into,
)
from caicach.initiatives.models import Campaign, Initiative, InitiativeKind

# One pending import per session: the parse result waiting for the user's confirmation.
SESSION_KEY = "initiatives.import"
EXCERPT_CHARS = 300


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _announce(request: HttpRequest, parsed: ParsedDossier, result: ImportResult, filename: str) -> None:
    """What the user must check, as messages on the draft's edit page: nothing inferred or
    left out goes unsaid."""
    if result.filled:
        messages.success(
            request,
            _("Đã nhập tệp “%(name)s”: %(fields)s. Vui lòng kiểm tra từng mục trước khi gửi.")
            % {"name": filename, "fields": "; ".join(result.filled)},
        )
    else:
        messages.info(request, _("Tệp “%(name)s” không có mục nào để điền thêm.") % {"name": filename})
    if parsed.missing:
        messages.warning(
            request,
            _("Chưa tìm thấy trong tệp, vui lòng nhập bổ sung: %(fields)s.")
            % {"fields": "; ".join(parsed.missing)},
        )
    if result.kept:
        messages.info(
            request,
            _("Hồ sơ đã có nội dung nên được giữ nguyên (nội dung trong tệp khác): %(fields)s.")
            % {"fields": "; ".join(result.kept)},
        )
    if result.authors_imported:
        messages.info(
            request,
            _("Đã nhập bảng tác giả (%(count)s người), đánh số thứ tự 1–%(count)s.")
            % {"count": len(parsed.authors)},
        )
    elif parsed.authors and result.authors_problems:
        messages.warning(
            request,
            _("Bảng tác giả trong tệp chưa hợp lệ nên chưa được nhập: %(problems)s")
            % {"problems": " ".join(result.authors_problems)},
        )
    elif parsed.authors:
        messages.info(request, _("Hồ sơ đã có bảng tác giả nên được giữ nguyên."))
    for note in parsed.notes:
        messages.info(request, note)
    if parsed.layout == LAYOUT_EFFECTIVENESS and (
        parsed.extras.get("effectiveness") or parsed.extras.get("replicability")
    ):
        messages.info(
            request,
            _(
                "Tệp là báo cáo hiệu quả áp dụng: phần “Về hiệu quả áp dụng” và “Về khả năng nhân rộng” "
                "không thuộc hồ sơ đề nghị công nhận nên chưa được nhập; dùng lại tệp này khi lập báo cáo "
                "hiệu quả sau khi sáng kiến được công nhận."
            ),
        )


def _errors_to_form(form: Any, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
        return
    for message in exc.messages:
        form.add_error(None, message)


def _result_context(parsed: ParsedDossier) -> dict[str, Any]:
    labels = field_labels()
    found = []
    for name, value in parsed.fields.items():
        text = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
        found.append(
            {
                "label": labels.get(name, name),
                "excerpt": text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + "…",
                "length": len(text),
            }
        )
    extras = [
        {"label": labels[key], "excerpt": value[:EXCERPT_CHARS] + ("…" if len(value) > EXCERPT_CHARS else "")}
        for key, value in parsed.extras.items()
    ]
    return {
        "parsed": parsed,
        "found": found,
        "extras": extras,
        "author_columns": [labels[c] for c in AUTHOR_COLUMNS[1:]],
        "problems": authors_problems(parsed),
    }


def _remember(
    request: HttpRequest, parsed: ParsedDossier, filename: str, unit: Unit, campaign: Campaign | None
) -> str:
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "parsed": parsed.as_data(),
        "filename": filename,
        "unit": unit.pk,
        "campaign": campaign.pk if campaign else None,
    }
    return token


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload page. A new draft is created at once when the file has a valid authors table;
    otherwise the parse result is shown with the stand-in author offer. Choosing one of the
    user's drafts fills its empty parts instead."""
    require(request.user, "initiatives.create_initiative")
    actor = _actor(request)
    if request.method == "POST" and "token" in request.POST:
        return _create_with_placeholder(request, actor)
    form = DossierImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=actor,
        initial={"campaign": request.GET.get("campaign")},
    )
    if request.method == "POST" and form.is_valid():
        parsed = form.parsed
        assert parsed is not None
        target: Initiative | None = form.cleaned_data["target"]
        try:
            if target is not None:
                initiative = get_for_user(actor, initiatives_with_relations(), target.pk, "change")
                result = initiative_import_into(
                    initiative=initiative,
                    actor=actor,
                    parsed=parsed,
                    filename=form.filename,
                    version=initiative.version,
                )
            else:
                unit: Unit = form.cleaned_data["unit"]
                campaign: Campaign | None = form.cleaned_data["campaign"]
                if authors_problems(parsed):
                    token = _remember(request, parsed, form.filename, unit, campaign)
                    context = _result_context(parsed)
                    context.update(
                        {
                            "filename": form.filename,
                            "unit": unit,
                            "campaign": campaign,
                            "confirm_form": PlaceholderImportForm(initial={"token": token}),
                        }
                    )
                    return render(request, "initiatives/imports/result.html", context)
                result = initiative_import(
                    actor=actor, unit=unit, campaign=campaign, parsed=parsed, filename=form.filename
                )
        except (ValidationError, PermissionDenied) as exc:
            _errors_to_form(form, exc)
        else:
            _announce(request, parsed, result, form.filename)
            return redirect("initiatives:initiative_edit", pk=result.initiative.pk)
    return render(request, "initiatives/imports/form.html", {"form": form, "initiative": None})


def _create_with_placeholder(request: HttpRequest, actor: User) -> HttpResponse:
    form = PlaceholderImportForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    if not form.is_valid() or not pending or pending.get("token") != form.cleaned_data["token"]:
        if pending and form.errors.get("confirm"):
            messages.error(request, _("Vui lòng đánh dấu xác nhận trước khi tạo hồ sơ."))
        else:
            messages.error(request, _("Phiên nhập tệp đã hết hạn. Vui lòng tải tệp lên lại."))
        return redirect("initiatives:initiative_import")
    parsed = ParsedDossier.from_data(pending["parsed"])
    # The choices are checked again: rights may have changed since the upload.
    unit = import_units(actor).filter(pk=pending["unit"]).first()
    campaign = import_campaigns(actor).filter(pk=pending["campaign"]).first() if pending["campaign"] else None
    if unit is None or (pending["campaign"] and campaign is None):
        messages.error(
            request, _("Đơn vị hoặc đợt phát động đã chọn không còn hợp lệ. Vui lòng tải tệp lên lại.")
        )
        return redirect("initiatives:initiative_import")
    try:
        result = initiative_import(
            actor=actor,
            unit=unit,
            campaign=campaign,
            parsed=parsed,
            filename=pending["filename"],
            use_placeholder_author=True,
        )
    except (ValidationError, PermissionDenied) as exc:
        problems = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        for problem in problems:
            messages.error(request, problem)
        return redirect("initiatives:initiative_import")
    del request.session[SESSION_KEY]
    _announce(request, parsed, result, pending["filename"])
    messages.warning(
        request,
        _(
            "Bảng tác giả đang tạm ghi bạn là tác giả duy nhất (100%): "
            "vui lòng sửa lại cho đúng trước khi gửi."
        ),
    )
    return redirect("initiatives:initiative_edit", pk=result.initiative.pk)


@login_required
def import_into_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the empty parts of one draft from a file (404 for anyone who may not edit it)."""
    initiative = get_for_user(request.user, initiatives_with_relations(), pk, "change")
    actor = _actor(request)
    form = DossierImportIntoForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"version": initiative.version},
    )
    if request.method == "POST" and form.is_valid():
        parsed = form.parsed
        assert parsed is not None
        try:
            result = initiative_import_into(
                initiative=initiative,
                actor=actor,
                parsed=parsed,
                filename=form.filename,
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors_to_form(form, exc)
        else:
            _announce(request, parsed, result, form.filename)
            return redirect("initiatives:initiative_edit", pk=initiative.pk)
    context = {
        "form": form,
        "initiative": initiative,
        "wrong_kind": initiative.kind != InitiativeKind.SOLUTION,
    }
    return render(request, "initiatives/imports/form.html", context)
