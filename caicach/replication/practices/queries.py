"""Reads of the practice catalogue: the list a user may see (filtered, searched), one
practice with everything its page shows, the directives that list it, the choices of the
filters and forms (from the user's scope, never every unit), and the home page's to-do."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from caicach.core import search
from caicach.core.models import ReformField, ReformIndex, Role, Unit, UnitAncestry, User
from caicach.core.permissions import COMMITTEE_KINDS, jurisdictions_of, principal, units_in_view
from caicach.core.todos import TodoEntry, TodoItem, count_and_first
from caicach.initiatives.models import EffectivenessReport, Initiative, ReportStatus
from caicach.replication.models import DirectivePractice, Practice, PracticeAttachment
from caicach.replication.practices.rules import evaluable_practices_q, visible_practices_q


@dataclass(frozen=True)
class PracticeFilters:
    kind: str = ""
    status: str = ""
    field: int | None = None
    index: int | None = None
    origin_unit: int | None = None
    q: str = ""


def practice_queryset() -> QuerySet[Practice]:
    return Practice.objects.select_related("committee", "origin_unit", "proposing_unit")


def practices_for(user: User | AnonymousUser, filters: PracticeFilters | None = None) -> QuerySet[Practice]:
    """The practices ``user`` may see, newest first (best match first when searching)."""
    who = principal(user)
    if who is None:
        return Practice.objects.none()
    rows = practice_queryset().prefetch_related("indices")
    visible = visible_practices_q(who)
    if visible is not None:
        rows = rows.filter(visible)
    f = filters or PracticeFilters()
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.status:
        rows = rows.filter(status=f.status)
    if f.field:
        rows = rows.filter(reform_fields=f.field)
    if f.index:
        rows = rows.filter(indices=f.index)
    if f.origin_unit:
        rows = rows.filter(origin_unit=f.origin_unit)
    if f.q:
        return search.ranked(search.search(rows, f.q, exact_fields=("name",)), "-created_at", "-id")
    return rows


def practice_list_rows(user: User | AnonymousUser, filters: PracticeFilters) -> QuerySet[Practice]:
    """``practices_for``, reading only what the list shows: joining the committee and the
    proposing unit too made the planner hash every unit of the country for 25 rows."""
    rows = practices_for(user, filters).select_related(None).select_related("origin_unit")
    return rows.only(*LIST_COLUMNS)


LIST_COLUMNS = (
    "name",
    "kind",
    "status",
    "is_published",
    "origin_external_name",
    "created_at",
    "origin_unit__name",
)


def practice_for_page(pk: int) -> QuerySet[Practice]:
    """One practice with what its page shows, in a fixed number of queries."""
    return practice_queryset().select_related(
        "initiative__unit", "initiative__recognition__certificate__registered_document", "evaluated_by"
    )


def practice_details(practice: Practice) -> dict[str, object]:
    """Fields, indices, attachments and the directives listing the practice."""
    return {
        "reform_fields": list(practice.reform_fields.all()),
        "indices": list(practice.indices.all()),
        "attachments": list(PracticeAttachment.objects.filter(practice=practice)),
        "listings": list(
            DirectivePractice.objects.filter(practice=practice)
            .select_related("directive__registered_document")
            .order_by("-directive__created_at", "-directive_id")
        ),
    }


def initiative_sources(initiative: Initiative | None) -> dict[str, object]:
    """What the practice page shows from its initiative (read there, never copied): the
    authors, the certificate and the submitted effectiveness reports."""
    if initiative is None:
        return {"authors": [], "certificate": None, "effectiveness_reports": []}
    recognition = getattr(initiative, "recognition", None)
    certificate = getattr(recognition, "certificate", None) if recognition is not None else None
    return {
        "authors": list(initiative.authorships.order_by("position", "pk").only("full_name", "is_lead")),
        "certificate": certificate if certificate is not None and certificate.revoked_at is None else None,
        "effectiveness_reports": list(
            EffectivenessReport.objects.filter(initiative=initiative, status=ReportStatus.SUBMITTED).order_by(
                "-submitted_at", "-pk"
            )
        ),
    }


def practice_of_initiative(initiative: Initiative) -> Practice | None:
    return Practice.objects.filter(initiative=initiative).first()


def managed_committees(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The committees whose catalogue ``user`` keeps (Home Affairs within its jurisdiction)."""
    who = principal(user)
    if who is None:
        return Unit.objects.none()
    committees = Unit.objects.filter(kind__in=sorted(COMMITTEE_KINDS)).order_by("name")
    scope = who.scope_units(Role.REFORM_OFFICER)
    return committees if scope is None else committees.filter(pk__in=scope)


def own_committee(user: User | AnonymousUser, committees: QuerySet[Unit]) -> Unit | None:
    """The committee a Home Affairs officer works for, among ``committees`` (the form's
    default: a province's Department adds to the province's catalogue)."""
    who = principal(user)
    if who is None:
        return None
    held = jurisdictions_of(who.units_with_role(Role.REFORM_OFFICER))
    return committees.filter(pk__in=held).first()


def committee_above(unit: Unit) -> Unit | None:
    """The committee a unit proposes to: the nearest one above it."""
    row = (
        UnitAncestry.objects.filter(descendant=unit, depth__gt=0, ancestor__kind__in=sorted(COMMITTEE_KINDS))
        .select_related("ancestor")
        .order_by("depth")
        .first()
    )
    return row.ancestor if row is not None else None


def unit_choices(user: User | AnonymousUser) -> QuerySet[Unit]:
    """Origin units offered to ``user``: the units of their jurisdictions."""
    scope = units_in_view(user)
    units = Unit.objects.active().order_by("name")
    return units if scope is None else units.filter(pk__in=scope)


def origin_unit_choices(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The list filter's units: those that built a practice ``user`` sees — what the list
    can be narrowed to, a few hundred at most for the whole country, where every unit of a
    national officer's view was 4,000 options (280 KB a page)."""
    origins = practices_for(user).order_by().values("origin_unit_id")
    return Unit.objects.filter(pk__in=origins).order_by("name")


def field_choices() -> QuerySet[ReformField]:
    return ReformField.objects.all()


def index_choices() -> QuerySet[ReformIndex]:
    return ReformIndex.objects.all()


def proposals_to_evaluate(user: User, limit: int) -> TodoEntry | None:
    """The home page's to-do for Home Affairs: proposals of units waiting for a decision.
    An administrator who is not Home Affairs gets none: their home page does not carry every
    committee's work."""
    who = principal(user)
    if who is None or not who.has_role(Role.REFORM_OFFICER):
        return None
    rows = (
        Practice.objects.filter(evaluable_practices_q(who))
        .select_related("proposing_unit")
        .order_by("created_at", "pk")
    )
    count, first = count_and_first(rows, limit)
    return TodoEntry(
        key="replication.practices_to_evaluate",
        title=gettext_lazy("Mô hình, cách làm hay đơn vị đề xuất chờ đánh giá"),
        count=count,
        items=[
            TodoItem(
                label=row.name,
                url=row.get_absolute_url(),
                detail=row.proposing_unit.name if row.proposing_unit else "",
            )
            for row in first
        ],
        more_url=reverse("replication:practice_list") + "?status=proposed",
    )
