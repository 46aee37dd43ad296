"""Who may see and change campaigns and initiatives.

A reform officer acts within their jurisdiction: the committee their unit belongs to and
every unit under it (``Principal.scope_unit_ids``). ``campaigns_for`` (at the end) is the
database-side twin of the ``view`` rule; a test keeps the two in step."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from caicach.core import clock
from caicach.core.models import Role, User
from caicach.core.permissions import (
    Principal,
    acting_unit_ids,
    acting_units,
    among,
    can,
    global_rule,
    jurisdiction_subtree,
    principal,
    rule,
)
from caicach.core.todos import NOTHING
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    CampaignStatus,
    Initiative,
    InitiativeStatus,
    ReviewAssignment,
    RoundStatus,
)


@global_rule("initiatives.view_campaigns")
def _view_campaigns(who: Principal) -> bool:
    # Anyone signed in may open the list; the list itself shows only what they may see.
    return True


@global_rule("initiatives.create_campaign")
def _create_campaign(who: Principal) -> bool:
    # Which issuing units they may pick is checked by services.campaign_create.
    return who.is_admin or who.has_role(Role.REFORM_OFFICER)


def _in_reform_scope(who: Principal, campaign: Campaign) -> bool:
    scope = who.scope_unit_ids(Role.REFORM_OFFICER)
    return scope is None or campaign.issuing_unit_id in scope or campaign.receiving_unit_id in scope


@rule(Campaign, "view")
def _view_campaign(who: Principal, campaign: Campaign) -> bool:
    if who.is_admin or _in_reform_scope(who, campaign):
        return True
    units = who.unit_ids
    if campaign.issuing_unit_id in units or campaign.receiving_unit_id in units:
        return True
    return campaign.is_open_to_units and campaign.eligible_units.filter(pk__in=units).exists()


@rule(Campaign, "enter")
def _enter_campaign(who: Principal, campaign: Campaign) -> bool:
    """File a new dossier in the campaign: it takes dossiers today and one of the units the
    person files for (head or staff) is among its participating units. A dossier only reaches
    a council through its campaign, so the create form offers these and nothing else."""
    if not campaign.accepts_submissions(clock.today()):
        return False
    if who.is_admin:
        return True
    return campaign.eligible_units.filter(pk__in=acting_units(who.user)).exists()


@rule(Campaign, "change", "publish")
def _change_campaign(who: Principal, campaign: Campaign) -> bool:
    return who.is_admin or _in_reform_scope(who, campaign)


# --- Initiatives ---------------------------------------------------------------------------------
#
# The access matrix: authors see and edit their own drafts; a unit's head sees the
# unit's dossiers and confirms them; reform officers see the dossiers that reached their
# campaigns (or, outside any campaign, that their jurisdiction's units sent); council members
# see only the dossiers assigned to them. Everyone else gets 404. ``initiatives_visible_to``
# (at the end) is the database-side twin of the ``view`` rule.

EDITABLE_STATUSES = frozenset({InitiativeStatus.DRAFT, InitiativeStatus.RETURNED})
# Statuses in which the dossier has reached the receiving body (past the unit head).
RECEIVED_STATUSES = frozenset(
    {
        InitiativeStatus.SUBMITTED,
        InitiativeStatus.ACCEPTED,
        InitiativeStatus.IN_REVIEW,
        InitiativeStatus.RECOGNISED,
        InitiativeStatus.NOT_RECOGNISED,
    }
)
# What the receiving reform officer sees: every dossier that reached them, including one they
# returned for completion (they follow it until it comes back).
MANAGER_VISIBLE_STATUSES = RECEIVED_STATUSES | {InitiativeStatus.RETURNED}


def is_author(who: Principal, initiative: Initiative) -> bool:
    if initiative.created_by_id == who.user.pk:
        return True
    return any(a.user_id == who.user.pk for a in initiative.authorships.all())


def heads_unit(who: Principal, initiative: Initiative) -> bool:
    return who.has_role(Role.UNIT_HEAD, initiative.unit_id)


def manages_initiative(who: Principal, initiative: Initiative) -> bool:
    """A reform officer responsible for where the dossier was sent: its campaign, or for a
    dossier outside any campaign, the jurisdiction of the unit that sent it."""
    if who.is_admin:
        return True
    if initiative.campaign_id is not None:
        campaign = initiative.campaign
        assert campaign is not None
        return _in_reform_scope(who, campaign)
    scope = who.scope_unit_ids(Role.REFORM_OFFICER)
    return scope is None or initiative.unit_id in scope


def reviews(who: Principal, initiative: Initiative) -> bool:
    return initiative.review_assignments.filter(member__user_id=who.user.pk, excluded=False).exists()


@global_rule("initiatives.view_initiatives")
def _view_initiatives(who: Principal) -> bool:
    return True


@global_rule("initiatives.create_initiative")
def _create_initiative(who: Principal) -> bool:
    return who.is_admin or bool(who.units_with_role(Role.UNIT_STAFF, Role.UNIT_HEAD))


@rule(Initiative, "view")
def _view_initiative(who: Principal, initiative: Initiative) -> bool:
    if who.is_admin or is_author(who, initiative) or heads_unit(who, initiative):
        return True
    if initiative.status in MANAGER_VISIBLE_STATUSES and manages_initiative(who, initiative):
        return True
    return reviews(who, initiative)


def scores_now(who: Principal, initiative: Initiative) -> bool:
    """A council member who is to score the dossier in a round still open."""
    return initiative.review_assignments.filter(
        member__user_id=who.user.pk, excluded=False, member__council__round_status=RoundStatus.OPEN
    ).exists()


@rule(Initiative, "view_personal_data")
def _view_personal_data(who: Principal, initiative: Initiative) -> bool:
    """The authors' birth dates, workplaces (or residences) and qualifications, and the people
    of the first application (the application form's personal data, Circular 18 annex I):
    for those who need them — the dossier's own unit (its authors and head), the receiving
    office, the council members while they score it — and the administrator, who keeps the
    same details on people's accounts. Whoever else may open the dossier (a council member
    once the round is closed) reads it without them; no list or export carries them."""
    if who.is_admin or is_author(who, initiative) or heads_unit(who, initiative):
        return True
    if initiative.status in MANAGER_VISIBLE_STATUSES and manages_initiative(who, initiative):
        return True
    return scores_now(who, initiative)


# The dossier documents that print that personal data: the application's authors table and
# its people of the first application.
PERSONAL_DOCUMENTS = frozenset({"application"})


def may_read_document(user: User | AnonymousUser, initiative: Initiative, kind: str) -> bool:
    """Whether ``user`` may download the dossier document ``kind`` (application, description,
    receipt) of a dossier they may see."""
    return kind not in PERSONAL_DOCUMENTS or can(user, "view_personal_data", initiative)


@rule(Initiative, "change", "submit")
def _change_initiative(who: Principal, initiative: Initiative) -> bool:
    return initiative.status in EDITABLE_STATUSES and (who.is_admin or is_author(who, initiative))


@rule(Initiative, "confirm")
def _confirm_initiative(who: Principal, initiative: Initiative) -> bool:
    return initiative.status == InitiativeStatus.AWAITING_CONFIRMATION and (
        who.is_admin or heads_unit(who, initiative)
    )


@rule(Initiative, "receive")
def _receive_initiative(who: Principal, initiative: Initiative) -> bool:
    """Accept (issue the receipt) or return for completion."""
    return initiative.status == InitiativeStatus.SUBMITTED and manages_initiative(who, initiative)


@rule(Initiative, "manage")
def _manage_initiative(who: Principal, initiative: Initiative) -> bool:
    """Council work and recognition on a dossier that has been accepted."""
    return initiative.status in RECEIVED_STATUSES and manages_initiative(who, initiative)


def eligible_count() -> Coalesce:
    """The number of a campaign's eligible units, as an annotation. Counted per campaign row:
    a join with GROUP BY would group on every column of the campaign, its long texts
    included (180 ms a page on SQLite at a province's size)."""
    eligible = (
        Campaign.eligible_units.through.objects.filter(campaign_id=OuterRef("pk"))
        .order_by()
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]  # the stubs do not see an annotation on a through model
    )
    return Coalesce(Subquery(eligible), 0)


def campaigns_for(user: User | AnonymousUser) -> QuerySet[Campaign]:
    """The campaigns ``user`` may see: the database-side twin of the ``view`` rule above
    (a test keeps the two in step)."""
    who = principal(user)
    campaigns = Campaign.objects.select_related(
        "issuing_unit", "receiving_unit", "registered_document"
    ).annotate(eligible_count=eligible_count())
    if who is None:
        return campaigns.none()
    reform_scope = who.scope_units(Role.REFORM_OFFICER)
    if reform_scope is None:  # an administrator
        return campaigns
    units = who.unit_ids
    return campaigns.filter(
        Q(issuing_unit__in=units)
        | Q(receiving_unit__in=units)
        | Q(issuing_unit__in=reform_scope)
        | Q(receiving_unit__in=reform_scope)
        | (
            ~Q(status=CampaignStatus.DRAFT)
            & Q(
                pk__in=Campaign.eligible_units.through.objects.filter(unit_id__in=units).values("campaign_id")
            )
        )
    )


def campaigns_to_enter(user: User | AnonymousUser) -> QuerySet[Campaign]:
    """The campaigns ``user`` may file a new dossier in, the closing window first: the
    database-side twin of the ``enter`` rule above (a test keeps the two in step)."""
    today = clock.today()
    campaigns = Campaign.objects.select_related("receiving_unit").filter(
        status=CampaignStatus.PUBLISHED, window_start__lte=today, window_end__gte=today
    )
    if principal(user) is None:
        return campaigns.none()
    if acting_unit_ids(user) is not None:  # None: an administrator, who may file for any unit
        eligible = Campaign.eligible_units.through.objects.filter(unit__in=acting_units(user))
        campaigns = campaigns.filter(pk__in=eligible.values("campaign_id"))
    return campaigns.order_by("window_end", "pk")


def initiatives_visible_to(user: User | AnonymousUser) -> Q | None:
    """The dossiers ``user`` may see, as a filter (None: every dossier, an administrator):
    the database-side twin of the ``view`` rule above; a test keeps the two in step."""
    who = principal(user)
    if who is None:
        return Q(pk__in=[])
    reform_scope = who.scope_units(Role.REFORM_OFFICER)
    if reform_scope is None:  # an administrator
        return None
    me = who.user.pk
    # One's own dossiers — created, co-authored, to score — as one UNION of three indexed
    # lookups: a handful of ids the database joins by primary key, where three ORed
    # conditions had it test every row of the table (a unit's clerk among 200,000 dossiers).
    own = (
        Initiative.objects.filter(created_by_id=me)
        .order_by()
        .values("pk")
        .union(
            Authorship.objects.filter(user_id=me).order_by().values("initiative_id"),
            ReviewAssignment.objects.filter(member__user_id=me, excluded=False)
            .order_by()
            .values("initiative_id"),
        )
    )
    # Each branch through ``among()``: one index lookup per branch, ORed as a bitmap.
    visible = among("id", own)
    headed = who.units_with_role(Role.UNIT_HEAD)
    if headed:
        visible |= Q(unit_id__in=headed)
    if who.units_with_role(Role.REFORM_OFFICER):
        campaigns_managed = Campaign.objects.filter(
            Q(issuing_unit_id__in=reform_scope) | Q(receiving_unit_id__in=reform_scope)
        ).values("pk")
        visible |= Q(status__in=MANAGER_VISIBLE_STATUSES) & (
            among("campaign_id", campaigns_managed)
            | (Q(campaign__isnull=True) & among("unit_id", reform_scope))
        )
    return visible


# --- The workflow rules as filters, for the to-do lists --------------------------------------------
#
# Each is the role branch of a rule above (a test keeps each pair in step); the administrator's
# bypass is left out, so an administrator's home page does not carry every unit's work.


def to_confirm_by(user: User | AnonymousUser) -> Q:
    """The dossiers waiting for ``user``'s confirmation as head of their unit: the ``confirm``
    rule."""
    who = principal(user)
    headed = who.units_with_role(Role.UNIT_HEAD) if who is not None else set()
    if not headed:
        return NOTHING
    return Q(status=InitiativeStatus.AWAITING_CONFIRMATION, unit_id__in=headed)


def to_receive_by(user: User | AnonymousUser) -> Q:
    """The dossiers waiting for ``user`` to accept or return them as the reform officer of
    where they were sent: the ``receive`` rule (``manages_initiative``)."""
    who = principal(user)
    held = who.units_with_role(Role.REFORM_OFFICER) if who is not None else set()
    if not held:
        return NOTHING
    scope = jurisdiction_subtree(held)
    campaigns_managed = Campaign.objects.filter(
        Q(issuing_unit_id__in=scope) | Q(receiving_unit_id__in=scope)
    ).values("pk")
    return Q(status=InitiativeStatus.SUBMITTED) & (
        Q(campaign_id__in=campaigns_managed) | (Q(campaign__isnull=True) & Q(unit_id__in=scope))
    )


def returned_to(user: User | AnonymousUser) -> Q:
    """The dossiers returned for completion that ``user`` may complete and send again as
    their author: the ``change`` rule on a returned dossier."""
    who = principal(user)
    if who is None:
        return NOTHING
    me = who.user.pk
    own = (
        Initiative.objects.filter(created_by_id=me)
        .order_by()
        .values("pk")
        .union(Authorship.objects.filter(user_id=me).order_by().values("initiative_id"))
    )
    return Q(status=InitiativeStatus.RETURNED, pk__in=own)
