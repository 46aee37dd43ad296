"""The council's pages: rubrics, the council and its members, assignment, scoring, closing
the round, results and ranking, the vote, and the sheets and minutes to print."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core import clock, rendering
from caicach.core.audit.queries import timeline_for
from caicach.core.issuing import IssuePlan, issue_or_confirm
from caicach.core.jobs.services import job_start
from caicach.core.models import DocumentType
from caicach.core.once import AlreadySubmitted, once, replayed
from caicach.core.permissions import can, get_for_user, require
from caicach.core.web import acting_user, document_response, stale_action
from caicach.initiatives.models import (
    Campaign,
    Council,
    CouncilMember,
    InitiativeStatus,
    ReviewAssignment,
    Rubric,
)
from caicach.initiatives.review.documents import blank_sheet_for, minutes_for, sheet_for
from caicach.initiatives.review.forms import (
    AssignForm,
    ConflictForm,
    CouncilForm,
    CouncilMemberAddForm,
    CouncilMemberRoleForm,
    CriterionFormSet,
    MinutesForm,
    RoundCloseForm,
    RubricForm,
    ScoreForm,
    UserSearchForm,
    VoteForm,
    criteria_data,
    criteria_initial,
)
from caicach.initiatives.review.queries import (
    assignable_dossiers,
    assignment_table,
    assignments_of,
    council_dossiers,
    council_members,
    councils_with_relations,
    dossier_aggregates,
    member_progress,
    my_assignments,
    results_page,
    review_sheet,
    rubric_with_criteria,
    rubrics_list,
    sheet_scores,
    votes_pending,
)
from caicach.initiatives.review.services import (
    council_member_add,
    council_member_remove,
    council_member_set_role,
    council_missing_roles,
    council_save,
    minutes_issue,
    missing_reviews,
    recognition_record,
    review_assign,
    review_declare_conflict,
    review_save,
    review_submit,
    round_close,
    rubric_create,
    rubric_is_locked,
    rubric_update,
    vote_outcome,
)
from caicach.initiatives.review.tasks import REVIEW_PDF

PAGE_SIZE = 25


def _council(request: HttpRequest, pk: int, action: str) -> tuple[Council, list[CouncilMember]]:
    """The council and its members, 404 unless the user may do ``action``. The rules read
    the user's seat from the members prefetched with the council: no further query."""
    council = get_for_user(request.user, councils_with_relations(), pk, "view")
    members = council_members(council)
    require(request.user, action, council)
    return council, members


# --- Rubrics ------------------------------------------------------------------------------------


@login_required
def rubric_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.manage_rubrics")
    page = Paginator(rubrics_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "initiatives/review/rubric_list.html", {"page_obj": page})


@login_required
def rubric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    get_for_user(request.user, Rubric.objects.all(), pk, "view")
    rubric = rubric_with_criteria(pk)
    assert rubric is not None
    return render(
        request,
        "initiatives/review/rubric_detail.html",
        {
            "rubric": rubric,
            "criteria": list(rubric.criteria.all()),
            "total": sum(c.max_points for c in rubric.criteria.all()),
            "locked": rubric_is_locked(rubric),
            "can_change": can(request.user, "change", rubric),
            "events": timeline_for(rubric),
        },
    )


def _rubric_form(request: HttpRequest, rubric: Rubric | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = RubricForm(data, instance=rubric, initial={"version": rubric.version if rubric else None})
    formset = CriterionFormSet(data, prefix="criteria", initial=None if data else criteria_initial(rubric))
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            with once(request, form, editing=rubric is not None) as submission:
                if rubric is None:
                    saved = rubric_create(
                        actor=acting_user(request), data=form.service_data(), criteria=criteria_data(formset)
                    )
                else:
                    saved = rubric_update(
                        rubric=rubric, actor=acting_user(request), data=form.service_data(),
                        criteria=criteria_data(formset), version=form.cleaned_data["version"],
                    )  # fmt: skip
                submission.created(reverse("initiatives:rubric_detail", args=[saved.pk]))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu bộ tiêu chí “%(name)s”.") % {"name": saved.name})
            return redirect("initiatives:rubric_detail", pk=saved.pk)
    return render(
        request, "initiatives/review/rubric_form.html", {"form": form, "formset": formset, "rubric": rubric}
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "initiatives.manage_rubrics")
    return _rubric_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_for_user(request.user, Rubric.objects.prefetch_related("criteria__bands"), pk, "change")
    if rubric_is_locked(rubric):
        messages.error(
            request, _("Bộ tiêu chí đã được dùng để chấm điểm (đã có phiếu chấm được nộp) nên không thể sửa.")
        )
        return redirect("initiatives:rubric_detail", pk=rubric.pk)
    return _rubric_form(request, rubric)


# --- The council --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def council_create(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_for_user(
        request.user, Campaign.objects.select_related("issuing_unit"), campaign_pk, "change"
    )
    if (earlier := replayed(request)) is not None:
        return earlier.response(request)
    existing = Council.objects.filter(campaign=campaign).first()
    if existing is not None:
        return redirect("initiatives:council_edit", pk=existing.pk)
    form = CouncilForm(request.POST or None, initial={"name": _("Hội đồng sáng kiến")})
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                council = council_save(
                    campaign=campaign, actor=acting_user(request), data=form.service_data()
                )
                submission.created(reverse("initiatives:council_members", args=[council.pk]))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã thành lập %(name)s.") % {"name": council.name})
            return redirect("initiatives:council_members", pk=council.pk)
    return render(
        request, "initiatives/review/council_form.html", {"form": form, "campaign": campaign, "council": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council, _members = _council(request, pk, "change")
    form = CouncilForm(request.POST or None, instance=council, initial={"version": council.version})
    if request.method == "POST" and form.is_valid():
        try:
            council = council_save(
                campaign=council.campaign, actor=acting_user(request), data=form.service_data(),
                version=form.cleaned_data["version"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thông tin hội đồng."))
            return redirect("initiatives:council_detail", pk=council.pk)
    return render(
        request,
        "initiatives/review/council_form.html",
        {"form": form, "campaign": council.campaign, "council": council},
    )


@login_required
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council, members = _council(request, pk, "view")
    user = acting_user(request)
    seat = next((m for m in members if m.user_id == user.pk), None)
    can_progress = can(user, "progress", council)
    context: dict[str, Any] = {
        "council": council,
        "campaign": council.campaign,
        "members": members,
        "seat": seat,
        "can_change": can(user, "change", council),
        "can_progress": can_progress,
        "can_close": can(user, "close_round", council),
        "can_results": can(user, "results", council),
        "can_votes": can(user, "record_votes", council),
        "missing_roles": council_missing_roles(council, members) if can_progress else [],
        "progress": member_progress(council) if can_progress else [],
        "table": assignment_table(council, request.GET.get("page")) if can_progress else None,
        "mine": my_assignments(user, council) if seat is not None else [],
        "events": timeline_for(council) if can_progress else [],
    }
    return render(request, "initiatives/review/council_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def council_members_view(request: HttpRequest, pk: int) -> HttpResponse:
    council, members = _council(request, pk, "change")
    search = UserSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    form = CouncilMemberAddForm(request.POST or None, query=query)
    if request.method == "POST" and form.is_valid():
        try:
            council_member_add(
                council=council,
                actor=acting_user(request),
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã thêm thành viên hội đồng."))
            return redirect("initiatives:council_members", pk=council.pk)
    return render(
        request,
        "initiatives/review/council_members.html",
        {
            "council": council,
            "members": members,
            "role_forms": [
                (m, CouncilMemberRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in members
            ],
            "search": search,
            "query": query,
            "form": form,
            "missing_roles": council_missing_roles(council, members),
        },
    )


def _member(request: HttpRequest, pk: int) -> CouncilMember:
    return get_for_user(
        request.user, CouncilMember.objects.select_related("council__campaign", "user"), pk, "change"
    )


@login_required
@require_POST
def council_member_role(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = CouncilMemberRoleForm(request.POST, prefix=f"m{member.pk}")
    if form.is_valid():
        try:
            council_member_set_role(member=member, actor=acting_user(request), role=form.cleaned_data["role"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đổi vai trò."))
    return redirect("initiatives:council_members", pk=member.council_id)


@login_required
@require_POST
def council_member_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    try:
        council_member_remove(member=member, actor=acting_user(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã bớt thành viên khỏi hội đồng."))
    return redirect("initiatives:council_members", pk=member.council_id)


@login_required
@require_http_methods(["GET", "POST"])
def council_assign(request: HttpRequest, pk: int) -> HttpResponse:
    council, members = _council(request, pk, "change")
    dossiers = assignable_dossiers(council.campaign)
    seats = CouncilMember.objects.filter(council=council).select_related("user").order_by("position", "pk")
    accepted = [d.pk for d in dossiers if d.status == InitiativeStatus.ACCEPTED]
    form = AssignForm(
        request.POST or None,
        dossiers=dossiers,
        members=seats,
        initial={"initiatives": accepted, "members": [m.pk for m in members]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = review_assign(
                campaign=council.campaign, actor=acting_user(request),
                initiatives=form.cleaned_data["initiatives"], members=form.cleaned_data["members"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            excluded = sum(1 for a in created if a.excluded)
            messages.success(
                request,
                _("Đã phân công %(count)s lượt chấm; %(excluded)s lượt không chấm do xung đột lợi ích.")
                % {"count": len(created), "excluded": excluded},
            )
            return redirect("initiatives:council_detail", pk=council.pk)
    return render(
        request,
        "initiatives/review/council_assign.html",
        {"council": council, "form": form, "missing_roles": council_missing_roles(council, members)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def council_close(request: HttpRequest, pk: int) -> HttpResponse:
    council, _members = _council(request, pk, "close_round")
    # An unticked checkbox posts nothing: bind to the POST even when it is empty.
    form = RoundCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            round_close(
                council=council,
                actor=acting_user(request),
                confirm_missing=form.cleaned_data["confirm_missing"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã khóa vòng chấm điểm."))
            return redirect("initiatives:council_results", pk=council.pk)
    return render(
        request,
        "initiatives/review/council_close.html",
        {"council": council, "form": form, "missing": missing_reviews(council)},
    )


@login_required
def council_results(request: HttpRequest, pk: int) -> HttpResponse:
    council, _members = _council(request, pk, "results")
    shown = results_page(request.user, council, request.GET.get("page"))
    return render(
        request,
        "initiatives/review/council_results.html",
        {
            "council": council,
            "rubric": shown.rubric,
            "criteria": shown.criteria,
            "rows": shown.rows,
            "page_obj": shown.page,
            "can_votes": can(request.user, "record_votes", council),
        },
    )


@login_required
def council_votes(request: HttpRequest, pk: int) -> HttpResponse:
    council, members = _council(request, pk, "record_votes")
    return _votes_page(request, council, members, {})


def _votes_page(
    request: HttpRequest, council: Council, members: list[CouncilMember], bound: dict[int, VoteForm]
) -> HttpResponse:
    """Every dossier in ranking order with its vote form (or its recorded outcome)."""
    rubric = council.campaign.rubric
    excluded: dict[int, int] = {}
    for initiative_id in ReviewAssignment.objects.filter(member__council=council, excluded=True).values_list(
        "initiative_id", flat=True
    ):
        excluded[initiative_id] = excluded.get(initiative_id, 0) + 1
    rows = []
    for aggregate in dossier_aggregates(council):
        pk = aggregate.initiative.pk
        eligible = len(members) - excluded.get(pk, 0)
        form = bound.get(pk) or VoteForm(
            prefix=f"d{pk}", initial={"members_present": eligible, "votes_against": 0}
        )
        preview = (
            vote_outcome(rubric=rubric, members_present=eligible, votes_for=eligible, mean=aggregate.mean)
            if rubric is not None
            else None
        )
        rows.append({"aggregate": aggregate, "form": form, "eligible": eligible, "preview": preview})
    return render(
        request,
        "initiatives/review/council_votes.html",
        {"council": council, "rubric": rubric, "rows": rows, "minutes_form": MinutesForm()},
    )


@login_required
@require_POST
def council_vote_record(request: HttpRequest, pk: int, initiative_pk: int) -> HttpResponse:
    council, members = _council(request, pk, "record_votes")
    initiative = get_for_user(request.user, council_dossiers(council), initiative_pk, "view")
    form = VoteForm(request.POST, prefix=f"d{initiative.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            recognition = recognition_record(
                initiative=initiative, actor=acting_user(request), members_present=data["members_present"],
                votes_for=data["votes_for"], votes_against=data["votes_against"], level=data["level"] or "",
                reasons=data["reasons"] or "",
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if recognition.recognised:
                messages.success(request, _("“%(title)s”: được công nhận.") % {"title": initiative.title})
            else:
                messages.warning(
                    request, _("“%(title)s”: không được công nhận.") % {"title": initiative.title}
                )
            return redirect("initiatives:council_votes", pk=council.pk)
    return _votes_page(request, council, members, {initiative.pk: form})


# --- The minutes ----------------------------------------------------------------------------


@login_required
@require_GET
def council_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    return document_response(rendering.render(minutes_for(acting_user(request), pk), "docx"))


@login_required
@require_POST
def council_minutes_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes' date on the votes page, then the confirmation naming the BB number."""
    council, _members = _council(request, pk, "minutes")
    votes_page = reverse("initiatives:council_votes", args=[council.pk])
    if council.minutes_id is not None:
        return stale_action(request, _("Biên bản đã được cấp số."), votes_page)
    pending = votes_pending(council)
    if pending:
        # Said before the confirmation page: a number is never offered for minutes that the
        # service would refuse.
        return stale_action(
            request,
            _("Còn %(count)s hồ sơ chưa ghi kết quả biểu quyết; vui lòng ghi đủ trước khi cấp số biên bản.")
            % {"count": pending},
            votes_page,
        )
    form = MinutesForm(request.POST)
    if not form.is_valid():
        for problem in form.errors.get("issued_on", []):
            messages.error(request, str(problem))
        return redirect(votes_page)
    day = form.cleaned_data["issued_on"] or council.meeting_on or clock.today()
    plan = IssuePlan(
        unit=council.campaign.issuing_unit,
        document_type=DocumentType.MINUTES,
        year=day.year,
        title=_("Biên bản họp %(council)s") % {"council": council.name},
        cancel_url=votes_page,
        consequences=[
            _("Biên bản mang ngày %(day)s; kết quả biểu quyết không sửa được nữa.")
            % {"day": f"{day:%d/%m/%Y}"},
        ],
        previews=[(_("Dự thảo biên bản (DOCX)"), reverse("initiatives:council_minutes", args=[council.pk]))],
        preview_jobs=[
            (_("Tạo bản PDF của dự thảo"), reverse("initiatives:council_minutes_pdf", args=[council.pk]))
        ],
    )

    def perform() -> HttpResponse:
        try:
            issued = minutes_issue(
                council=council, actor=acting_user(request), issued_on=form.cleaned_data["issued_on"]
            )
        except ValidationError as error:
            return stale_action(request, error, votes_page)
        reference = issued.minutes.reference if issued.minutes else ""
        messages.success(request, _("Đã cấp số biên bản %(reference)s.") % {"reference": reference})
        return redirect(votes_page)

    return issue_or_confirm(request, plan, perform=perform)


@login_required
@require_POST
def council_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    council, _members = _council(request, pk, "minutes")
    job = job_start(
        kind=REVIEW_PDF,
        actor=acting_user(request),
        parameters={"kind": "minutes", "council": council.pk},
        total=1,
    )
    return redirect("job_detail", pk=job.pk)


# --- Scoring --------------------------------------------------------------------------------


@login_required
def review_mine(request: HttpRequest) -> HttpResponse:
    """The dossiers the user was given to score, in every council (their own rows only)."""
    page = Paginator(assignments_of(acting_user(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "initiatives/review/mine.html", {"page_obj": page})


def _sheet(request: HttpRequest, pk: int, action: str) -> ReviewAssignment:
    return get_for_user(request.user, review_sheet(pk), pk, action)


@login_required
@require_http_methods(["GET", "POST"])
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's sheet: the form while it may change, read-only afterwards (and for those
    who may read it once the round is closed)."""
    assignment = _sheet(request, pk, "view")
    council = assignment.member.council
    rubric = rubric_with_criteria(council.campaign.rubric_id)
    criteria = list(rubric.criteria.all()) if rubric is not None else []
    may_score = can(request.user, "score", assignment)
    scores = sheet_scores(assignment)
    initial: dict[str, Any] = {"version": assignment.version, "comment": assignment.comment}
    initial.update({f"criterion_{cid}": value for cid, value in scores.items()})
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST":
        require(request.user, "score", assignment)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            service = review_submit if submit else review_save
            try:
                service(
                    assignment=assignment, actor=acting_user(request), points=form.points(),
                    comment=form.cleaned_data["comment"], version=form.cleaned_data["version"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if submit:
                    messages.success(request, _("Đã nộp phiếu chấm."))
                    return redirect("initiatives:council_detail", pk=council.pk)
                messages.success(request, _("Đã lưu nháp phiếu chấm."))
                return redirect("initiatives:review_score", pk=assignment.pk)
    rows = [(c, scores.get(c.pk)) for c in criteria]
    return render(
        request,
        "initiatives/review/form.html",
        {
            "assignment": assignment,
            "council": council,
            "initiative": assignment.initiative,
            "rubric": rubric,
            "form": form,
            "rows": rows,
            "may_score": may_score,
            "own": assignment.member.user_id == request.user.pk,
            "can_declare": can(request.user, "declare_conflict", assignment),
            "total_max": sum(c.max_points for c in criteria),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _sheet(request, pk, "declare_conflict")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_declare_conflict(
                assignment=assignment, actor=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã ghi nhận khai báo xung đột lợi ích; bạn không chấm hồ sơ này."))
            return redirect("initiatives:council_detail", pk=assignment.member.council_id)
    return render(request, "initiatives/review/conflict.html", {"assignment": assignment, "form": form})


@login_required
@require_GET
def review_sheet_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return document_response(rendering.render(sheet_for(acting_user(request), pk), "docx"))


@login_required
@require_POST
def review_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _sheet(request, pk, "view")
    job = job_start(
        kind=REVIEW_PDF,
        actor=acting_user(request),
        parameters={"kind": "sheet", "assignment": assignment.pk},
        total=1,
    )
    return redirect("job_detail", pk=job.pk)


@login_required
@require_GET
def blank_sheet(request: HttpRequest, pk: int, initiative_pk: int) -> HttpResponse:
    return document_response(
        rendering.render(blank_sheet_for(acting_user(request), pk, initiative_pk), "docx")
    )
