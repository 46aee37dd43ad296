"""Who may see and do what with the adoption reports.

- The obliged unit (anyone working there) sees its obligations and their reports; its head
  and staff file them (save, submit, add evidence); administrators may too.
- Home Affairs of the directive's committee (``manages``) sees every report there and
  returns a submitted one for completion; the committee's leaders see them all (``oversees``).
- Another unit, even of the same committee, and anybody else get 404.

The list twins (``*_q``) sit beside the rules; tests keep each pair in step for every persona."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from caicach.core.models import Role, User
from caicach.core.permissions import Principal, global_rule, principal, rule
from caicach.replication.models import AdoptionReport, Obligation
from caicach.replication.rules import (
    LEADER_ROLES,
    UNIT_ROLES,
    directives_among,
    managed_q,
    manages,
    overseen_q,
    oversees,
)

NOTHING = Q(pk__in=[])


def _sees_unit(who: Principal, committee_id: int, unit_id: int) -> bool:
    return oversees(who, committee_id) or unit_id in who.unit_ids


def _files_for(who: Principal, unit_id: int) -> bool:
    return who.is_admin or unit_id in who.units_with_role(*UNIT_ROLES)


@rule(Obligation, "adoption.view")
def _view_obligation(who: Principal, obligation: Obligation) -> bool:
    return _sees_unit(who, obligation.directive.issuing_unit_id, obligation.unit_id)


@rule(Obligation, "adoption.file")
def _file_obligation(who: Principal, obligation: Obligation) -> bool:
    """Open, write and send the unit's reports (whether the cycle still takes one is the
    service's business)."""
    return _files_for(who, obligation.unit_id)


@rule(AdoptionReport, "view")
def _view_report(who: Principal, report: AdoptionReport) -> bool:
    obligation = report.obligation
    return _sees_unit(who, obligation.directive.issuing_unit_id, obligation.unit_id)


@rule(AdoptionReport, "change")
def _change_report(who: Principal, report: AdoptionReport) -> bool:
    return _files_for(who, report.obligation.unit_id)


@rule(AdoptionReport, "return")
def _return_report(who: Principal, report: AdoptionReport) -> bool:
    return manages(who, report.obligation.directive.issuing_unit_id)


@global_rule("replication.review_reports")
def _review_reports(who: Principal) -> bool:
    """Open the review list: Home Affairs, the committees' leaders, administrators."""
    return who.is_admin or bool(who.units_with_role(Role.REFORM_OFFICER, *LEADER_ROLES))


@global_rule("replication.file_reports")
def _file_reports(who: Principal) -> bool:
    """The menu entry of the unit's obligations: the people who file reports."""
    return who.is_admin or bool(who.units_with_role(*UNIT_ROLES))


# --- List twins -------------------------------------------------------------------------------------


def _overseen(who: Principal) -> Q | None:
    """Obligations under the directives of the committees ``who`` oversees."""
    return directives_among("directive_id", overseen_q(who, "issuing_unit"))


def _reports_of(obligations: Q) -> Q:
    """The reports on the obligations ``obligations`` picks (a report carries neither unit
    nor committee), by those obligations' ids: a hashed subquery that filters the reports as
    they are read, before any join. Written across the join, the scope's OR of a committee
    and a unit could only be tested on joined rows: a province's reports were found by
    joining the country's."""
    return Q(obligation_id__in=Obligation.objects.filter(obligations).values("pk"))


def visible_obligations_q(user: User | AnonymousUser, *, own_units_only: bool = False) -> Q:
    """The twin of ``adoption.view`` on obligations; ``own_units_only`` keeps the branch of
    the units the user works in (the "my unit" page)."""
    who = principal(user)
    if who is None:
        return NOTHING
    own = Q(unit_id__in=sorted(who.unit_ids))
    if own_units_only:
        return own
    overseen = _overseen(who)
    return Q() if overseen is None else overseen | own


def visible_reports_q(user: User | AnonymousUser) -> Q:
    """The twin of ``view`` on reports."""
    who = principal(user)
    if who is None:
        return NOTHING
    overseen = _overseen(who)
    if overseen is None:
        return Q()
    return _reports_of(overseen | Q(unit_id__in=sorted(who.unit_ids)))


def reviewed_directives_q(user: User | AnonymousUser) -> Q:
    """The directives whose reports ``user`` reviews (on ``Directive``): those of the
    committees they oversee."""
    who = principal(user)
    if who is None:
        return NOTHING
    return overseen_q(who, "issuing_unit") or Q()


def reports_to_review_q(user: User | AnonymousUser) -> Q:
    """The review list: the reports of the committees ``user`` oversees (the ``oversees``
    branch of ``view``)."""
    who = principal(user)
    if who is None:
        return NOTHING
    overseen = _overseen(who)
    return Q() if overseen is None else _reports_of(overseen)


def returnable_q(user: User | AnonymousUser) -> Q:
    """The twin of ``return`` (whatever the report's state)."""
    who = principal(user)
    if who is None:
        return NOTHING
    managed = directives_among("directive_id", managed_q(who, "issuing_unit"))
    return Q() if managed is None else _reports_of(managed)


def managed_reports_q(user: User | AnonymousUser) -> Q | None:
    """For Home Affairs' to-do: ``returnable_q`` for a reform officer; None for anyone else
    (administrators included: their home page does not carry every committee's reports)."""
    who = principal(user)
    if who is None or not who.units_with_role(Role.REFORM_OFFICER):
        return None
    return returnable_q(user)


def filing_unit_ids(user: User | AnonymousUser) -> set[int]:
    """The units whose reports ``user`` files as head or staff (the role branch of
    ``adoption.file``, for the to-do list and reminders)."""
    who = principal(user)
    return who.units_with_role(*UNIT_ROLES) if who is not None else set()


def register_labels() -> None:
    """The audit trail's labels of the reports' actions and where their links go."""
    from django.utils.translation import gettext_lazy as _

    from caicach.core.audit.queries import register_action_labels, register_object_url

    register_action_labels(
        {
            "adoption_report.create": _("Lập báo cáo kết quả nhân rộng"),
            "adoption_report.update": _("Sửa báo cáo kết quả nhân rộng"),
            "adoption_report.submit": _("Gửi báo cáo kết quả nhân rộng"),
            "adoption_report.return": _("Trả lại báo cáo kết quả nhân rộng để bổ sung"),
            "adoption_report.evidence_add": _("Thêm minh chứng vào báo cáo nhân rộng"),
            "adoption_report.evidence_remove": _("Gỡ minh chứng khỏi báo cáo nhân rộng"),
        }
    )
    register_object_url(AdoptionReport, "replication:report_detail")
