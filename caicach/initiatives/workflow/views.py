"""The workflow buttons of a dossier (submit, confirm, accept, return), its documents
(DOCX in the request, PDF in the background) and the campaign's ZIP of dossiers.

Every action is a POST from the dossier page's ``_dossier_actions.html``. The dossier is
fetched with the "view" rule (outsiders get 404), then the service decides: a dossier in
the wrong state comes back with a message, a person who may see but not act gets 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core.jobs.services import job_start
from caicach.core.models import User
from caicach.core.permissions import get_for_user, require
from caicach.core.web import document_response, stale_action
from caicach.initiatives.dossiers.access import initiatives_with_relations
from caicach.initiatives.dossiers.documents import (
    DOCUMENT_KINDS,
    dossiers_for_documents,
    render_dossier_document,
)
from caicach.initiatives.dossiers.rules import may_read_document
from caicach.initiatives.dossiers.tasks import CAMPAIGN_ZIP, DOSSIER_PDF
from caicach.initiatives.models import Campaign, Initiative, InitiativeStatus
from caicach.initiatives.workflow.forms import AcceptForm, ConfirmForm, ReturnForm, SendBackForm, SubmitForm
from caicach.initiatives.workflow.services import (
    initiative_accept,
    initiative_confirm,
    initiative_return,
    initiative_send_back,
    initiative_submit,
)


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _dossier(request: HttpRequest, pk: int) -> Initiative:
    return get_for_user(request.user, initiatives_with_relations(), pk, "view")


def _act(
    request: HttpRequest, initiative: Initiative, action: Callable[[], Initiative], done: str
) -> HttpResponse:
    try:
        action()
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        # A refusal or a stale action (confirmed meanwhile in another tab): said on the page.
        return stale_action(request, exc, initiative)
    messages.success(request, done)
    return redirect(initiative.get_absolute_url())


def _form_problem(
    request: HttpRequest, initiative: Initiative, form: SubmitForm | ConfirmForm | AcceptForm | SendBackForm
) -> HttpResponse:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect(initiative.get_absolute_url())


@login_required
@require_POST
def initiative_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _dossier(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, initiative, form)
    return _act(
        request,
        initiative,
        lambda: initiative_submit(
            initiative=initiative, actor=_actor(request), version=form.cleaned_data["version"]
        ),
        _("Đã gửi hồ sơ; hồ sơ đang chờ thủ trưởng đơn vị xác nhận."),
    )


@login_required
@require_POST
def initiative_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _dossier(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, initiative, form)
    return _act(
        request,
        initiative,
        lambda: initiative_confirm(
            initiative=initiative, actor=_actor(request), note=form.cleaned_data["note"]
        ),
        _("Đã xác nhận; hồ sơ đã được gửi đến cơ quan tiếp nhận."),
    )


@login_required
@require_POST
def initiative_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit head returns the dossier to its authors with comments, before confirming."""
    initiative = _dossier(request, pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, initiative, form)
    return _act(
        request,
        initiative,
        lambda: initiative_send_back(
            initiative=initiative, actor=_actor(request), comment=form.cleaned_data["comment"]
        ),
        _("Đã trả lại hồ sơ cho tác giả kèm ý kiến."),
    )


@login_required
@require_POST
def initiative_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _dossier(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _form_problem(request, initiative, form)
    try:
        accepted = initiative_accept(
            initiative=initiative, actor=_actor(request), accepted_on=form.cleaned_data["accepted_on"]
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        reference = accepted.receipt.reference if accepted.receipt is not None else ""
        due = f"{accepted.result_due_on:%d/%m/%Y}" if accepted.result_due_on else ""
        messages.success(
            request,
            _("Đã tiếp nhận hồ sơ, giấy biên nhận số %(reference)s; hạn trả kết quả %(due)s.")
            % {"reference": reference, "due": due},
        )
    return redirect(initiative.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def initiative_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A page of its own: the comment is required and may be long."""
    initiative = _dossier(request, pk)
    if initiative.status != InitiativeStatus.SUBMITTED:
        return stale_action(
            request,
            _("Hồ sơ không còn chờ tiếp nhận (hiện: %(status)s).")
            % {"status": initiative.get_status_display()},
            initiative,
        )
    require(request.user, "receive", initiative)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative_return(
                initiative=initiative, actor=_actor(request), comment=form.cleaned_data["comment"]
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, _("Đã trả lại hồ sơ để tác giả bổ sung."))
            # A returned dossier is back with its authors: the officer no longer sees it, so
            # they go back to the campaign (or the list), not to a page that would be 404.
            if initiative.campaign is not None:
                return redirect(initiative.campaign.get_absolute_url())
            return redirect("initiatives:initiative_list")
    return render(request, "initiatives/workflow/return.html", {"initiative": initiative, "form": form})


# --- Documents ----------------------------------------------------------------------------------


def _document_dossier(request: HttpRequest, pk: int, kind: str) -> Initiative:
    if kind not in DOCUMENT_KINDS:
        raise Http404
    initiative = get_for_user(request.user, dossiers_for_documents(), pk, "view")
    if kind == "receipt" and initiative.receipt is None:
        raise Http404
    if not may_read_document(request.user, initiative, kind):
        raise Http404
    return initiative


@login_required
@require_GET
def initiative_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The application, the description or the receipt as DOCX (python-docx alone: fast
    enough for the request)."""
    initiative = _document_dossier(request, pk, kind)
    return document_response(render_dossier_document(kind, initiative, "docx"))  # type: ignore[arg-type]


@login_required
@require_POST
def initiative_document_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Start the PDF (LibreOffice, in the background) and send the user to watch it."""
    initiative = _document_dossier(request, pk, kind)
    job = job_start(
        kind=DOSSIER_PDF,
        actor=_actor(request),
        parameters={"initiative": initiative.pk, "document": kind},
        total=1,
    )
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def campaign_dossiers_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """Start packing every received dossier of the campaign into one ZIP."""
    campaign = get_for_user(request.user, Campaign.objects.all(), pk, "change")
    job = job_start(kind=CAMPAIGN_ZIP, actor=_actor(request), parameters={"campaign": campaign.pk})
    return redirect("job_detail", pk=job.pk)
