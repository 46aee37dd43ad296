"""Pages of replication directives: the list, a directive, its drafting forms (text,
practices, assignments), its document, the leader's issue confirmation and Home Affairs'
extension to units created later. Thin: fetch through the rules, call one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.jobs.services import job_start
from caicach.core.models import Unit
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import can, get_for_user, principal, require
from caicach.core.versioning import STALE_EDIT_MESSAGE, stale_or
from caicach.core.web import acting_user, add_service_errors, document_response, file_response, stale_action
from caicach.replication import cycles
from caicach.replication.directives import queries
from caicach.replication.directives.documents import directive_spec, leader_signature
from caicach.replication.directives.forms import (
    AssignmentForm,
    DirectiveForm,
    ListingFormSet,
    ListingVersionForm,
    VersionForm,
)
from caicach.replication.directives.services import (
    AssignmentDraft,
    ListingDraft,
    assignment_add,
    assignment_remove,
    directive_create,
    directive_issue,
    directive_practices_set,
    directive_update,
    issue_problems,
    obligations_extend,
)
from caicach.replication.directives.tasks import DIRECTIVE_PDF
from caicach.replication.models import Assignment, Directive, DirectiveSection, DirectiveStatus, PracticeKind

PAGE_SIZE = 25
UNITS_PAGE_SIZE = 20
_ISSUED_MESSAGE = _("Văn bản đã ban hành, không thể sửa.")


def _directive(request: HttpRequest, pk: int) -> Directive:
    return get_for_user(request.user, queries.directive_queryset(), pk, "view")


def _editable(request: HttpRequest, directive: Directive) -> HttpResponse | None:
    """A page that edits the draft: issued → back to it with the reason; no right → 404."""
    if directive.status != DirectiveStatus.DRAFT:
        return stale_action(request, str(_ISSUED_MESSAGE), directive)
    require(request.user, "change", directive)
    return None


@login_required
@require_GET
def directive_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "replication.view_directives")
    status = request.GET.get("status", "")
    if status not in DirectiveStatus.values:
        status = ""
    rows = queries.directives_for(request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "replication/directives/list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": DirectiveStatus.choices,
            "can_create": can(request.user, "replication.draft_directive"),
        },
    )


@login_required
@require_GET
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    units, obligation_rows = queries.obligations_table(directive, request.GET.get("page"), UNITS_PAGE_SIZE)
    can_edit = can(request.user, "change", directive)
    can_issue = can(request.user, "issue", directive)
    return render(
        request,
        "replication/directives/detail.html",
        {
            "directive": directive,
            "listings": queries.listings(directive),
            "assignments": queries.assignments(directive),
            "units_page": units,
            "obligation_rows": obligation_rows,
            "can_edit": can_edit,
            "can_issue": can_issue,
            "can_extend": can(request.user, "extend", directive),
            "problems": issue_problems(directive) if can_edit or can_issue else [],
        },
    )


def _coordinators(request: HttpRequest) -> Any:
    who = principal(request.user)
    assert who is not None
    return queries.coordinator_choices(who)


@login_required
@require_http_methods(["GET", "POST"])
def directive_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "replication.draft_directive")
    committees = queries.draftable_committees(request.user)
    own = queries.own_committee(acting_user(request), committees)
    initial = {
        "issuing_unit": own.pk if own is not None else None,
        "reporting_cycle": cycles.settings_for(own).default_cycle if own is not None else "quarterly",
    }
    form = DirectiveForm(
        request.POST or None, committees=committees, coordinators=_coordinators(request), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with once(request, form) as submission:
                directive = directive_create(
                    actor=acting_user(request),
                    issuing_unit=data["issuing_unit"],
                    title=data["title"],
                    document_type=data["document_type"],
                    legal_basis=data["legal_basis"],
                    preamble=data["preamble"],
                    closing=data["closing"],
                    coordinator_unit=data["coordinator_unit"],
                    reporting_cycle=data["reporting_cycle"],
                    recipients=data["recipients"],
                )
                submission.created(directive)
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Đã lưu dự thảo. Tiếp theo, chọn các mô hình, giải pháp nêu trong văn bản.")
            )
            return redirect("replication:directive_practices", pk=directive.pk)
    return render(request, "replication/directives/form.html", {"form": form, "directive": None})


@login_required
@require_http_methods(["GET", "POST"])
def directive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    refused = _editable(request, directive)
    if refused is not None:
        return refused
    initial = {
        name: getattr(directive, name)
        for name in (
            "document_type",
            "title",
            "legal_basis",
            "preamble",
            "closing",
            "reporting_cycle",
            "recipients",
        )
    }
    initial.update(coordinator_unit=directive.coordinator_unit_id, version=directive.version)
    form = DirectiveForm(
        request.POST or None,
        committees=Unit.objects.none(),
        coordinators=queries.answering_units(directive.issuing_unit_id),
        directive=directive,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive_update(
                actor=acting_user(request),
                directive=directive,
                version=data["version"],
                title=data["title"],
                document_type=data["document_type"],
                legal_basis=data["legal_basis"],
                preamble=data["preamble"],
                closing=data["closing"],
                coordinator_unit=data["coordinator_unit"],
                reporting_cycle=data["reporting_cycle"],
                recipients=data["recipients"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect(directive)
    return render(request, "replication/directives/form.html", {"form": form, "directive": directive})


def _listing_initial(directive: Directive) -> list[dict[str, Any]]:
    listed = {row.practice_id: row for row in queries.listings(directive)}
    practices = list(queries.accepted_practices(directive.issuing_unit_id).prefetch_related("indices"))
    known = {practice.pk for practice in practices}
    practices += [row.practice for row in listed.values() if row.practice_id not in known]
    rows: list[dict[str, Any]] = []
    for practice in practices:
        row = listed.get(practice.pk)
        indices = [index.name for index in practice.indices.all()] if practice.pk in known else []
        default_group = (
            _("Đối với chỉ số %(index)s") % {"index": " và chỉ số ".join(indices)} if indices else ""
        )
        rows.append(
            {
                "practice": practice.pk,
                "included": row is not None,
                "section": row.section
                if row is not None
                else (
                    DirectiveSection.MODELS
                    if practice.kind == PracticeKind.MODEL
                    else DirectiveSection.SOLUTIONS
                ),
                "group_title": row.group_title if row is not None else default_group,
                "label": row.label if row is not None else "",
                "position": row.position if row is not None else None,
                "_practice": practice,
            }
        )
    rows.sort(
        key=lambda item: (
            not item["included"],
            item["section"] != DirectiveSection.MODELS,
            item["position"] or 0,
        )
    )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def directive_practices(request: HttpRequest, pk: int) -> HttpResponse:
    """Which of the committee's accepted practices the directive lists, in which section,
    group and order."""
    directive = _directive(request, pk)
    refused = _editable(request, directive)
    if refused is not None:
        return refused
    initial = _listing_initial(directive)
    practices = {item["practice"]: item.pop("_practice") for item in initial}
    formset = ListingFormSet(request.POST or None, initial=initial)
    version_form = ListingVersionForm(request.POST or None, initial={"version": directive.version})
    if request.method == "POST":
        if not version_form.is_valid():
            return stale_action(request, str(STALE_EDIT_MESSAGE), directive)
        if formset.is_valid():
            drafts = [
                ListingDraft(
                    practice=practices[data["practice"]],
                    section=data["section"],
                    group_title=data["group_title"],
                    label=data["label"],
                    position=data["position"],
                )
                for data in formset.cleaned_data
                if data.get("included") and data.get("practice") in practices
            ]
            try:
                directive_practices_set(
                    actor=acting_user(request),
                    directive=directive,
                    version=version_form.cleaned_data["version"],
                    listings=drafts,
                )
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
            else:
                messages.success(request, _("Đã lưu các mô hình, giải pháp nêu trong văn bản."))
                return redirect(directive)
    rows = [(form, practices.get(form.initial.get("practice"))) for form in formset]
    return render(
        request,
        "replication/directives/practices.html",
        {"directive": directive, "formset": formset, "version_form": version_form, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def directive_assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    refused = _editable(request, directive)
    if refused is not None:
        return refused
    form = AssignmentForm(
        request.POST or None,
        practices=queries.listed_practices(directive),
        units=queries.committee_units(directive.issuing_unit_id).order_by("kind", "name"),
        coordinators=queries.coordinating_choices(directive.issuing_unit_id),
        initial={"version": directive.version, "reporting_cycle": ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment_add(
                actor=acting_user(request),
                directive=directive,
                version=data["version"],
                draft=AssignmentDraft(
                    practices=list(data["practices"]),
                    target_group=data["target_group"],
                    target_unit=data["target_unit"],
                    role=data["role"],
                    coordinating_units=list(data["coordinating_units"]),
                    include_subordinate_communes=data["include_subordinate_communes"],
                    due_on=data["due_on"],
                    reporting_cycle=data["reporting_cycle"],
                    text=data["text"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm nội dung giao."))
            return redirect(directive)
    return render(
        request, "replication/directives/assignment_form.html", {"directive": directive, "form": form}
    )


@login_required
@require_POST
def directive_assignment_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    refused = _editable(request, directive)
    if refused is not None:
        return refused
    form = VersionForm(request.POST)
    if not form.is_valid():
        return stale_action(request, stale_or(form, str(STALE_EDIT_MESSAGE)), directive)
    try:
        assignment_remove(
            actor=acting_user(request),
            directive=directive,
            version=form.cleaned_data["version"],
            assignment=Assignment(pk=assignment_pk),
        )
    except ValidationError as error:
        return stale_action(request, error, directive)
    messages.success(request, _("Đã bỏ nội dung giao."))
    return redirect(directive)


@login_required
@require_GET
def directive_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The DOCX: exactly as issued once issued; the draft (no number) before, signed by the
    leader looking at it when a leader is."""
    directive = get_for_user(request.user, queries.directive_queryset(), pk, "download")
    if directive.status == DirectiveStatus.ISSUED and directive.document_file:
        with default_storage.open(directive.document_file, "rb") as frozen:
            content = frozen.read()
        return file_response(content, directive.document_file.rsplit("/", 1)[-1], rendering.DOCX_CONTENT_TYPE)
    signer = acting_user(request) if can(request.user, "issue", directive) else None
    spec = directive_spec(
        directive, queries.listings(directive), queries.assignments(directive), signer=signer
    )
    return document_response(rendering.render(spec, "docx"))


@login_required
@require_POST
def directive_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Start making the PDF in the background and send the user to watch it."""
    directive = get_for_user(request.user, Directive.objects.all(), pk, "download")
    job = job_start(
        kind=DIRECTIVE_PDF, actor=acting_user(request), parameters={"directive": directive.pk}, total=1
    )
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def directive_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader signs and issues: a confirmation naming the number and the obligations it
    creates, then the issue."""
    directive = _directive(request, pk)
    if directive.status != DirectiveStatus.DRAFT:
        return stale_action(request, _("Văn bản này đã được ban hành."), directive)
    require(request.user, "issue", directive)
    form = VersionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["version"] != directive.version:
        return stale_action(request, str(STALE_EDIT_MESSAGE), directive)
    problems = issue_problems(directive)
    if problems:
        return stale_action(request, ValidationError(problems), directive)
    today = clock.today()
    planned = queries.planned_obligations(directive, day=today)
    units = queries.units_of(planned)
    leader = acting_user(request)
    signature = leader_signature(leader)
    names = ", ".join(unit.name for unit in units[:8]) + ("…" if len(units) > 8 else "")
    plan = IssuePlan(
        unit=directive.issuing_unit,
        document_type=directive.document_type,
        year=today.year,
        title=directive.title,
        drafting_unit=directive.coordinator_unit if directive.document_type == "CV" else None,
        cancel_url=directive.get_absolute_url(),
        consequences=[
            _("Văn bản ban hành ngày %(day)s, %(authority)s %(title)s %(name)s ký.")
            % {
                "day": f"{today:%d/%m/%Y}",
                "authority": signature.authority.replace("\n", " "),
                "title": signature.title,
                "name": leader.full_name,
            },
            _("Giao %(obligations)s nghĩa vụ nhân rộng cho %(units)s đơn vị: %(names)s.")
            % {"obligations": len(planned), "units": len(units), "names": names},
            _("Thủ trưởng các đơn vị được giao nhận thông báo; các đơn vị báo cáo kết quả theo kỳ báo cáo."),
        ],
        previews=[(_("Dự thảo (DOCX)"), reverse("replication:directive_document", args=[directive.pk]))],
        preview_jobs=[
            (_("Tạo bản PDF của dự thảo"), reverse("replication:directive_pdf", args=[directive.pk]))
        ],
    )

    def perform() -> HttpResponse:
        try:
            issued = directive_issue(actor=leader, directive=directive, version=form.cleaned_data["version"])
        except ValidationError as error:
            return stale_action(request, error, directive)
        reference = issued.registered_document.reference if issued.registered_document else ""
        messages.success(request, _("Đã ban hành văn bản số %(reference)s.") % {"reference": reference})
        return redirect(issued)

    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_http_methods(["GET", "POST"])
def directive_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Home Affairs gives obligations to units created after the issue: the page names them
    first; nothing happens until it is confirmed."""
    directive = _directive(request, pk)
    if directive.status != DirectiveStatus.ISSUED:
        return stale_action(request, _("Văn bản chưa ban hành."), directive)
    require(request.user, "extend", directive)
    if request.method == "POST":
        try:
            count = obligations_extend(actor=acting_user(request), directive=directive)
        except ValidationError as error:
            return stale_action(request, error, directive)
        messages.success(request, _("Đã giao thêm %(count)s nghĩa vụ nhân rộng.") % {"count": count})
        return redirect(directive)
    missing = queries.missing_obligations(directive, day=clock.today())
    return render(
        request,
        "replication/directives/extend.html",
        {"directive": directive, "missing": missing, "units": queries.units_of(missing)},
    )
