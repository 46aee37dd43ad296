"""The one place that answers "may this user do X to this object".

Views, exports and the API never decide access themselves: they call ``can()`` or fetch
through ``get_for_user()``, which raises 404 for objects outside the user's scope (an
outsider learns nothing, not even that the object exists).

Views fetch through ``get_for_user()`` / ``require()`` (404); services check the same rules
with ``authorize()`` (``PermissionDenied``) before every write. Each domain app registers its
rules with ``@rule(Model, "action")`` / ``@global_rule("app.action")`` in its rules modules,
beside the list queries that must agree with them, and imports those modules in
``AppConfig.ready``. A model/action without a rule is denied.

Every refusal by ``require()`` or ``authorize()`` is written to the security log
(``caicach.core.security``), which the system administrators search; ``can()`` only asks
(menus, buttons) and logs nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Exists, F, Lookup, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from caicach.core import clock
from caicach.core.choices import kept_while_read
from caicach.core.models import (
    CalendarDay,
    Membership,
    Role,
    SecurityKind,
    Unit,
    UnitAncestry,
    UnitKind,
    User,
)
from caicach.core.planner import joins_as_written
from caicach.core.security import services as security_log

M = TypeVar("M", bound=models.Model)
Rule = Callable[["Principal", Any], bool]
# A subquery of unit ids (``.values("descendant_id")`` on the closure table), for ``__in``.
UnitIds = QuerySet[UnitAncestry, Any]

_rules: dict[tuple[type[models.Model], str], Rule] = {}
_global_rules: dict[str, Callable[[Principal], bool]] = {}


COMMITTEE_KINDS = frozenset(
    {UnitKind.PROVINCE_COMMITTEE.value, UnitKind.DISTRICT_COMMITTEE.value, UnitKind.COMMUNE_COMMITTEE.value}
)


@dataclass(frozen=True)
class Principal:
    """A user with their active memberships loaded once (one query per request); a scope,
    when a rule needs one, is read once more from the closure table and kept here too."""

    user: User
    grants: frozenset[tuple[str, int]]  # (role, unit_id)

    @property
    def is_admin(self) -> bool:
        return self.user.is_superuser or any(role == Role.SYSTEM_ADMIN for role, _ in self.grants)

    def has_role(self, role: str, unit_id: int | None = None) -> bool:
        return any(r == role and (unit_id is None or u == unit_id) for r, u in self.grants)

    def units_with_role(self, *roles: str) -> set[int]:
        return {u for r, u in self.grants if r in roles}

    @property
    def unit_ids(self) -> set[int]:
        ids = {u for _, u in self.grants}
        if self.user.unit_id:
            ids.add(self.user.unit_id)
        return ids

    def scope_unit_ids(self, *roles: str) -> set[int] | None:
        """The units within the jurisdiction of the principal's ``roles``: for every unit
        where they hold one of them, the committee that unit belongs to and everything under
        it. A reform officer of a district's Home Affairs division covers that district
        (committee, divisions, communes under it); one of the province's Department of Home
        Affairs covers the province. None means unrestricted (an administrator); a principal
        without any of ``roles`` gets an empty set without a query. One query, cached: for
        the object rules. List queries use ``scope_units``, which the database joins."""
        if self.is_admin:
            return None
        held = frozenset(self.units_with_role(*roles))
        if not held:
            return set()
        scope = self._scopes.get(held)
        if scope is None:
            # Kept while the unit tree is unchanged (``choices.kept_while_read``): a national
            # officer's scope is the country's 4,000 units, read and made into a set on every
            # page whose object rule asks for it; unpickled from the cache, a tenth of that.
            scope = self._scopes[held] = kept_while_read(
                "jurisdiction subtree",
                tuple(sorted(held)),
                lambda: frozenset(jurisdiction_subtree(held).values_list("descendant_id", flat=True)),
            )
        return set(scope)

    def scope_units(self, *roles: str) -> UnitIds | None:
        """``scope_unit_ids`` as a subquery of unit ids, for list queries:
        ``Q(unit__in=who.scope_units(role))`` is an indexed semi-join on the closure table,
        whatever the size of the jurisdiction, and costs no query of its own. None means
        unrestricted (an administrator)."""
        if self.is_admin:
            return None
        held = frozenset(self.units_with_role(*roles))
        # Kept for the request: a list page asks its rows, its counts and its filter choices
        # for the same scope, and building the subquery costs more Python than the join costs
        # the database. A queryset used as a subquery is cloned by each query that uses it.
        subquery = self._subtrees.get(held)
        if subquery is None:
            subquery = self._subtrees[held] = jurisdiction_subtree(held)
        return subquery

    @cached_property
    def _scopes(self) -> dict[frozenset[int], frozenset[int]]:  # by the units holding the roles
        return {}

    @cached_property
    def _subtrees(self) -> dict[frozenset[int], UnitIds]:  # by the units holding the roles
        return {}


class _AmongIds(Lookup):  # type: ignore[type-arg]
    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # "(SELECT ...)"
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


def among(field: str, ids: QuerySet[Any]) -> Q:
    """``Q(**{f"{field}__in": ids})`` for a scope's subquery of ids, written so that
    PostgreSQL answers it from ``field``'s index: ``field = ANY(ARRAY(SELECT ...))`` is run
    once (an InitPlan) and its array looked up in the index, so several such conditions
    ORed together become one bitmap of the rows in scope. ``field IN (SELECT ...)`` is a
    hashed SubPlan that can only filter rows some other path read: the province officer's
    6,000 dossiers were found by reading all 200,000 (0.6 s a count, 0.7 s a search page).
    The subquery is unordered, as ``__in`` makes its own: a model's default order would sort
    (and join for) every id in the array (the country's programs, on each home page)."""
    return Q(_AmongIds(F(field), ids.order_by()))


def subtree_ids(roots: Iterable[int] | UnitIds) -> UnitIds:
    """The ids (``descendant_id``) of ``roots`` and every unit below them, as a subquery."""
    if not isinstance(roots, QuerySet):
        roots = sorted(set(roots))
    return UnitAncestry.objects.filter(ancestor_id__in=roots).values("descendant_id")


def jurisdictions_of(unit_ids: Iterable[int]) -> UnitIds:
    """The committee each unit belongs to (as ``ancestor_id``), as a subquery: itself if it
    is a committee, otherwise the nearest committee above it; a unit with no committee
    above is its own jurisdiction (it is never widened to the whole tree)."""
    is_committee = Q(ancestor__kind__in=COMMITTEE_KINDS)
    nearer = UnitAncestry.objects.filter(
        is_committee, descendant_id=OuterRef("descendant_id"), depth__lt=OuterRef("depth")
    )
    any_committee = UnitAncestry.objects.filter(is_committee, descendant_id=OuterRef("descendant_id"))
    return (
        UnitAncestry.objects.filter(descendant_id__in=sorted(set(unit_ids)))
        .filter((is_committee & ~Exists(nearer)) | (Q(depth=0) & ~Exists(any_committee)))
        .values("ancestor_id")
    )


def jurisdiction_subtree(unit_ids: Iterable[int]) -> UnitIds:
    """The committees ``unit_ids`` belong to and every unit under them, as a subquery of
    unit ids (``descendant_id``): a scope in one statement.

    The committees' part is written once per set of units and process (``_jurisdictions_sql``)
    and carried as SQL: a scope appears in most list queries, often twice, and building and
    compiling its nested subqueries again each time cost more Python than the database
    spends running them (a national officer's home page compiled it thirty times)."""
    ids = tuple(sorted(set(unit_ids)))
    if not ids:
        return subtree_ids([])  # no unit: nothing (Django writes the empty match itself)
    sql, params = _jurisdictions_sql(ids)
    return UnitAncestry.objects.filter(ancestor_id__in=RawSQL(sql, params)).values("descendant_id")


@functools.lru_cache(maxsize=4096)
def _jurisdictions_sql(unit_ids: tuple[int, ...]) -> tuple[str, tuple[Any, ...]]:
    """``jurisdictions_of(unit_ids)`` as SQL for the default database. It holds the ids it
    was given and no data, so it never goes stale; its table aliases are its own, which SQL
    resolves innermost first wherever it is embedded."""
    sql, params = jurisdictions_of(unit_ids).query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    return sql, tuple(params)


def units_in_view(user: User | AnonymousUser) -> UnitIds | None:
    """The units a user's list filters offer (a subquery of ids): the jurisdictions of the
    units where they work or hold a role — what their lists mostly hold — rather than the
    units behind every row they may see (a national officer's 200,000 dossiers). None: every
    unit (an administrator); nothing for an anonymous visitor."""
    who = principal(user)
    if who is None:
        return subtree_ids([])
    if who.is_admin:
        return None
    return jurisdiction_subtree(who.unit_ids)


def units_answering_to(committee_id: int) -> UnitIds:
    """The ids (``descendant_id``) of the units whose jurisdiction is ``committee_id``: the
    committee and the units under it that no nearer committee covers (a province's
    departments, not its districts' divisions). A subquery."""
    nearer = UnitAncestry.objects.filter(
        descendant_id=OuterRef("descendant_id"),
        ancestor__kind__in=COMMITTEE_KINDS,
        depth__lt=OuterRef("depth"),
    )
    return (
        UnitAncestry.objects.filter(ancestor_id=committee_id).exclude(Exists(nearer)).values("descendant_id")
    )


# The roles that act in a unit's name: they file its dossiers, reports and requests.
ACTING_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


def acting_unit_ids(user: User | AnonymousUser) -> set[int] | None:
    """The units ``user`` may act for — file dossiers, monthly reports and adjustment
    requests in their name: those where they are head or staff. None: any unit (an
    administrator); an empty set for anyone else."""
    who = principal(user)
    if who is None:
        return set()
    if who.is_admin:
        return None
    return who.units_with_role(*ACTING_ROLES)


def may_act_for(user: User | AnonymousUser, unit_id: int) -> bool:
    units = acting_unit_ids(user)
    return units is None or unit_id in units


def acting_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """``acting_unit_ids`` as a queryset of units still in existence today."""
    units = acting_unit_ids(user)
    active = Unit.objects.active()
    return active if units is None else active.filter(pk__in=units)


def principal(user: User | AnonymousUser) -> Principal | None:
    if not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    cached: Principal | None = getattr(user, "_caicach_principal", None)
    if cached is None:
        grants = frozenset(
            Membership.objects.filter(user=user, is_active=True).values_list("role", "unit_id")
        )
        cached = Principal(user=user, grants=grants)
        user._caicach_principal = cached  # type: ignore[attr-defined]
    return cached


# Written at each sign-in and never read by a rule: no reason to build a kept value again.
_NOT_READ_BY_RULES = frozenset({"last_login", "password"})


def scope_key(user: User | AnonymousUser) -> Hashable:
    """What every rule's answer for ``user`` is a function of, besides the rows the rules'
    queries read: the person (their row as read for this request, but what no rule reads),
    their grants and the day. A value built from ``user``'s scoped queries is kept under this
    key (``choices.kept_while_read``), and a write to a table those queries read renews it."""
    who = principal(user)
    if who is None:
        return None
    person = tuple(
        (field.attname, getattr(who.user, field.attname))
        for field in who.user._meta.concrete_fields
        if field.attname not in _NOT_READ_BY_RULES
    )
    return (person, tuple(sorted(who.grants)), clock.today())


def forget(user: User) -> None:
    """Drop the cached grants (after a membership change in the same request)."""
    if hasattr(user, "_caicach_principal"):
        del user._caicach_principal


def rule(model: type[models.Model], *actions: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for action in actions:
            _rules[(model, action)] = fn
        return fn

    return register


def global_rule(*actions: str) -> Callable[[Callable[[Principal], bool]], Callable[[Principal], bool]]:
    """Rules about what a user may do at all (open a menu, create something)."""

    def register(fn: Callable[[Principal], bool]) -> Callable[[Principal], bool]:
        for action in actions:
            _global_rules[action] = fn
        return fn

    return register


def can(user: User | AnonymousUser, action: str, obj: models.Model | None = None) -> bool:
    who = principal(user)
    if who is None:
        return False
    if obj is None:
        check = _global_rules.get(action)
        return bool(check and check(who))
    obj_rule = _rules.get((type(obj)._meta.concrete_model or type(obj), action))
    return bool(obj_rule and obj_rule(who, obj))


def require(user: User | AnonymousUser, action: str, obj: models.Model | None = None) -> None:
    """For views: 404 rather than 403, so a refusal does not confirm that the object exists.
    The refusal is written to the security log (the visitor sees the same 404 as for an
    object that does not exist; the administrators see what was tried)."""
    if not can(user, action, obj):
        security_log.record(SecurityKind.ACCESS_DENIED, user=user, obj=obj, action=action)
        raise Http404


def authorize(actor: User | AnonymousUser, action: str, obj: models.Model | None = None) -> None:
    """For services: every service calls this itself before it writes, so a view, the API
    and a background task all meet the same rule. Raises ``PermissionDenied``; the view that
    fetched the object through ``get_for_user`` already knows the user may see it, and shows
    the refusal on the object's page."""
    if not can(actor, action, obj):
        security_log.record(SecurityKind.ACTION_DENIED, user=actor, obj=obj, action=action)
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def get_for_user(
    user: User | AnonymousUser, queryset: models.QuerySet[M], pk: Any, action: str = "view", **lookup: Any
) -> M:
    try:
        # One row by key: its joins are key lookups, and their written order is as good as
        # the one the planner would search for (13 ms for a request page's fourteen tables).
        with joins_as_written():
            obj = queryset.get(pk=pk, **lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    require(user, action, obj)
    return obj


# --- Core rules -------------------------------------------------------------------------------


@global_rule(
    "core.manage_units",
    "core.manage_users",
    "core.manage_calendar",
    "core.search_audit",
    "core.search_security_log",
)
def _admin_only(who: Principal) -> bool:
    return who.is_admin


@global_rule("core.view_units", "core.view_calendar", "core.view_inbox")
def _any_user(who: Principal) -> bool:
    return True


@global_rule("core.view_register")
def _register_keepers(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.OFFICE_OFFICER, Role.REFORM_OFFICER, Role.UNIT_HEAD))


@rule(Unit, "view")
def _view_unit(who: Principal, unit: Unit) -> bool:
    # The organisation chart is not secret inside the administration.
    return True


@rule(Unit, "change")
def _change_unit(who: Principal, unit: Unit) -> bool:
    return who.is_admin


@rule(User, "view")
def _view_user(who: Principal, person: User) -> bool:
    if who.is_admin or who.user.pk == person.pk:
        return True
    heads_of = who.units_with_role(Role.UNIT_HEAD)
    return person.unit_id in heads_of


@rule(User, "view_personal_data")
def _view_personal_data(who: Principal, person: User) -> bool:
    # Data minimisation: a unit head needs to know who their staff are and how to reach
    # them at work (name, position, unit, work phone and e-mail, all on the record they may
    # open), not their birth date or qualifications, which only the person and the
    # administrator who keeps the record read. (Authors' personal data in a dossier follow
    # the dossier's own rule.)
    return who.is_admin or who.user.pk == person.pk


@rule(User, "change")
def _change_user(who: Principal, person: User) -> bool:
    return who.is_admin


@rule(User, "reset_mfa")
def _reset_mfa(who: Principal, person: User) -> bool:
    # A lost phone is handled by someone else: an administrator resetting their own second
    # step would need no second factor to turn it off.
    return who.is_admin and who.user.pk != person.pk


@rule(CalendarDay, "change")
def _change_calendar_day(who: Principal, day: CalendarDay) -> bool:
    return who.is_admin


def register_unit_ids(user: User) -> set[int] | None:
    """The issuing units whose register ``user`` may read; None means every unit.
    Admins read the whole register; an office officer or a reform officer reads the
    registers within their jurisdiction (their committee and every unit under it, see
    ``Principal.scope_unit_ids``); a unit head reads the units where they are head."""
    who = principal(user)
    if who is None:
        return set()
    scope = who.scope_unit_ids(Role.OFFICE_OFFICER, Role.REFORM_OFFICER)
    if scope is None:  # an administrator
        return None
    return scope | who.units_with_role(Role.UNIT_HEAD)


def register_scope(user: User, field: str = "unit") -> Q | None:
    """``register_unit_ids`` as a filter on ``field`` for list queries (None: every unit),
    the jurisdiction joined through the closure table rather than listed."""
    who = principal(user)
    if who is None:
        return Q(**{f"{field}__in": []})
    scope = who.scope_units(Role.OFFICE_OFFICER, Role.REFORM_OFFICER)
    if scope is None:
        return None
    return Q(**{f"{field}__in": scope}) | Q(**{f"{field}__in": who.units_with_role(Role.UNIT_HEAD)})
