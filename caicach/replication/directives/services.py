"""Every write on replication directives: Home Affairs drafts (text, listed practices,
assignments), a leader of the committee issues — the number from the register, the DOCX
frozen, the assignments expanded into one obligation per unit and practice — and later
units follow: a merged unit's open obligations go to its successor (a hook run inside
``unit_merge``), a unit created later gets its obligations when Home Affairs extends the
directive, never silently."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import chronology, clock, numbering, rendering
from caicach.core.audit import services as audit
from caicach.core.models import Membership, Role, Unit, UnitKind, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize
from caicach.core.text import normalise_input
from caicach.core.versioning import check_version
from caicach.replication import cycles
from caicach.replication.directives import queries
from caicach.replication.directives.documents import directive_spec, leader_signature
from caicach.replication.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectivePractice,
    DirectiveSection,
    DirectiveStatus,
    Obligation,
    Practice,
    PracticeStatus,
    ReportingCycle,
    TargetGroup,
)
from caicach.replication.rules import UNIT_ROLES

AUDIT_LABELS = {
    "replication_directive.create": gettext_lazy("Soạn văn bản chỉ đạo nhân rộng"),
    "replication_directive.update": gettext_lazy("Sửa văn bản chỉ đạo nhân rộng"),
    "replication_directive.list_practices": gettext_lazy("Chọn mô hình, giải pháp cho văn bản chỉ đạo"),
    "replication_directive.assign": gettext_lazy("Giao nhân rộng cho đơn vị"),
    "replication_directive.unassign": gettext_lazy("Bỏ một nội dung giao nhân rộng"),
    "replication_directive.issue": gettext_lazy("Ban hành văn bản chỉ đạo nhân rộng"),
    "replication_directive.extend": gettext_lazy("Giao nhân rộng cho đơn vị mới thành lập"),
    "replication_obligation.transfer": gettext_lazy("Chuyển nghĩa vụ nhân rộng cho đơn vị kế thừa"),
}

FROZEN_FILES = "replication/directives"
TEXT_FIELDS = ("title", "legal_basis", "preamble", "closing", "recipients")
EDIT_FIELDS = (*TEXT_FIELDS, "document_type", "coordinator_unit", "reporting_cycle")


def _vietnamese(text: object) -> str:
    """Notifications and audit messages speak the administration's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _clean(value: str) -> str:
    return str(normalise_input(value or "")).strip()


def _locked(directive: Directive) -> Directive:
    return (
        Directive.objects.select_for_update(of=("self",))
        .select_related("issuing_unit__parent", "coordinator_unit", "registered_document")
        .get(pk=directive.pk)
    )


def _bump(locked: Directive, directive: Directive) -> None:
    """Move the version on, and tell the caller's copy (a page building the next form)."""
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    directive.version = locked.version


def _require_draft(directive: Directive) -> None:
    if directive.status != DirectiveStatus.DRAFT:
        raise ValidationError(_("Văn bản đã ban hành, không thể sửa."))


# --- The text -----------------------------------------------------------------------------------


def _check_text(
    *,
    committee: Unit,
    title: str,
    document_type: str,
    coordinator_unit: Unit | None,
    reporting_cycle: str,
) -> None:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Vui lòng nhập trích yếu của văn bản.")
    elif len(title) > 500:
        errors["title"] = _("Trích yếu không được dài quá 500 ký tự.")
    if document_type not in queries.DIRECTIVE_DOCUMENT_TYPES:
        errors["document_type"] = _("Văn bản chỉ đạo nhân rộng là công văn hoặc kế hoạch.")
    if coordinator_unit is None:
        errors["coordinator_unit"] = _("Vui lòng chọn cơ quan theo dõi, tổng hợp (Sở Nội vụ).")
    elif not queries.answering_units(committee.pk).filter(pk=coordinator_unit.pk).exists():
        errors["coordinator_unit"] = _(
            "Cơ quan theo dõi, tổng hợp phải là cơ quan trực thuộc %(committee)s."
        ) % {"committee": committee.name}
    if reporting_cycle not in ReportingCycle.values:
        errors["reporting_cycle"] = _("Kỳ báo cáo không hợp lệ.")
    if errors:
        raise ValidationError(errors)


def default_coordinator(actor: User, committee: Unit) -> Unit | None:
    """Home Affairs: the unit answering to the committee where ``actor`` is a reform officer."""
    held = Membership.objects.filter(user=actor, is_active=True, role=Role.REFORM_OFFICER).values("unit_id")
    return queries.answering_units(committee.pk).filter(pk__in=held).order_by("pk").first()


@transaction.atomic
def directive_create(
    *,
    actor: User,
    issuing_unit: Unit,
    title: str,
    document_type: str = "CV",
    legal_basis: str = "",
    preamble: str = "",
    closing: str = "",
    coordinator_unit: Unit | None = None,
    reporting_cycle: str = "",
    recipients: str = "",
) -> Directive:
    """A draft directive of ``issuing_unit`` (a committee), drafted by its Home Affairs. The
    coordinator defaults to the actor's own Home Affairs unit, the cycle to the committee's
    setting (quarterly unless set)."""
    authorize(actor, "draft_replication_directive", issuing_unit)
    coordinator = coordinator_unit or default_coordinator(actor, issuing_unit)
    cycle = reporting_cycle or cycles.settings_for(issuing_unit).default_cycle
    texts = {
        "title": _clean(title),
        "legal_basis": _clean(legal_basis),
        "preamble": _clean(preamble),
        "closing": _clean(closing),
        "recipients": _clean(recipients),
    }
    _check_text(
        committee=issuing_unit,
        title=texts["title"],
        document_type=document_type,
        coordinator_unit=coordinator,
        reporting_cycle=cycle,
    )
    assert coordinator is not None
    directive = Directive.objects.create(
        issuing_unit=issuing_unit,
        document_type=document_type,
        coordinator_unit=coordinator,
        reporting_cycle=cycle,
        created_by=actor,
        **texts,
    )
    audit.record(actor=actor, action="replication_directive.create", obj=directive)
    return directive


@transaction.atomic
def directive_update(
    *,
    actor: User,
    directive: Directive,
    version: int | None,
    title: str,
    document_type: str,
    legal_basis: str,
    preamble: str,
    closing: str,
    coordinator_unit: Unit | None,
    reporting_cycle: str,
    recipients: str,
) -> Directive:
    """Save the draft's text; refused on a stale copy or once issued."""
    locked = _locked(directive)
    authorize(actor, "view", locked)
    _require_draft(locked)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    values = {
        "title": _clean(title),
        "legal_basis": _clean(legal_basis),
        "preamble": _clean(preamble),
        "closing": _clean(closing),
        "recipients": _clean(recipients),
        "document_type": document_type,
        "coordinator_unit": coordinator_unit,
        "reporting_cycle": reporting_cycle,
    }
    _check_text(
        committee=locked.issuing_unit,
        title=values["title"],  # type: ignore[arg-type]
        document_type=document_type,
        coordinator_unit=coordinator_unit,
        reporting_cycle=reporting_cycle,
    )
    before = audit.snapshot(locked, EDIT_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=[*EDIT_FIELDS, "version", "updated_at"])
    directive.version = locked.version
    audit.record(
        actor=actor, action="replication_directive.update", obj=locked, changes=audit.diff(before, locked)
    )
    return locked


# --- The practices it lists ---------------------------------------------------------------------


@dataclass(frozen=True)
class ListingDraft:
    """A practice as the directive will list it. A blank ``label`` is numbered for you:
    models 1, 2, 3…; solutions 1.1, 1.2… by group (a group per title, in order)."""

    practice: Practice
    section: str = DirectiveSection.MODELS
    group_title: str = ""
    label: str = ""
    position: int | None = None


def _auto_labels(drafts: Sequence[ListingDraft]) -> list[tuple[ListingDraft, str, int]]:
    ordered = sorted(
        enumerate(drafts),
        key=lambda item: (item[1].section != DirectiveSection.MODELS, item[1].position or 0, item[0]),
    )
    groups: dict[str, int] = {}
    counters: dict[str, int] = {}
    out: list[tuple[ListingDraft, str, int]] = []
    models = 0
    for position, (_index, draft) in enumerate(ordered, start=1):
        label = _clean(draft.label)
        if not label:
            if draft.section == DirectiveSection.MODELS:
                models += 1
                label = str(models)
            else:
                group = groups.setdefault(draft.group_title, len(groups) + 1)
                counters[draft.group_title] = counters.get(draft.group_title, 0) + 1
                label = f"{group}.{counters[draft.group_title]}"
        elif draft.section == DirectiveSection.MODELS:
            models += 1
        out.append((draft, label, draft.position if draft.position is not None else position))
    return out


@transaction.atomic
def directive_practices_set(
    *, actor: User, directive: Directive, version: int | None, listings: Sequence[ListingDraft]
) -> Directive:
    """The practices the draft lists, replacing the previous list: accepted practices of the
    committee, each once. A practice still assigned cannot be taken off."""
    locked = _locked(directive)
    authorize(actor, "view", locked)
    _require_draft(locked)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    ids = [draft.practice.pk for draft in listings]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Mỗi mô hình, giải pháp chỉ được nêu một lần."))
    accepted = set(
        Practice.objects.filter(
            pk__in=ids, committee_id=locked.issuing_unit_id, status=PracticeStatus.ACCEPTED
        ).values_list("pk", flat=True)
    )
    refused = [draft.practice.name for draft in listings if draft.practice.pk not in accepted]
    if refused:
        raise ValidationError(
            _("Chỉ nêu được các mô hình, giải pháp đã được chọn để nhân rộng của %(committee)s: %(names)s.")
            % {"committee": locked.issuing_unit.name, "names": "; ".join(refused)}
        )
    for draft in listings:
        if draft.section not in DirectiveSection.values:
            raise ValidationError(_("Phần của văn bản không hợp lệ."))
        if len(_clean(draft.group_title)) > 255 or len(_clean(draft.label)) > 16:
            raise ValidationError(_("Tên nhóm hoặc số thứ tự quá dài."))
    still_assigned = (
        Practice.objects.filter(assignments__directive=locked)
        .exclude(pk__in=ids)
        .values_list("name", flat=True)
    )
    if still_assigned:
        raise ValidationError(
            _(
                "Không thể bỏ mô hình, giải pháp đang được giao cho đơn vị: %(names)s. "
                "Vui lòng bỏ nội dung giao trước."
            )
            % {"names": "; ".join(sorted(set(still_assigned)))}
        )
    before = sorted(DirectivePractice.objects.filter(directive=locked).values_list("practice_id", flat=True))
    DirectivePractice.objects.filter(directive=locked).delete()
    DirectivePractice.objects.bulk_create(
        DirectivePractice(
            directive=locked,
            practice=draft.practice,
            section=draft.section,
            group_title=_clean(draft.group_title) if draft.section == DirectiveSection.SOLUTIONS else "",
            label=label,
            position=min(position, 999),
        )
        for draft, label, position in _auto_labels(listings)
    )
    _bump(locked, directive)
    audit.record(
        actor=actor,
        action="replication_directive.list_practices",
        obj=locked,
        changes={"practices": [before, sorted(ids)]},
    )
    return locked


# --- Assignments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentDraft:
    """One line of section III: practices × a target × a role, with its due date and cycle."""

    practices: Sequence[Practice]
    target_group: str = TargetGroup.UNIT
    target_unit: Unit | None = None
    role: str = AssignmentRole.APPLY
    coordinating_units: Sequence[Unit] = field(default_factory=tuple)
    include_subordinate_communes: bool = False
    due_on: datetime.date | None = None
    reporting_cycle: str = ""
    text: str = ""
    position: int | None = None


def _check_assignment(committee: Unit, draft: AssignmentDraft, listed: set[int]) -> None:
    errors: dict[str, str] = {}
    if not draft.practices:
        errors["practices"] = _("Vui lòng chọn ít nhất một mô hình, giải pháp.")
    elif any(practice.pk not in listed for practice in draft.practices):
        errors["practices"] = _("Chỉ giao được các mô hình, giải pháp đã nêu trong văn bản.")
    if draft.target_group not in TargetGroup.values:
        errors["target_group"] = _("Đối tượng giao không hợp lệ.")
    if draft.role not in AssignmentRole.values:
        errors["role"] = _("Nhiệm vụ không hợp lệ.")
    if draft.reporting_cycle and draft.reporting_cycle not in ReportingCycle.values:
        errors["reporting_cycle"] = _("Kỳ báo cáo không hợp lệ.")
    in_jurisdiction = queries.committee_units(committee.pk)
    outside = _("“%(unit)s” không thuộc phạm vi quản lý của %(committee)s.")
    if draft.target_group in (TargetGroup.UNIT, TargetGroup.COMMUNES_OF):
        unit = draft.target_unit
        if unit is None:
            errors["target_unit"] = _("Vui lòng chọn đơn vị được giao.")
        elif not in_jurisdiction.filter(pk=unit.pk).exists():
            errors["target_unit"] = outside % {"unit": unit.name, "committee": committee.name}
        elif draft.target_group == TargetGroup.COMMUNES_OF and unit.kind != UnitKind.DISTRICT_COMMITTEE:
            errors["target_unit"] = _(
                "Vui lòng chọn một UBND cấp huyện (cũ) để giao cho các xã thuộc huyện đó."
            )
    elif draft.target_unit is not None:
        errors["target_unit"] = _("Giao cho cả nhóm đơn vị thì không chọn một đơn vị cụ thể.")
    if draft.coordinating_units:
        ids = {unit.pk for unit in draft.coordinating_units}
        found = set(in_jurisdiction.filter(pk__in=ids).values_list("pk", flat=True))
        strays = [unit.name for unit in draft.coordinating_units if unit.pk not in found]
        if strays:
            errors["coordinating_units"] = outside % {"unit": "; ".join(strays), "committee": committee.name}
    if draft.include_subordinate_communes and draft.target_group not in (
        TargetGroup.DISTRICT_COMMITTEES,
        TargetGroup.UNIT,
    ):
        errors["include_subordinate_communes"] = _(
            "Chỉ UBND cấp huyện mới triển khai tiếp đến UBND cấp xã trực thuộc."
        )
    problem = chronology.PLANNED.problem(draft.due_on, what=_("Thời hạn"))
    if problem:
        errors["due_on"] = problem
    if len(_clean(draft.text)) > 5000:
        errors["text"] = _("Nội dung giao quá dài.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_add(
    *, actor: User, directive: Directive, version: int | None, draft: AssignmentDraft
) -> Assignment:
    """Add one line of responsibilities to the draft. Its target must lie within the issuing
    committee's jurisdiction; the practices must be listed in the directive."""
    locked = _locked(directive)
    authorize(actor, "view", locked)
    _require_draft(locked)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    listed = set(DirectivePractice.objects.filter(directive=locked).values_list("practice_id", flat=True))
    _check_assignment(locked.issuing_unit, draft, listed)
    last = (
        Assignment.objects.filter(directive=locked)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    assignment = Assignment.objects.create(
        directive=locked,
        target_group=draft.target_group,
        target_unit=draft.target_unit,
        role=draft.role,
        include_subordinate_communes=draft.include_subordinate_communes,
        due_on=draft.due_on,
        reporting_cycle=draft.reporting_cycle,
        text=_clean(draft.text),
        position=draft.position if draft.position is not None else min((last or 0) + 1, 999),
    )
    assignment.practices.set(draft.practices)
    assignment.coordinating_units.set(draft.coordinating_units)
    _bump(locked, directive)
    audit.record(
        actor=actor,
        action="replication_directive.assign",
        obj=locked,
        message=str(assignment),
    )
    return assignment


@transaction.atomic
def assignment_remove(
    *, actor: User, directive: Directive, version: int | None, assignment: Assignment
) -> Directive:
    locked = _locked(directive)
    authorize(actor, "view", locked)
    _require_draft(locked)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    row = Assignment.objects.filter(pk=assignment.pk, directive=locked).select_related("target_unit").first()
    if row is None:
        raise ValidationError(_("Nội dung giao này không còn trong văn bản."))
    label = str(row)
    row.delete()
    _bump(locked, directive)
    audit.record(actor=actor, action="replication_directive.unassign", obj=locked, message=label)
    return locked


# --- Issuing ------------------------------------------------------------------------------------


def issue_problems(directive: Directive) -> list[str]:
    """Why the draft cannot be issued yet (empty: it can). Asked by the page before it offers
    a number, and again by the service under the lock."""
    problems: list[str] = []
    if directive.status != DirectiveStatus.DRAFT:
        return [_("Văn bản này đã được ban hành.")]
    listed = set(DirectivePractice.objects.filter(directive=directive).values_list("practice_id", flat=True))
    if not listed:
        problems.append(_("Văn bản chưa nêu mô hình, giải pháp nào."))
    rows = queries.assignments(directive)
    if not rows:
        problems.append(_("Văn bản chưa giao nhân rộng cho đơn vị nào."))
    today = clock.today()
    for row in rows:
        if row.target_unit is not None and not row.target_unit.is_active_on(today):
            problems.append(
                _("Đơn vị “%(unit)s” không còn hoạt động; vui lòng sửa nội dung giao.")
                % {"unit": row.target_unit.name}
            )
    return problems


def _freeze(directive: Directive) -> str:
    """Render the issued directive once and keep the file: it downloads exactly as signed,
    whatever changes in the practices afterwards."""
    spec = directive_spec(directive, queries.listings(directive), queries.assignments(directive))
    document = rendering.render(spec, "docx")
    return default_storage.save(
        f"{FROZEN_FILES}/{directive.pk}/{document.filename}", ContentFile(document.content)
    )


def _create_obligations(
    directive: Directive, planned: Sequence[queries.PlannedObligation], day: datetime.date
) -> int:
    rows = [
        Obligation(
            assignment=row.assignment,
            unit=row.unit,
            practice=row.practice,
            role=row.assignment.role,
            directive=directive,
            starts_on=day,
            due_on=row.assignment.due_on,
        )
        for row in planned
    ]
    Obligation.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _notify_units(directive: Directive, unit_ids: set[int], *, title: str) -> None:
    """The heads of the obliged units; a unit without a head is told through its staff."""
    members = Membership.objects.filter(
        unit_id__in=sorted(unit_ids), role__in=UNIT_ROLES, is_active=True, user__is_active=True
    ).values_list("unit_id", "role", "user_id")
    heads: dict[int, set[int]] = {}
    staff: dict[int, set[int]] = {}
    for unit_id, role, user_id in members:
        (heads if role == Role.UNIT_HEAD else staff).setdefault(unit_id, set()).add(user_id)
    people = (
        set().union(*(heads.get(unit, staff.get(unit, set())) for unit in unit_ids)) if unit_ids else set()
    )
    reference = directive.registered_document.reference if directive.registered_document else ""
    notify(
        recipients=User.objects.filter(pk__in=sorted(people)),
        title=title,
        body=_vietnamese(gettext_lazy("Văn bản số %(reference)s: “%(title)s”."))
        % {"reference": reference, "title": directive.title},
        url=directive.get_absolute_url(),
    )


@transaction.atomic
def directive_issue(
    *, actor: User, directive: Directive, version: int | None, issued_on: datetime.date | None = None
) -> Directive:
    """The leader signs and issues the directive: the next number of the committee's
    register, the signer's block, the DOCX frozen, and every assignment expanded into one
    obligation per unit existing on the issue date and practice (starting that day). The
    obliged units' heads are told. Issuing twice is refused."""
    locked = _locked(directive)
    authorize(actor, "view", locked)
    if locked.status != DirectiveStatus.DRAFT:
        raise ValidationError(_("Văn bản này đã được ban hành."))
    authorize(actor, "issue", locked)
    check_version(locked.version, version)
    day = issued_on or clock.today()
    chronology.require_within(day, chronology.ISSUED, what=_("Ngày ban hành"), field="issued_on")
    if day > clock.today():
        raise ValidationError({"issued_on": _("Ngày ban hành không được sau ngày hôm nay.")})
    problems = issue_problems(locked)
    if problems:
        raise ValidationError(problems)
    planned = queries.planned_obligations(locked, day=day)
    units = {row.unit.pk for row in planned}
    signature = leader_signature(actor, for_committee=rendering.is_committee(locked.issuing_unit))
    numbering.issue(
        obj=locked,
        document_field="registered_document",
        unit=locked.issuing_unit,
        document_type=locked.document_type,
        title=locked.title,
        issued_on=day,
        actor=actor,
        action="replication_directive.issue",
        stamp={
            "status": DirectiveStatus.ISSUED,
            "issued_on": day,
            "signer": actor,
            "signer_authority": signature.authority,
            "signer_title": signature.title,
            "signer_name": signature.name,
        },
        drafting_unit=locked.coordinator_unit if locked.document_type == "CV" else None,
        message=_vietnamese(gettext_lazy("%(obligations)s nghĩa vụ nhân rộng cho %(units)s đơn vị."))
        % {"obligations": len(planned), "units": len(units)},
    )
    _create_obligations(locked, planned, day)
    locked.document_file = _freeze(locked)
    locked.save(update_fields=["document_file"])
    directive.version = locked.version
    _notify_units(
        locked, units, title=_vietnamese(gettext_lazy("Đơn vị được giao nhân rộng mô hình, cách làm hay"))
    )
    return locked


@transaction.atomic
def obligations_extend(*, actor: User, directive: Directive) -> int:
    """Give obligations to units that now match an assignment and have none (a commune
    created after the directive was issued), starting today. Returns how many were made;
    nothing happens without Home Affairs asking (the page names the units first)."""
    locked = _locked(directive)
    authorize(actor, "view", locked)
    authorize(actor, "extend", locked)
    day = clock.today()
    missing = queries.missing_obligations(locked, day=day)
    if not missing:
        raise ValidationError(_("Không có đơn vị mới nào cần giao thêm."))
    count = _create_obligations(locked, missing, day)
    units = {row.unit.pk for row in missing}
    audit.record(
        actor=actor,
        action="replication_directive.extend",
        obj=locked,
        message=_vietnamese(gettext_lazy("%(obligations)s nghĩa vụ nhân rộng cho %(units)s đơn vị mới."))
        % {"obligations": count, "units": len(units)},
    )
    _notify_units(
        locked, units, title=_vietnamese(gettext_lazy("Đơn vị được giao nhân rộng mô hình, cách làm hay"))
    )
    return count


# --- Merged units -------------------------------------------------------------------------------


def obligations_hand_over(
    *, actor: User | None, unit: Unit, successor: Unit, effective_date: datetime.date
) -> int:
    """Run inside ``unit_merge``'s transaction: the merged unit's open obligations go to its
    successor from ``effective_date`` (a new row remembering where it came from; the old one
    ends the day before). Where the successor already has that assignment and practice, it
    keeps its own and the old one just ends. Returns how many were handed over."""
    last_day = effective_date - datetime.timedelta(days=1)
    open_rows = list(
        Obligation.objects.select_for_update().filter(unit=unit, ended_on__isnull=True).order_by("pk")
    )
    if not open_rows:
        return 0
    held = set(
        Obligation.objects.filter(
            unit=successor, assignment_id__in={row.assignment_id for row in open_rows}
        ).values_list("assignment_id", "practice_id")
    )
    new_rows = [
        Obligation(
            assignment_id=row.assignment_id,
            unit=successor,
            practice_id=row.practice_id,
            role=row.role,
            directive_id=row.directive_id,
            starts_on=max(effective_date, row.starts_on),
            due_on=row.due_on,
            transferred_from=row,
        )
        for row in open_rows
        if (row.assignment_id, row.practice_id) not in held
    ]
    try:
        with transaction.atomic():
            Obligation.objects.bulk_create(new_rows)
    except IntegrityError:  # pragma: no cover - the check above holds under the unit locks
        raise ValidationError(_("Không thể chuyển nghĩa vụ nhân rộng cho đơn vị kế thừa.")) from None
    Obligation.objects.filter(pk__in=[row.pk for row in open_rows]).update(ended_on=last_day)
    if new_rows:
        audit.record(
            actor=actor,
            action="replication_obligation.transfer",
            obj=successor,
            message=_vietnamese(gettext_lazy("%(count)s nghĩa vụ nhân rộng của %(unit)s."))
            % {"count": len(new_rows), "unit": unit.name},
        )
    return len(new_rows)
