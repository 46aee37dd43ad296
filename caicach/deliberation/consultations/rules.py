"""Who may see and do what with members' opinions (seed 001, the Working Regulations).

- The committee's Office (OFFICE_OFFICER within its jurisdiction) prepares, sends and closes
  the consultations of the committees it covers, and enters the paper answers of secret ones.
- A member (COMMITTEE_MEMBER, LEADER, CHAIRMAN of the committee) sees the consultations sent
  to them and answers — online, unless the draft is secret.
- The committee's leaders (CHAIRMAN, LEADER) see every consultation of their committee with
  every member's answer.
- The lead unit (anyone working there) sees its own consultations once sent; its head and
  staff record how each comment was taken in (tiếp thu) or why not (giải trình).
- Anybody else gets 404. Files of a secret draft are never shown online.

``consultations_for`` is the database-side twin of Consultation's ``view`` rule; a test keeps
the pair in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from caicach.core.models import Role, Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, Principal, global_rule, principal, rule
from caicach.core.todos import NOTHING
from caicach.deliberation.models import (
    ANSWERS_WITH_COMMENT,
    Consultation,
    ConsultationFile,
    ConsultationStatus,
    Opinion,
)

MEMBER_ROLES = (Role.COMMITTEE_MEMBER, Role.LEADER, Role.CHAIRMAN)
LEADER_ROLES = (Role.CHAIRMAN, Role.LEADER)
UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


def office_covers(who: Principal, committee_id: int) -> bool:
    scope = who.scope_unit_ids(Role.OFFICE_OFFICER)
    return scope is None or committee_id in scope


def leads_committee(who: Principal, committee_id: int) -> bool:
    return committee_id in who.units_with_role(*LEADER_ROLES)


def sees_answers(who: Principal, consultation: Consultation) -> bool:
    """Members' individual answers: the Office and the committee's leaders (and the lead
    unit, which must take each comment in)."""
    return (
        office_covers(who, consultation.committee_id)
        or leads_committee(who, consultation.committee_id)
        or (consultation.status != ConsultationStatus.DRAFT and consultation.lead_unit_id in who.unit_ids)
    )


@global_rule("deliberation.view_consultations")
def _view_consultations(who: Principal) -> bool:
    # Anyone signed in may open the list; it shows only what they may see.
    return True


@global_rule("deliberation.create_consultation")
def _create_consultation(who: Principal) -> bool:
    # Which committee they may pick is checked by the service (``Unit`` "deliberation.consult").
    return who.is_admin or who.has_role(Role.OFFICE_OFFICER)


@global_rule("deliberation.view_punctuality")
def _view_punctuality(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.OFFICE_OFFICER, *LEADER_ROLES))


@rule(Unit, "deliberation.consult")
def _consult_in(who: Principal, unit: Unit) -> bool:
    return unit.kind in COMMITTEE_KINDS and office_covers(who, unit.pk)


@rule(Unit, "deliberation.settings")
def _settings_of(who: Principal, unit: Unit) -> bool:
    """A committee's rules for members' opinions belong to the Office covering it."""
    return unit.kind in COMMITTEE_KINDS and office_covers(who, unit.pk)


@rule(Unit, "deliberation.punctuality")
def _punctuality_of(who: Principal, unit: Unit) -> bool:
    return unit.kind in COMMITTEE_KINDS and (office_covers(who, unit.pk) or leads_committee(who, unit.pk))


@rule(Consultation, "view")
def _view_consultation(who: Principal, consultation: Consultation) -> bool:
    if office_covers(who, consultation.committee_id) or leads_committee(who, consultation.committee_id):
        return True
    if consultation.status == ConsultationStatus.DRAFT:
        return False
    if consultation.lead_unit_id in who.unit_ids:
        return True
    return consultation.opinions.filter(member_id=who.user.pk).exists()


@rule(Consultation, "view_answers")
def _view_answers(who: Principal, consultation: Consultation) -> bool:
    return sees_answers(who, consultation)


@rule(Consultation, "change", "send")
def _prepare(who: Principal, consultation: Consultation) -> bool:
    return consultation.status == ConsultationStatus.DRAFT and office_covers(who, consultation.committee_id)


@rule(Consultation, "close")
def _close(who: Principal, consultation: Consultation) -> bool:
    return consultation.status == ConsultationStatus.SENT and office_covers(who, consultation.committee_id)


@rule(Consultation, "view_files")
def _view_files(who: Principal, consultation: Consultation) -> bool:
    return not consultation.is_secret and _view_consultation(who, consultation)


@rule(ConsultationFile, "view")
def _view_file(who: Principal, file: ConsultationFile) -> bool:
    return _view_files(who, file.consultation)


@rule(Opinion, "view_opinion")
def _view_opinion(who: Principal, opinion: Opinion) -> bool:
    """One's own answer, or everybody's for those who see the answers."""
    return opinion.member_id == who.user.pk or sees_answers(who, opinion.consultation)


@rule(Opinion, "answer")
def _answer(who: Principal, opinion: Opinion) -> bool:
    """The member answers their own opinion online, while the consultation is open; a secret
    draft is answered on paper and entered by the Office."""
    consultation = opinion.consultation
    return (
        opinion.member_id == who.user.pk
        and consultation.status == ConsultationStatus.SENT
        and not consultation.is_secret
    )


@rule(Opinion, "enter")
def _enter(who: Principal, opinion: Opinion) -> bool:
    consultation = opinion.consultation
    return (
        consultation.is_secret
        and consultation.status == ConsultationStatus.SENT
        and office_covers(who, consultation.committee_id)
    )


@rule(Opinion, "respond")
def _respond(who: Principal, opinion: Opinion) -> bool:
    """The lead unit's head or staff answer a comment (tiếp thu / giải trình)."""
    consultation = opinion.consultation
    return (
        opinion.answer in ANSWERS_WITH_COMMENT
        and consultation.status != ConsultationStatus.DRAFT
        and (who.is_admin or consultation.lead_unit_id in who.units_with_role(*UNIT_ROLES))
    )


def consultations_for(user: User | AnonymousUser) -> QuerySet[Consultation]:
    """The consultations ``user`` may see: the twin of Consultation's ``view`` rule."""
    who = principal(user)
    consultations = Consultation.objects.select_related("committee", "lead_unit")
    if who is None:
        return consultations.none()
    office_scope = who.scope_units(Role.OFFICE_OFFICER)
    if office_scope is None:
        return consultations
    asked = Opinion.objects.filter(member_id=who.user.pk).values("consultation_id")
    sent = ~Q(status=ConsultationStatus.DRAFT)
    return consultations.filter(
        Q(committee__in=office_scope)
        | Q(committee__in=who.units_with_role(*LEADER_ROLES))
        | (sent & (Q(lead_unit__in=who.unit_ids) | Q(pk__in=asked)))
    )


# --- The rules as filters, for the to-do lists ----------------------------------------------------


def to_answer_by(user: User | AnonymousUser) -> Q:
    """The opinions ``user`` still owes online: the ``answer`` rule, unanswered."""
    who = principal(user)
    if who is None or not who.units_with_role(*MEMBER_ROLES):
        return NOTHING
    return Q(
        member_id=who.user.pk,
        answer="",
        consultation__status=ConsultationStatus.SENT,
        consultation__is_secret=False,
    )


def kept_by_office_of(user: User | AnonymousUser) -> Q:
    """The open consultations of the committees ``user``'s Office covers: the ``close`` rule."""
    who = principal(user)
    held = who.units_with_role(Role.OFFICE_OFFICER) if who is not None else set()
    if who is None or not held:
        return NOTHING
    return Q(status=ConsultationStatus.SENT, committee__in=who.scope_units(Role.OFFICE_OFFICER))
