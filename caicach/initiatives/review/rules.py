"""Who may do what in the council's work: rubrics, the council and its members, scoring,
closing the round, the results and the vote.

A council is managed by whoever may change its campaign (the reform officers of the
campaign's jurisdiction, administrators). Its chair and secretary run the round: they see
progress, close the round and record the votes. A member sees and scores only the dossiers
assigned to them, and nobody else's scores until the round is closed; a member excluded for
a conflict of interest neither scores nor sees the results of that dossier."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caicach.core.audit.queries import register_action_labels, register_object_url
from caicach.core.models import Role, User
from caicach.core.permissions import Principal, can, global_rule, principal, rule
from caicach.core.todos import NOTHING
from caicach.initiatives.models import (
    Council,
    CouncilMember,
    CouncilRole,
    InitiativeStatus,
    ReviewAssignment,
    RoundStatus,
    Rubric,
)

RUNNING_ROLES = frozenset({CouncilRole.CHAIR, CouncilRole.SECRETARY})


def manages_council(who: Principal, council: Council) -> bool:
    """The council belongs to its campaign: whoever may change the campaign manages it."""
    return can(who.user, "change", council.campaign)


def seat(who: Principal, council: Council) -> CouncilMember | None:
    """The principal's seat on the council, if any: from the members prefetched with the
    council, or one small indexed query, cached on the council object for the request."""
    cache: dict[int, CouncilMember | None] = council.__dict__.setdefault("_seats", {})
    prefetched = getattr(council, "_prefetched_objects_cache", {}).get("members")
    if who.user.pk not in cache and prefetched is not None:
        cache[who.user.pk] = next((m for m in prefetched if m.user_id == who.user.pk), None)
    if who.user.pk not in cache:
        cache[who.user.pk] = council.members.filter(user_id=who.user.pk).first()
    return cache[who.user.pk]


def runs_council(who: Principal, council: Council) -> bool:
    """The chair, the secretary, or a manager of the council."""
    if manages_council(who, council):
        return True
    member = seat(who, council)
    return member is not None and member.role in RUNNING_ROLES


@global_rule("initiatives.score_reviews")
def _score_reviews(who: Principal) -> bool:
    """The "Chấm điểm" menu: for anyone holding the council-member role (the page lists only
    their own seats)."""
    return who.has_role(Role.COUNCIL_MEMBER)


@global_rule("initiatives.manage_rubrics")
def _manage_rubrics(who: Principal) -> bool:
    return who.is_admin or who.has_role(Role.REFORM_OFFICER)


@rule(Rubric, "view", "change")
def _rubric(who: Principal, rubric: Rubric) -> bool:
    # Rubrics are a shared library (criteria are public rules, not personal data); whether a
    # used one may still be edited is the service's business.
    return who.is_admin or who.has_role(Role.REFORM_OFFICER)


@rule(Council, "view")
def _view_council(who: Principal, council: Council) -> bool:
    return manages_council(who, council) or seat(who, council) is not None


@rule(Council, "change")
def _change_council(who: Principal, council: Council) -> bool:
    """Edit the council, its members, and assign dossiers."""
    return manages_council(who, council)


@rule(Council, "progress")
def _council_progress(who: Principal, council: Council) -> bool:
    """Counts of assigned and submitted reviews per member (never the scores)."""
    return runs_council(who, council)


@rule(Council, "close_round")
def _close_round(who: Principal, council: Council) -> bool:
    return council.round_status == RoundStatus.OPEN and runs_council(who, council)


@rule(Council, "results")
def _council_results(who: Principal, council: Council) -> bool:
    """Scores and aggregates: for the council and its managers, once the round is closed."""
    if council.round_status != RoundStatus.CLOSED:
        return False
    return manages_council(who, council) or seat(who, council) is not None


@rule(Council, "record_votes", "minutes")
def _record_votes(who: Principal, council: Council) -> bool:
    return council.round_status == RoundStatus.CLOSED and runs_council(who, council)


@rule(CouncilMember, "change")
def _change_member(who: Principal, member: CouncilMember) -> bool:
    return manages_council(who, member.council)


def _own(who: Principal, assignment: ReviewAssignment) -> bool:
    return assignment.member.user_id == who.user.pk


@rule(ReviewAssignment, "view")
def _view_review(who: Principal, assignment: ReviewAssignment) -> bool:
    """A member's own sheet; anyone else's only after the round is closed, and only for
    those who may see the results (an excluded member of that dossier may not)."""
    if _own(who, assignment):
        return True
    council = assignment.member.council
    if not can(who.user, "results", council):
        return False
    if manages_council(who, council):
        return True
    return not ReviewAssignment.objects.filter(
        initiative_id=assignment.initiative_id, member__user_id=who.user.pk, excluded=True
    ).exists()


@rule(ReviewAssignment, "score")
def _score(who: Principal, assignment: ReviewAssignment) -> bool:
    return (
        _own(who, assignment)
        and not assignment.excluded
        and assignment.submitted_at is None
        and assignment.member.council.round_status == RoundStatus.OPEN
        and assignment.initiative.status == InitiativeStatus.IN_REVIEW
    )


@rule(ReviewAssignment, "declare_conflict")
def _declare_conflict(who: Principal, assignment: ReviewAssignment) -> bool:
    return (
        _own(who, assignment)
        and not assignment.excluded
        and assignment.submitted_at is None
        and assignment.member.council.round_status == RoundStatus.OPEN
    )


def to_score_by(user: User | AnonymousUser) -> Q:
    """The sheets ``user`` may still score (on ``ReviewAssignment``): the ``score`` rule as a
    filter, for the to-do lists (a test keeps the two in step)."""
    who = principal(user)
    if who is None:
        return NOTHING
    return Q(
        member__user_id=who.user.pk,
        excluded=False,
        submitted_at__isnull=True,
        member__council__round_status=RoundStatus.OPEN,
        initiative__status=InitiativeStatus.IN_REVIEW,
    )


register_action_labels(
    {
        "rubric.create": _("Tạo bộ tiêu chí chấm điểm"),
        "rubric.update": _("Sửa bộ tiêu chí chấm điểm"),
        "council.create": _("Thành lập hội đồng sáng kiến"),
        "council.update": _("Sửa thông tin hội đồng sáng kiến"),
        "council.member_add": _("Thêm thành viên hội đồng"),
        "council.member_remove": _("Bớt thành viên hội đồng"),
        "council.member_role": _("Đổi vai trò thành viên hội đồng"),
        "council.round_close": _("Khóa vòng chấm điểm"),
        "council.minutes_issue": _("Cấp số biên bản họp hội đồng"),
        "initiative.review_assign": _("Phân công chấm điểm"),
        "review.save": _("Lưu nháp phiếu chấm"),
        "review.submit": _("Nộp phiếu chấm"),
        "review.declare_conflict": _("Khai báo xung đột lợi ích"),
        "initiative.recognition_record": _("Ghi nhận kết quả biểu quyết"),
    }
)
register_object_url(Rubric, "initiatives:rubric_detail")
register_object_url(Council, "initiatives:council_detail")
