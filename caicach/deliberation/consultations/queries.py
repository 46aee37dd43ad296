"""Reads of members' opinions: the committee's settings, who is consulted, the deadline, the
tally against the rule in force, punctuality per member and the home page's to-dos."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.calendar import queries as calendar
from caicach.core.models import Membership, Role, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, jurisdictions_of, principal, units_answering_to
from caicach.core.todos import NOTHING, TodoEntry, TodoItem, count_and_first
from caicach.deliberation.consultations.rules import (
    LEADER_ROLES,
    MEMBER_ROLES,
    kept_by_office_of,
    to_answer_by,
)
from caicach.deliberation.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    DeliberationSettings,
    Opinion,
    PassRule,
    Result,
)


def settings_for(unit: Unit | int) -> DeliberationSettings:
    """The committee's settings; an unsaved instance with the defaults when it set nothing."""
    return DeliberationSettings.of(unit)


def deadline_for(sent_on: datetime.date, working_days: int) -> datetime.date:
    """The last day to answer: N working days after the sending day (Civil Code Art. 147,
    the sending day not counted)."""
    return calendar.add_working_days(sent_on, working_days)


def members_q(committee_id: int) -> Q:
    """The memberships that seat a person on a committee: any of MEMBER_ROLES held in the
    committee itself, or COMMITTEE_MEMBER held in a unit answering to it (a department's
    director sits on the committee as its head; a district's divisions answer to the
    district's committee, not the province's)."""
    return Q(unit_id=committee_id, role__in=MEMBER_ROLES) | Q(
        role=Role.COMMITTEE_MEMBER, unit_id__in=units_answering_to(committee_id)
    )


def committee_members(committee: Unit | int) -> QuerySet[User]:
    """Every active member of the committee (members, vice-chairmen, the Chairman)."""
    committee_id = committee if isinstance(committee, int) else committee.pk
    if isinstance(committee, int):
        kind = Unit.objects.filter(pk=committee_id).values_list("kind", flat=True).first()
    else:
        kind = committee.kind
    if kind not in COMMITTEE_KINDS:
        return User.objects.none()
    held = Membership.objects.filter(members_q(committee_id), is_active=True).values("user_id")
    return User.objects.filter(pk__in=held, is_active=True).order_by("full_name", "pk")


def chairmen_of(committee_id: int) -> set[int]:
    return set(
        Membership.objects.filter(unit_id=committee_id, role=Role.CHAIRMAN, is_active=True).values_list(
            "user_id", flat=True
        )
    )


def committees_for_office(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees ``user`` may consult members of (their Office jurisdiction)."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by("code")
    if who is None:
        return committees.none()
    scope = who.scope_units(Role.OFFICE_OFFICER)
    return committees if scope is None else committees.filter(pk__in=scope)


def committees_for_punctuality(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees whose punctuality ``user`` may read: the Office's and the leaders'
    (the twin of the Unit rule ``deliberation.punctuality``)."""
    who = principal(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).order_by("code")
    if who is None:
        return committees.none()
    scope = who.scope_units(Role.OFFICE_OFFICER)
    if scope is None:
        return committees
    return committees.filter(Q(pk__in=scope) | Q(pk__in=who.units_with_role(*LEADER_ROLES)))


def home_committee(user: User | AnonymousUser, committees: QuerySet[Unit]) -> Unit | None:
    """Which of ``committees`` a page opens on: the one the user works under (the Office's
    own committee, a leader's), else the first."""
    who = principal(user)
    if who is not None and who.unit_ids:
        own = committees.filter(pk__in=jurisdictions_of(who.unit_ids)).first()
        if own is not None:
            return own
    return committees.first()


def detail_queryset() -> QuerySet[Consultation]:
    return Consultation.objects.select_related(
        "committee", "lead_unit", "program_item", "sent_by", "created_by"
    )


def opinions_of(consultation: Consultation) -> list[Opinion]:
    """Every member's opinion, the Chairman first, with how many answers each gave
    (``answers_given``: a changed answer shows it was changed)."""
    return list(
        consultation.opinions.select_related("member", "entered_by", "response", "response__recorded_by")
        .annotate(answers_given=Count("revisions"))
        .order_by("-is_chairman", "member__full_name", "pk")
    )


def everyone_answered_q() -> Q:
    return ~Q(Exists(Opinion.objects.filter(consultation_id=OuterRef("pk"), answer="")))


def tally_ready(consultation: Consultation, today: datetime.date | None = None) -> bool:
    """The tally is taken at the deadline, or earlier when every member has answered."""
    if consultation.status == ConsultationStatus.CLOSED:
        return True
    if consultation.status != ConsultationStatus.SENT or consultation.deadline is None:
        return False
    day = today or clock.today()
    return day > consultation.deadline or not consultation.opinions.filter(answer="").exists()


def is_open(consultation: Consultation, today: datetime.date | None = None) -> bool:
    """Members may still give or change their answer (until the end of the deadline)."""
    day = today or clock.today()
    return (
        consultation.status == ConsultationStatus.SENT
        and consultation.deadline is not None
        and day <= consultation.deadline
    )


@dataclass(frozen=True)
class Tally:
    total: int
    agree: int
    with_comments: int
    disagree: int
    no_answer: int
    late: int
    in_favour: int
    rule: str
    result: str
    tie: bool
    chairman_answer: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def result_label(self) -> str:
        return str(Result(self.result).label)

    @property
    def answered(self) -> int:
        return self.total - self.no_answer


def tally_of(consultation: Consultation, rules: DeliberationSettings | None = None) -> Tally:
    """Count the answers (one aggregate query) and apply the committee's rule: by default
    more than half of ALL the members consulted in favour, "with comments" counting in
    favour; on a tie the side the Chairman took. A member who did not answer is counted as
    such, never as for or against."""
    rules = rules or settings_for(consultation.committee_id)
    counts = consultation.opinions.aggregate(
        total=Count("pk"),
        agree=Count("pk", filter=Q(answer=Answer.AGREE)),
        with_comments=Count("pk", filter=Q(answer=Answer.AGREE_WITH_COMMENTS)),
        disagree=Count("pk", filter=Q(answer=Answer.DISAGREE)),
        no_answer=Count("pk", filter=Q(answer="")),
        late=Count("pk", filter=Q(is_late=True)),
    )
    chairman = consultation.opinions.filter(is_chairman=True).values_list("answer", flat=True).first() or ""
    return decide(
        total=counts["total"],
        agree=counts["agree"],
        with_comments=counts["with_comments"],
        disagree=counts["disagree"],
        no_answer=counts["no_answer"],
        late=counts["late"],
        chairman_answer=chairman,
        rules=rules,
    )


def decide(
    *,
    total: int,
    agree: int,
    with_comments: int,
    disagree: int,
    no_answer: int,
    late: int = 0,
    chairman_answer: str = "",
    rules: DeliberationSettings,
) -> Tally:
    """The rule itself, on counts (no query): kept apart so it can be read and tested alone."""
    in_favour = agree + (with_comments if rules.comments_count_in_favour else 0)
    base = total if rules.pass_rule == PassRule.MAJORITY_OF_ALL else total - no_answer
    tie = base > 0 and in_favour * 2 == base
    if in_favour * 2 > base and base > 0:
        result = Result.PASSED
    elif tie and rules.tie_follows_chairman:
        favours = {Answer.AGREE.value} | (
            {Answer.AGREE_WITH_COMMENTS.value} if rules.comments_count_in_favour else set()
        )
        result = Result.PASSED if chairman_answer in favours else Result.NOT_PASSED
    else:
        result = Result.NOT_PASSED
    return Tally(
        total=total,
        agree=agree,
        with_comments=with_comments,
        disagree=disagree,
        no_answer=no_answer,
        late=late,
        in_favour=in_favour,
        rule=str(PassRule(rules.pass_rule).label),
        result=result.value,
        tie=tie,
        chairman_answer=chairman_answer,
    )


# --- Punctuality ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PunctualityRow:
    member_id: int
    name: str
    position: str
    consulted: int
    on_time: int
    late: int
    missing: int
    pending: int

    @property
    def on_time_percent(self) -> int | None:
        due = self.consulted - self.pending
        return round(100 * self.on_time / due) if due else None


def punctuality(
    committee: Unit, first: datetime.date, last: datetime.date, today: datetime.date | None = None
) -> list[PunctualityRow]:
    """Per member of ``committee``: the consultations whose deadline fell in [first, last],
    answered on time, late, or not at all (deadline passed), and those still open. One
    grouped query."""
    day = today or clock.today()
    rows = (
        Opinion.objects.filter(
            consultation__committee=committee,
            consultation__status__in=[ConsultationStatus.SENT, ConsultationStatus.CLOSED],
            consultation__deadline__range=(first, last),
        )
        .values("member_id", "member__full_name", "member__position")
        .annotate(
            consulted=Count("pk"),
            on_time=Count("pk", filter=~Q(answer="") & Q(is_late=False)),
            late=Count("pk", filter=~Q(answer="") & Q(is_late=True)),
            missing=Count("pk", filter=Q(answer="", consultation__deadline__lt=day)),
            pending=Count("pk", filter=Q(answer="", consultation__deadline__gte=day)),
        )
        .order_by("member__full_name", "member_id")
    )
    return [
        PunctualityRow(
            member_id=row["member_id"],
            name=row["member__full_name"],
            position=row["member__position"],
            consulted=row["consulted"],
            on_time=row["on_time"],
            late=row["late"],
            missing=row["missing"],
            pending=row["pending"],
        )
        for row in rows
    ]


# --- To-dos -----------------------------------------------------------------------------------


def drafts_to_answer(user: User, limit: int) -> TodoEntry | None:
    """The drafts sent to ``user`` that they have not yet answered."""
    where = to_answer_by(user)
    if where == NOTHING:
        return None
    opinions = (
        Opinion.objects.filter(where)
        .select_related("consultation")
        .order_by("consultation__deadline", "pk")  # the most urgent first
    )
    count, rows = count_and_first(opinions, limit)
    today = clock.today()
    items = [
        TodoItem(
            label=opinion.consultation.title,
            url=reverse("deliberation:consultation_detail", args=[opinion.consultation_id]),
            detail=_("Hạn cho ý kiến: %(day)s") % {"day": f"{opinion.consultation.deadline:%d/%m/%Y}"},
            late=bool(opinion.consultation.deadline and opinion.consultation.deadline < today),
        )
        for opinion in rows
    ]
    return TodoEntry(
        key="deliberation.to_answer",
        title=gettext_lazy("Dự thảo cần cho ý kiến"),
        count=count,
        items=items,
        more_url=reverse("deliberation:consultation_list") + "?mine=1",
    )


def consultations_to_tally(user: User, limit: int) -> TodoEntry | None:
    """The Office's open consultations whose deadline has passed or that everybody answered."""
    where = kept_by_office_of(user)
    if where == NOTHING:
        return None
    today = clock.today()
    consultations = (
        Consultation.objects.filter(where)
        .filter(Q(deadline__lt=today) | everyone_answered_q())
        .order_by("deadline", "pk")
    )
    count, rows = count_and_first(consultations, limit)
    items = [
        TodoItem(
            label=consultation.title,
            url=consultation.get_absolute_url(),
            detail=_("Hạn cho ý kiến: %(day)s") % {"day": f"{consultation.deadline:%d/%m/%Y}"},
        )
        for consultation in rows
    ]
    return TodoEntry(
        key="deliberation.to_tally",
        title=gettext_lazy("Lấy ý kiến đến hạn tổng hợp"),
        count=count,
        items=items,
        more_url=reverse("deliberation:consultation_list") + "?status=sent",
    )
