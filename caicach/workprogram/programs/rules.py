"""Who may see and do what in the work program (seed 001, the Working Regulations).

- The Office (OFFICE_OFFICER) keeps the program: within its jurisdiction
  (``Principal.scope_unit_ids``) it sees and manages every program, item and request;
  administrators everywhere.
- A unit (anyone working there) sees the items it leads or coordinates; its head and staff
  record the submission of, and file adjustment requests for, the items it leads.
- A member of a unit's staff drafts an adjustment request; the unit head approves (signs) it
  or returns it. Until then it is the unit's own: the Office and the leader see it once filed.
- The committee's leaders (the Chairman, LEADER_ROLES) see the whole program their committee
  issues (``leads_committee``); a vice-chairman's pages open on the items they supervise, with a
  toggle to all (``reports.rules.narrows_by_default``). A leader decides the requests
  addressed to them.
- Anybody else gets 404.

``items_for`` / ``programs_for`` / ``requests_for`` (at the end of this module) are the database-side twins of
the ``view`` rules below; a test keeps each pair in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, UnitAncestry, UnitKind, User
from caicach.core.permissions import Principal, among, global_rule, jurisdiction_subtree, principal, rule
from caicach.core.todos import NOTHING
from caicach.workprogram.models import AdjustmentRequest, ProgramItem, RequestStatus, WorkProgram

UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)
# The committee's leadership: the Chairman holds his own role (his pages open on the whole
# program) and may do everything a vice-chairman (LEADER) may.
LEADER_ROLES = (Role.CHAIRMAN, Role.LEADER)
# Who signs a unit's Tờ trình: its head; a committee's Chairman or Vice-chairman.
SIGNING_ROLES = (Role.UNIT_HEAD, Role.CHAIRMAN, Role.LEADER)


def office_covers(who: Principal, committee_id: int) -> bool:
    scope = who.scope_unit_ids(Role.OFFICE_OFFICER)
    return scope is None or committee_id in scope


def leads_committee(who: Principal, committee_id: int) -> bool:
    """Whether ``who`` is a leader of the committee itself (not of one above or below it:
    a province's leaders do not follow a district's program)."""
    return committee_id in who.units_with_role(*LEADER_ROLES)


def sees_program(who: Principal, committee_id: int) -> bool:
    """Whether ``who`` sees the whole program ``committee_id`` issues: its Office, its leaders."""
    return office_covers(who, committee_id) or leads_committee(who, committee_id)


@global_rule("workprogram.view_programs")
def _view_programs(who: Principal) -> bool:
    # Anyone signed in may open the list; it shows only what they may see.
    return True


@global_rule("workprogram.create_program")
def _create_program(who: Principal) -> bool:
    # Which committees they may pick is checked by services.program_create.
    return who.is_admin or who.has_role(Role.OFFICE_OFFICER)


@rule(WorkProgram, "view")
def _view_program(who: Principal, program: WorkProgram) -> bool:
    if sees_program(who, program.issuing_unit_id):
        return True
    units = who.unit_ids
    return program.items.filter(
        Q(lead_unit__in=units) | Q(coordinating_units__in=units) | Q(supervising_leader=who.user)
    ).exists()


@rule(WorkProgram, "change", "import", "add_item")
def _manage_program(who: Principal, program: WorkProgram) -> bool:
    return office_covers(who, program.issuing_unit_id)


@rule(WorkProgram, "propose_item")
def _propose_item(who: Principal, program: WorkProgram) -> bool:
    """A unit taking part in the program (it sees it) may ask for an item to be added, led
    by itself; a unit outside it learns nothing of the program."""
    if who.is_admin:
        return True
    own = who.units_with_role(*UNIT_ROLES)
    if (
        not own
        or not UnitAncestry.objects.filter(
            ancestor_id=program.issuing_unit_id, descendant_id__in=own
        ).exists()
    ):
        return False
    return _view_program(who, program)


@rule(ProgramItem, "view")
def _view_item(who: Principal, item: ProgramItem) -> bool:
    if sees_program(who, item.program.issuing_unit_id):
        return True
    units = who.unit_ids
    if item.lead_unit_id in units or item.supervising_leader_id == who.user.pk:
        return True
    return item.coordinating_units.filter(pk__in=units).exists()


@rule(ProgramItem, "change", "issue")
def _manage_item(who: Principal, item: ProgramItem) -> bool:
    return office_covers(who, item.program.issuing_unit_id)


@rule(ProgramItem, "submit")
def _submit_item(who: Principal, item: ProgramItem) -> bool:
    """The Office records a submission it received; the lead unit may record its own."""
    return office_covers(who, item.program.issuing_unit_id) or item.lead_unit_id in who.units_with_role(
        *UNIT_ROLES
    )


@rule(ProgramItem, "request_adjustment")
def _request_adjustment(who: Principal, item: ProgramItem) -> bool:
    return who.is_admin or item.lead_unit_id in who.units_with_role(*UNIT_ROLES)


@rule(ProgramItem, "adjust_at_meeting")
def _adjust_at_meeting(who: Principal, item: ProgramItem) -> bool:
    """A postponement or withdrawal decided at a committee meeting, recorded by the Office
    or by the committee's leader who chaired it (``services.adjustment_from_meeting``)."""
    return sees_program(who, item.program.issuing_unit_id)


# A request the unit head has not yet signed is the unit's own draft: the Office and the
# leader see it once filed.
DRAFT_STATUSES = (RequestStatus.AWAITING_HEAD, RequestStatus.RETURNED)


@rule(AdjustmentRequest, "view")
def _view_request(who: Principal, request: AdjustmentRequest) -> bool:
    if request.lead_unit_id in who.unit_ids or request.requested_by_id == who.user.pk:
        return True
    if request.status in DRAFT_STATUSES:
        return who.is_admin
    return office_covers(who, request.program.issuing_unit_id) or request.leader_id == who.user.pk


@rule(AdjustmentRequest, "decide")
def _decide_request(who: Principal, request: AdjustmentRequest) -> bool:
    if request.status != RequestStatus.PENDING:
        return False
    return who.is_admin or (request.leader_id == who.user.pk and bool(who.units_with_role(*LEADER_ROLES)))


@rule(AdjustmentRequest, "approve_submission")
def _approve_submission(who: Principal, request: AdjustmentRequest) -> bool:
    """The lead unit's head approves (and signs) the staff's draft, or returns it."""
    if request.status != RequestStatus.AWAITING_HEAD:
        return False
    return who.is_admin or request.lead_unit_id in who.units_with_role(*SIGNING_ROLES)


@rule(AdjustmentRequest, "revise")
def _revise_request(who: Principal, request: AdjustmentRequest) -> bool:
    """A returned draft is reworked by whoever drafted it, or by the unit's head and staff."""
    if request.status != RequestStatus.RETURNED:
        return False
    return (
        who.is_admin
        or request.requested_by_id == who.user.pk
        or request.lead_unit_id in who.units_with_role(*UNIT_ROLES)
    )


@global_rule("workprogram.manage_settings")
def _manage_settings(who: Principal) -> bool:
    return who.is_admin or who.has_role(Role.OFFICE_OFFICER)


@rule(Unit, "workprogram.settings")
def _committee_settings(who: Principal, unit: Unit) -> bool:
    """A committee's work-program settings belong to the Office covering it."""
    return office_covers(who, unit.pk)


@global_rule("workprogram.manage_reasons")
def _manage_reasons(who: Principal) -> bool:
    """The list of allowed reasons is the province's (seed 001): its Office keeps it."""
    if who.is_admin:
        return True
    held = who.units_with_role(Role.OFFICE_OFFICER)
    return (
        bool(held)
        and Unit.objects.filter(pk__in=jurisdiction_subtree(held), kind=UnitKind.PROVINCE_COMMITTEE).exists()
    )


def items_for(user: User | AnonymousUser) -> QuerySet[ProgramItem]:
    """The items ``user`` may see: the database-side twin of ProgramItem's ``view`` rule.
    Office officers see every item of the programs their jurisdiction issues, a committee's
    leaders every item of their committee's programs; a unit sees the items it leads or
    coordinates; a leader sees the items they supervise."""
    who = principal(user)
    items = ProgramItem.objects.all()
    if who is None:
        return items.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:  # an administrator
        return items
    units = who.unit_ids
    coordinated = ProgramItem.coordinating_units.through.objects.filter(unit_id__in=units).values(
        "programitem_id"
    )
    programs = WorkProgram.objects.filter(
        Q(issuing_unit__in=office_scope) | Q(issuing_unit__in=who.units_with_role(*LEADER_ROLES))
    ).values("pk")
    # Through among(), the programs and the coordinated items, not a join nor "IN
    # (subquery)": each branch is then an index lookup ORed into one bitmap. Joined, a page
    # of a province's items newest first walked the 300,000 items testing each against
    # every program (90 s).
    return items.filter(
        among("program_id", programs)
        | Q(lead_unit__in=units)
        | among("pk", coordinated)
        | Q(supervising_leader=who.user)
    )


def program_items_for(user: User | AnonymousUser, program: WorkProgram) -> QuerySet[ProgramItem]:
    """``items_for(user).filter(program=program)``: every item of the program when ``user``
    sees it whole (its Office, its leaders: ``sees_program``, which the program's own
    ``view`` rule has just asked), else ``items_for``'s branches. A program's page counts,
    sums and pages its items: with the scope's subqueries compiled into each statement, that
    cost more Python than the statements cost the database."""
    who = principal(user)
    if who is not None and sees_program(who, program.issuing_unit_id):
        return ProgramItem.objects.filter(program=program)
    return items_for(user).filter(program=program)


def programs_for(user: User | AnonymousUser) -> QuerySet[WorkProgram]:
    """The programs ``user`` may open: the twin of WorkProgram's ``view`` rule (those their
    Office role covers, their committee's as its leader, and those holding an item they may
    see)."""
    who = principal(user)
    programs = WorkProgram.objects.select_related("issuing_unit")
    if who is None:
        return programs.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return programs
    # The programs holding an item of one's own — led, coordinated, supervised — as one UNION
    # of indexed lookups (items_for's remaining branch is the Office's, taken just below):
    # a test of 300,000 items against three ORed conditions otherwise.
    units = who.unit_ids
    items = ProgramItem.objects.order_by()
    own = (
        items.filter(lead_unit__in=units)
        .values("program_id")
        .union(
            items.filter(coordinating_units__in=units).values("program_id"),
            items.filter(supervising_leader=who.user).values("program_id"),
        )
    )
    return programs.filter(
        Q(issuing_unit__in=office_scope)
        | Q(issuing_unit__in=who.units_with_role(*LEADER_ROLES))
        | Q(pk__in=own)
    )


def requests_for(user: User | AnonymousUser) -> QuerySet[AdjustmentRequest]:
    """The adjustment requests ``user`` may see: the twin of AdjustmentRequest's ``view``
    rule (the Office's programs, the requesting unit's own, the deciding leader's)."""
    who = principal(user)
    requests = AdjustmentRequest.objects.select_related(
        "program__issuing_unit",
        "item",
        "lead_unit",
        "reason",
        "requested_by",
        "leader",
        "decided_by",
        "signed_by",
        "request_document",
    )
    if who is None:
        return requests.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return requests
    # The Office's programs as a subquery on the request's own column: written through the
    # join, the OR spanned two tables and the planner tested every program for every request.
    offices_programs = WorkProgram.objects.filter(issuing_unit__in=office_scope).values("pk")
    filed = ~Q(status__in=DRAFT_STATUSES)
    return requests.filter(
        Q(lead_unit__in=who.unit_ids)
        | Q(requested_by=who.user)
        | (filed & (Q(program_id__in=offices_programs) | Q(leader=who.user)))
    )


def program_requests_for(user: User | AnonymousUser, program: WorkProgram) -> QuerySet[AdjustmentRequest]:
    """``requests_for(user).filter(program=program)``, without the scope's subqueries when
    the Office covering the program asks (``program_items_for``'s reason): every filed
    request, and drafts of its own units."""
    who = principal(user)
    if who is None or not office_covers(who, program.issuing_unit_id):
        return requests_for(user).filter(program=program)
    requests = AdjustmentRequest.objects.filter(program=program)
    if who.is_admin:
        return requests
    return requests.filter(
        ~Q(status__in=DRAFT_STATUSES) | Q(lead_unit__in=who.unit_ids) | Q(requested_by=who.user)
    )


# --- The rules as filters, for the to-do lists ------------------------------------------------------
#
# Each is the role branch of a rule above (a test keeps each pair in step); the administrator's
# bypass is left out, so an administrator's home page does not carry every unit's work.


def to_decide_by(user: User | AnonymousUser) -> Q:
    """The requests waiting for ``user``'s decision as their supervising leader: the
    ``decide`` rule."""
    who = principal(user)
    if who is None or not who.units_with_role(*LEADER_ROLES):
        return NOTHING
    return Q(status=RequestStatus.PENDING, leader_id=who.user.pk)


def awaiting_head_of(user: User | AnonymousUser) -> Q:
    """The staff's drafts waiting for ``user``'s approval as head of the lead unit: the
    ``approve_submission`` rule."""
    who = principal(user)
    heads = who.units_with_role(*SIGNING_ROLES) if who is not None else set()
    if not heads:
        return NOTHING
    return Q(status=RequestStatus.AWAITING_HEAD, lead_unit_id__in=heads)


def pending_in_office(user: User | AnonymousUser) -> Q:
    """The requests awaiting a leader's decision in the programs ``user``'s Office keeps
    (the Office branch of the request's ``view`` rule): the Office follows them up."""
    who = principal(user)
    held = who.units_with_role(Role.OFFICE_OFFICER) if who is not None else set()
    if not held:
        return NOTHING
    programs = WorkProgram.objects.filter(issuing_unit__in=jurisdiction_subtree(held)).values("pk")
    # among(): the programs' ids found once; as "IN (subquery)" the planner walked the
    # newest-first requests testing each against every program (256 ms, national Office).
    return Q(status=RequestStatus.PENDING) & among("program_id", programs)


def led_by_units_of(user: User | AnonymousUser) -> Q:
    """The items whose submission ``user`` may record as head or staff of the lead unit
    (the unit branch of the ``submit`` rule)."""
    who = principal(user)
    units = who.units_with_role(*UNIT_ROLES) if who is not None else set()
    if not units:
        return NOTHING
    return Q(lead_unit_id__in=units)
