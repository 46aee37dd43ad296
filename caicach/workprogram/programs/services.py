"""Every write to the work program: programs, items and their lifecycle (submitted, issued),
and the adjustment requests (add, change, postpone, withdraw) that alone may move, change or
withdraw an item once the program is issued (seed 001)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import bounds, chronology, clock, numbering
from caicach.core.audit import services as audit
from caicach.core.models import DocumentType, Unit, User
from caicach.core.months import first_of_month, month_label
from caicach.core.notifications.services import notify
from caicach.core.numbering import register_number
from caicach.core.permissions import COMMITTEE_KINDS, authorize, may_act_for, principal
from caicach.core.text import nfc, normalise_input
from caicach.core.versioning import check_version
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentRequest,
    ItemStatus,
    ProgramItem,
    RequestStatus,
    SubmissionKind,
    WorkProgram,
    WorkProgramSettings,
    adjustment_subject,
)
from caicach.workprogram.programs.queries import (
    committees_for_office,
    jurisdiction_units,
    leaders_of,
    office_officers_of,
    unit_signers,
)
from caicach.workprogram.programs.rules import SIGNING_ROLES

# A request still in the works: at most one per item.
OPEN_REQUEST_STATUSES = (RequestStatus.AWAITING_HEAD, RequestStatus.RETURNED, RequestStatus.PENDING)
# What the requester may rework when the unit head sends the draft back.
REVISABLE_FIELDS = ("reason", "explanation", "necessity", "impact", "proposed_month", "proposed_title")

PROGRAM_FIELDS = ("issuing_unit", "year", "title", "decision_number", "decision_date", "notes")
# The due month and the status are not here: once planned, an item moves only through its
# lifecycle services and approved adjustment requests.
ITEM_FIELDS = (
    "position",
    "title",
    "submission_kind",
    "is_legal_document",
    "lead_unit",
    "supervising_leader",
    "monitoring_officer",
    "notes",
)
ITEM_TEXT_FIELDS = ("title", "notes")
# What an addition request may carry for the new item (``proposed_data``).
PROPOSED_DATA_KEYS = frozenset({"submission_kind", "is_legal_document", "coordinating_units", "notes"})


def _text(value: Any) -> str:
    return nfc(str(value or "")).strip()


# The coordinating units are recorded under their field's name, by unit name (ids would read
# as numbers in the trail); the trail shows the field's label in the reader's language.
COORDINATION_KEY = "coordinating_units"


def _unit_names(units: Iterable[Unit]) -> list[str]:
    return sorted(str(unit) for unit in units)


# --- Programs ---------------------------------------------------------------------------------------


def _validate_program(program: WorkProgram, actor: User) -> None:
    errors: dict[str, str] = {}
    if not program.title:
        errors["title"] = _("Vui lòng nhập tên chương trình.")
    if not 2000 <= (program.year or 0) <= 2100:
        errors["year"] = _("Năm không hợp lệ.")
    issuing = program.issuing_unit if program.issuing_unit_id else None
    if issuing is None or issuing.kind not in COMMITTEE_KINDS:
        errors["issuing_unit"] = _("Cơ quan ban hành phải là một Ủy ban nhân dân.")
    elif not committees_for_office(actor).filter(pk=issuing.pk).exists():
        errors["issuing_unit"] = _("Bạn chỉ được lập chương trình cho UBND thuộc phạm vi phụ trách của mình.")
    if program.decision_number and not program.decision_date:
        errors["decision_date"] = _("Vui lòng nhập ngày của quyết định ban hành.")
    chronology.add_span_error(
        errors, "decision_date", program.decision_date, chronology.ISSUED, what=_("Ngày quyết định")
    )
    if errors:
        raise ValidationError(errors)


def _program_values(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")
    values = dict(normalise_input(dict(data)))
    for name in ("title", "decision_number", "notes"):
        if name in values:
            values[name] = _text(values[name])
    return values


@transaction.atomic
def program_create(*, actor: User, data: Mapping[str, Any]) -> WorkProgram:
    authorize(actor, "workprogram.create_program")
    program = WorkProgram(created_by=actor, **_program_values(data))
    _validate_program(program, actor)
    program.save()
    audit.record(
        actor=actor,
        action="program.create",
        obj=program,
        changes={name: [None, value] for name, value in audit.snapshot(program, PROGRAM_FIELDS).items()},
    )
    return program


@transaction.atomic
def program_update(
    *, actor: User, program: WorkProgram, data: Mapping[str, Any], version: int
) -> WorkProgram:
    values = _program_values(data)
    locked = WorkProgram.objects.select_for_update().get(pk=program.pk)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    before = audit.snapshot(locked, values.keys())
    for name, value in values.items():
        setattr(locked, name, value)
    _validate_program(locked, actor)
    if (
        "year" in values
        and locked.year != before["year"]
        and locked.items.exclude(due_month__year=locked.year).exists()
    ):
        raise ValidationError(
            {"year": _("Chương trình đã có nội dung trình trong năm khác; không thể đổi năm.")}
        )
    changes = audit.diff(before, locked)
    if not changes:
        return locked
    locked.version += 1
    locked.save(update_fields=[*changes, "version", "updated_at"])
    audit.record(actor=actor, action="program.update", obj=locked, changes=changes)
    return locked


# --- Items ----------------------------------------------------------------------------------------------


def _item_values(data: Mapping[str, Any], allowed: Iterable[str]) -> tuple[dict[str, Any], list[Unit] | None]:
    allowed = set(allowed)
    unknown = set(data) - allowed - {"coordinating_units"}
    if unknown:
        raise TypeError(f"Unknown item fields: {sorted(unknown)}")
    values = dict(normalise_input({k: v for k, v in data.items() if k != "coordinating_units"}))
    for name in ITEM_TEXT_FIELDS:
        if name in values:
            values[name] = _text(values[name])
    if values.get("due_month") is not None:
        values["due_month"] = first_of_month(values["due_month"])
    coordinating = list(data["coordinating_units"]) if "coordinating_units" in data else None
    return values, coordinating


def _validate_item(item: ProgramItem, coordinating: list[Unit] | None) -> None:
    program = item.program
    errors: dict[str, str] = bounds.range_errors(item, "position")
    if not item.title:
        errors["title"] = _("Vui lòng nhập nội dung, đề án.")
    if item.submission_kind not in SubmissionKind.values:
        errors["submission_kind"] = _("Hình thức trình không hợp lệ.")
    allowed_units = jurisdiction_units(program)
    if not item.lead_unit_id:
        errors["lead_unit"] = _("Vui lòng chọn cơ quan chủ trì.")
    elif not allowed_units.filter(pk=item.lead_unit_id).exists():
        errors["lead_unit"] = _("Cơ quan chủ trì phải thuộc phạm vi của cơ quan ban hành chương trình.")
    if coordinating:
        ids = {unit.pk for unit in coordinating}
        if item.lead_unit_id in ids:
            errors["coordinating_units"] = _("Cơ quan chủ trì không đồng thời là cơ quan phối hợp.")
        elif allowed_units.filter(pk__in=ids).count() != len(ids):
            errors["coordinating_units"] = _(
                "Cơ quan phối hợp phải thuộc phạm vi của cơ quan ban hành chương trình."
            )
    if item.due_month is None:
        errors["due_month"] = _("Vui lòng nhập thời gian trình (tháng/năm).")
    elif item.due_month.year != program.year and item.status == ItemStatus.PLANNED:
        errors["due_month"] = _("Thời gian trình phải thuộc năm %(year)s của chương trình.") % {
            "year": program.year
        }
    if item.supervising_leader_id and not leaders_of(program).filter(pk=item.supervising_leader_id).exists():
        errors["supervising_leader"] = _("Lãnh đạo phụ trách phải là lãnh đạo của %(unit)s.") % {
            "unit": program.issuing_unit
        }
    if (
        item.monitoring_officer_id
        and not office_officers_of(program).filter(pk=item.monitoring_officer_id).exists()
    ):
        errors["monitoring_officer"] = _(
            "Chuyên viên theo dõi phải là chuyên viên Văn phòng phụ trách chương trình."
        )
    if errors:
        raise ValidationError(errors)


def _next_position(program: WorkProgram) -> int:
    current = program.items.aggregate(last=Max("position"))["last"]
    return (current or 0) + 1


@transaction.atomic
def item_create(
    *, actor: User, program: WorkProgram, data: Mapping[str, Any], message: str = ""
) -> ProgramItem:
    """The Office adds an item to its program."""
    authorize(actor, "add_item", program)
    return _item_create(actor=actor, program=program, data=data, message=message)


def _item_create(
    *, actor: User, program: WorkProgram, data: Mapping[str, Any], message: str = ""
) -> ProgramItem:
    """An item is added: by the Office, or by the approval of an addition request (whose
    deciding leader has no right to add items directly)."""
    values, coordinating = _item_values(data, (*ITEM_FIELDS, "due_month"))
    if not values.get("position"):
        values["position"] = _next_position(program)
    item = ProgramItem(program=program, **values)
    item.original_due_month = item.due_month
    _validate_item(item, coordinating)
    item.save()
    if coordinating:
        item.coordinating_units.set(coordinating)
    changes: dict[str, list[Any]] = {
        name: [None, value]
        for name, value in audit.snapshot(item, (*ITEM_FIELDS, "due_month")).items()
        if value not in (None, "", False)
    }
    if coordinating:
        changes[COORDINATION_KEY] = [None, _unit_names(coordinating)]
    audit.record(actor=actor, action="item.create", obj=item, changes=changes, message=message)
    return item


def _locked_item(item: ProgramItem, version: int | None) -> ProgramItem:
    # Lock the item row only: a plain FOR UPDATE would also lock the joined program row.
    locked = ProgramItem.objects.select_for_update(of=("self",)).select_related("program").get(pk=item.pk)
    check_version(locked.version, version)
    return locked


@transaction.atomic
def item_update(*, actor: User, item: ProgramItem, data: Mapping[str, Any], version: int) -> ProgramItem:
    """The Office corrects an item's description. Its due month and status move only through
    the lifecycle services and approved adjustment requests."""
    values, coordinating = _item_values(data, ITEM_FIELDS)
    locked = _locked_item(item, version)
    authorize(actor, "change", locked)
    before = audit.snapshot(locked, values.keys())
    coordinating_before = list(locked.coordinating_units.all())
    for name, value in values.items():
        setattr(locked, name, value)
    if not locked.position:
        locked.position = before.get("position") or _next_position(locked.program)
    _validate_item(locked, coordinating)
    changes = audit.diff(before, locked)
    if coordinating is not None and {u.pk for u in coordinating} != {u.pk for u in coordinating_before}:
        locked.coordinating_units.set(coordinating)
        changes[COORDINATION_KEY] = [_unit_names(coordinating_before), _unit_names(coordinating)]
    if not changes:
        return locked
    locked.version += 1
    locked.save(update_fields=[*[name for name in values if name in changes], "version", "updated_at"])
    audit.record(actor=actor, action="item.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def item_submit(
    *, actor: User, item: ProgramItem, submitted_on: datetime.date, reference: str, version: int
) -> ProgramItem:
    """The lead unit's submission (Tờ trình) reached the committee: planned -> submitted."""
    locked = _locked_item(item, version)
    authorize(actor, "submit", locked)
    reference = _text(reference)
    errors: dict[str, str] = {}
    if locked.status != ItemStatus.PLANNED:
        raise ValidationError(
            _("Chỉ ghi nhận việc trình cho nội dung chưa trình (hiện: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    if not reference:
        errors["reference"] = _("Vui lòng nhập số, ký hiệu văn bản trình.")
    if submitted_on is None:
        errors["submitted_on"] = _("Vui lòng nhập ngày trình.")
    elif problem := chronology.ISSUED.problem(submitted_on, what=_("Ngày trình")):
        errors["submitted_on"] = problem
    elif submitted_on > clock.today():
        errors["submitted_on"] = _("Ngày trình không được sau ngày hôm nay.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(locked, ["status", "submitted_on", "submission_reference"])
    locked.status = ItemStatus.SUBMITTED
    locked.submitted_on = submitted_on
    locked.submission_reference = reference
    locked.version += 1
    locked.save(update_fields=["status", "submitted_on", "submission_reference", "version", "updated_at"])
    audit.record(actor=actor, action="item.submit", obj=locked, changes=audit.diff(before, locked))
    return locked


@transaction.atomic
def item_issue(
    *, actor: User, item: ProgramItem, issued_on: datetime.date, reference: str, version: int
) -> ProgramItem:
    """The committee (or its Chairman) issued the submitted item: submitted -> issued."""
    locked = _locked_item(item, version)
    authorize(actor, "issue", locked)
    reference = _text(reference)
    errors: dict[str, str] = {}
    if locked.status != ItemStatus.SUBMITTED:
        raise ValidationError(
            _("Chỉ ghi nhận ban hành cho nội dung đã trình (hiện: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    if not reference:
        errors["reference"] = _("Vui lòng nhập số, ký hiệu văn bản ban hành.")
    if issued_on is None:
        errors["issued_on"] = _("Vui lòng nhập ngày ban hành.")
    elif problem := chronology.ISSUED.problem(issued_on, what=_("Ngày ban hành")):
        errors["issued_on"] = problem
    elif issued_on > clock.today():
        errors["issued_on"] = _("Ngày ban hành không được sau ngày hôm nay.")
    elif locked.submitted_on and issued_on < locked.submitted_on:
        errors["issued_on"] = _("Ngày ban hành không được trước ngày trình (%(day)s).") % {
            "day": locked.submitted_on.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(locked, ["status", "issued_on", "issued_reference"])
    locked.status = ItemStatus.ISSUED
    locked.issued_on = issued_on
    locked.issued_reference = reference
    locked.version += 1
    locked.save(update_fields=["status", "issued_on", "issued_reference", "version", "updated_at"])
    audit.record(actor=actor, action="item.issue", obj=locked, changes=audit.diff(before, locked))
    return locked


# --- Adjustment requests ------------------------------------------------------------------------------


def _validate_request(
    request: AdjustmentRequest, item: ProgramItem | None, *, leader_required: bool = True
) -> None:
    errors: dict[str, str] = {}
    if request.kind not in AdjustmentKind.values:
        raise ValidationError({"kind": _("Loại đề nghị không hợp lệ.")})
    if (
        request.reason_id is None
        or not AdjustmentReason.objects.filter(pk=request.reason_id, is_active=True).exists()
    ):
        errors["reason"] = _("Vui lòng chọn một lý do điều chỉnh được phép.")
    for name, message in (
        ("explanation", _("Vui lòng giải trình rõ lý do.")),
        ("necessity", _("Vui lòng nêu sự cần thiết.")),
        ("impact", _("Vui lòng đánh giá tác động đến công tác chỉ đạo, điều hành.")),
    ):
        if not getattr(request, name):
            errors[name] = message
    kind = request.kind
    program = request.program
    if kind in (AdjustmentKind.ADD, AdjustmentKind.POSTPONE) and request.proposed_month is None:
        errors["proposed_month"] = _("Vui lòng nhập thời gian trình đề nghị (tháng/năm).")
    if kind == AdjustmentKind.ADD:
        if not request.proposed_title:
            errors["proposed_title"] = _("Vui lòng nhập nội dung, đề án đề nghị bổ sung.")
        if request.proposed_month is not None and request.proposed_month.year != program.year:
            errors["proposed_month"] = _("Thời gian trình phải thuộc năm %(year)s của chương trình.") % {
                "year": program.year
            }
        if request.leader_id is None:
            errors["leader"] = _("Vui lòng chọn lãnh đạo phụ trách nội dung đề nghị bổ sung.")
        elif not leaders_of(program).filter(pk=request.leader_id).exists():
            errors["leader"] = _("Lãnh đạo phụ trách phải là lãnh đạo của %(unit)s.") % {
                "unit": program.issuing_unit
            }
        if not jurisdiction_units(program).filter(pk=request.lead_unit_id).exists():
            errors["lead_unit"] = _("Đơn vị đề nghị phải thuộc phạm vi của cơ quan ban hành chương trình.")
    else:
        if item is None:
            raise ValidationError(_("Vui lòng chọn nội dung cần điều chỉnh."))
        if item.status != ItemStatus.PLANNED:
            raise ValidationError(
                _("Chỉ đề nghị điều chỉnh nội dung chưa trình (hiện: %(status)s).")
                % {"status": item.get_status_display()}
            )
        if leader_required and item.supervising_leader_id is None:
            raise ValidationError(
                _("Nội dung chưa có lãnh đạo phụ trách; đề nghị Văn phòng cập nhật trước khi gửi đề nghị.")
            )
        if (
            kind == AdjustmentKind.POSTPONE
            and request.proposed_month
            and request.proposed_month <= item.due_month
        ):
            errors["proposed_month"] = _(
                "Thời gian trình đề nghị phải sau thời gian trình hiện tại (%(month)s)."
            ) % {"month": month_label(item.due_month)}
        if kind == AdjustmentKind.CHANGE:
            new_title = request.proposed_title and request.proposed_title != item.title
            new_month = request.proposed_month and request.proposed_month != item.due_month
            if not new_title and not new_month:
                errors["proposed_title"] = _("Vui lòng nhập nội dung mới hoặc thời gian trình mới.")
            if request.proposed_month is not None and request.proposed_month.year != program.year:
                errors["proposed_month"] = _(
                    "Điều chỉnh nội dung chỉ trong năm %(year)s; "
                    "để lùi sang năm sau, chọn “Lùi thời gian trình”."
                ) % {"year": program.year}
        if (
            AdjustmentRequest.objects.filter(item=item, status__in=OPEN_REQUEST_STATUSES)
            .exclude(pk=request.pk)
            .exists()
        ):
            raise ValidationError(
                _(
                    "Nội dung này đang có một đề nghị điều chỉnh chưa được quyết định (chờ lãnh đạo đơn vị "
                    "duyệt hoặc chờ lãnh đạo UBND quyết định)."
                )
            )
    if errors:
        raise ValidationError(errors)


def _clean_proposed_data(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """JSON-safe: units as ids. Unknown keys are a programming error."""
    data = dict(data or {})
    unknown = set(data) - PROPOSED_DATA_KEYS
    if unknown:
        raise TypeError(f"Unknown proposed data: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    if "submission_kind" in data:
        kind = str(data["submission_kind"] or SubmissionKind.COMMITTEE)
        if kind not in SubmissionKind.values:
            raise ValidationError({"submission_kind": _("Hình thức trình không hợp lệ.")})
        clean["submission_kind"] = kind
    if "is_legal_document" in data:
        clean["is_legal_document"] = bool(data["is_legal_document"])
    if data.get("coordinating_units"):
        clean["coordinating_units"] = sorted(
            unit.pk if isinstance(unit, Unit) else int(unit) for unit in data["coordinating_units"]
        )
    if "notes" in data:
        clean["notes"] = _text(data["notes"])
    return clean


@transaction.atomic
def adjustment_request_file(
    *,
    actor: User,
    program: WorkProgram,
    kind: str,
    reason: AdjustmentReason | None,
    explanation: str,
    necessity: str,
    impact: str,
    item: ProgramItem | None = None,
    lead_unit: Unit | None = None,
    proposed_month: datetime.date | None = None,
    proposed_title: str = "",
    proposed_data: Mapping[str, Any] | None = None,
    leader: User | None = None,
    filed_on: datetime.date | None = None,
) -> AdjustmentRequest:
    """The lead unit asks to add, change, postpone or withdraw an item (seed 001: one of the
    allowed reasons, explaining the reason, the necessity and the impact on the committee's
    steering). The request takes the unit's next Tờ trình number; the deciding leader is told."""
    if item is not None:
        # Lock the item: two requests filed at once for it must not both pass the
        # "one pending request" check (the partial unique index is the last defence).
        item = ProgramItem.objects.select_for_update(of=("self",)).select_related("program").get(pk=item.pk)
        if item.program_id != program.pk:
            raise ValidationError(_("Nội dung không thuộc chương trình này."))
        authorize(actor, "request_adjustment", item)
        lead_unit = item.lead_unit
        leader = item.supervising_leader
    else:
        authorize(actor, "propose_item", program)
    if lead_unit is None:
        raise ValidationError({"lead_unit": _("Vui lòng chọn đơn vị đề nghị.")})
    if not may_act_for(actor, lead_unit.pk):
        raise ValidationError(_("Chỉ lãnh đạo, cán bộ của cơ quan chủ trì được gửi đề nghị điều chỉnh."))
    request = AdjustmentRequest(
        program=program,
        item=item,
        kind=kind,
        reason=reason,
        explanation=_text(explanation),
        necessity=_text(necessity),
        impact=_text(impact),
        proposed_month=first_of_month(proposed_month) if proposed_month else None,
        proposed_title=_text(proposed_title),
        proposed_data=_clean_proposed_data(proposed_data) if kind == AdjustmentKind.ADD else {},
        lead_unit=lead_unit,
        requested_by=actor,
        leader=leader,
    )
    _validate_request(request, item)
    if kind == AdjustmentKind.ADD:
        coordinating = request.proposed_data.get("coordinating_units", [])
        allowed = jurisdiction_units(program).filter(pk__in=coordinating).exclude(pk=lead_unit.pk)
        if allowed.count() != len(coordinating):
            raise ValidationError(
                {
                    "coordinating_units": _(
                        "Cơ quan phối hợp phải thuộc phạm vi của cơ quan ban hành chương trình."
                    )
                }
            )
    # The Tờ trình goes out under the unit head's signature (seed 001: the head of the lead
    # unit signs): a head files it at once; a member of staff's draft waits for the head.
    files_directly = unit_head_of(actor, lead_unit.pk)
    request.status = RequestStatus.PENDING if files_directly else RequestStatus.AWAITING_HEAD
    request.signed_by = actor if files_directly else None
    request.save()
    if not files_directly:
        audit.record(
            actor=actor,
            action="adjustment.draft",
            obj=request,
            changes={
                name: [None, value]
                for name, value in audit.snapshot(
                    request, ("kind", "reason", "proposed_month", "proposed_title", "leader", "status")
                ).items()
                if value not in (None, "")
            },
        )
        _notify_heads(request)
        return request
    day = filed_on or clock.today()
    request.request_document = register_number(
        unit=lead_unit,
        document_type=DocumentType.SUBMISSION,
        year=day.year,
        title=f"Tờ trình {adjustment_subject(request)}",
        issued_on=day,
        actor=actor,
        obj=request,
    )
    request.save(update_fields=["request_document"])
    audit.record(
        actor=actor,
        action="adjustment.file",
        obj=request,
        changes={
            name: [None, value]
            for name, value in audit.snapshot(
                request,
                (
                    "kind",
                    "reason",
                    "proposed_month",
                    "proposed_title",
                    "leader",
                    "signed_by",
                    "request_document",
                ),
            ).items()
            if value not in (None, "")
        },
    )
    _notify_leader(request)
    return request


def unit_head_of(user: User, unit_id: int) -> bool:
    """Whether ``user`` signs the unit's Tờ trình (its head, a committee's leader)."""
    who = principal(user)
    return who is not None and unit_id in who.units_with_role(*SIGNING_ROLES)


def _notify_leader(request: AdjustmentRequest) -> None:
    leader = request.leader
    if leader is None or request.request_document is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Đề nghị điều chỉnh chương trình công tác chờ quyết định")
        body = _("%(unit)s %(subject)s (Tờ trình số %(reference)s).") % {
            "unit": request.lead_unit,
            "subject": adjustment_subject(request),
            "reference": request.request_document.reference,
        }
    notify(recipients=[leader], title=title, body=body, url=request.get_absolute_url())


def _notify_heads(request: AdjustmentRequest) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Đề nghị điều chỉnh chờ lãnh đạo đơn vị duyệt")
        body = _(
            "%(person)s đề nghị %(subject)s; Tờ trình chỉ được gửi sau khi lãnh đạo đơn vị duyệt, ký."
        ) % {
            "person": request.requested_by.full_name or request.requested_by.username,
            "subject": adjustment_subject(request),
        }
    notify(
        recipients=unit_signers([request.lead_unit_id]),
        title=title,
        body=body,
        url=request.get_absolute_url(),
    )


def _locked_draft(request: AdjustmentRequest, version: int, status: str) -> AdjustmentRequest:
    locked = (
        AdjustmentRequest.objects.select_for_update(of=("self",))
        .select_related("program__issuing_unit", "lead_unit", "requested_by", "item")
        .get(pk=request.pk)
    )
    if locked.status != status:
        raise ValidationError(
            _("Đề nghị này đã được xử lý (hiện: %(status)s); vui lòng xem lại.")
            % {"status": locked.get_status_display()}
        )
    check_version(locked.version, version)
    return locked


@transaction.atomic
def adjustment_request_approve_submission(
    *, actor: User, request: AdjustmentRequest, version: int, filed_on: datetime.date | None = None
) -> AdjustmentRequest:
    """The unit head approves the staff's draft: the Tờ trình takes the unit's next TTr
    number under the head's signature and goes to the deciding leader."""
    locked = _locked_draft(request, version, RequestStatus.AWAITING_HEAD)
    authorize(actor, "approve_submission", locked)
    item = None
    if locked.item_id is not None:
        item = (
            ProgramItem.objects.select_for_update(of=("self",))
            .select_related("program")
            .get(pk=locked.item_id)
        )
    # The program may have moved while the draft waited (the item submitted, say).
    _validate_request(locked, item)
    numbering.issue(
        obj=locked, document_field="request_document", unit=locked.lead_unit,
        document_type=DocumentType.SUBMISSION, title=f"Tờ trình {adjustment_subject(locked)}",
        issued_on=filed_on or clock.today(), actor=actor, action="adjustment.file",
        stamp={"status": RequestStatus.PENDING, "signed_by": actor},
    )  # fmt: skip
    _notify_leader(locked)
    return locked


@transaction.atomic
def adjustment_request_return(
    *, actor: User, request: AdjustmentRequest, note: str, version: int
) -> AdjustmentRequest:
    """The unit head sends the draft back to the requester with what to rework."""
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("Vui lòng ghi rõ nội dung cần sửa.")})
    locked = _locked_draft(request, version, RequestStatus.AWAITING_HEAD)
    authorize(actor, "approve_submission", locked)
    before = audit.snapshot(locked, ["status", "head_note"])
    locked.status = RequestStatus.RETURNED
    locked.head_note = note
    locked.version += 1
    locked.save(update_fields=["status", "head_note", "version"])
    audit.record(
        actor=actor, action="adjustment.return", obj=locked, changes=audit.diff(before, locked), message=note
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Lãnh đạo đơn vị trả lại đề nghị điều chỉnh")
        body = _("%(subject)s: %(note)s") % {"subject": adjustment_subject(locked), "note": note}
    notify(recipients=[locked.requested_by], title=title, body=body, url=locked.get_absolute_url())
    return locked


@transaction.atomic
def adjustment_request_revise(
    *, actor: User, request: AdjustmentRequest, data: Mapping[str, Any], version: int
) -> AdjustmentRequest:
    """The requester reworks a returned draft and sends it to the unit head again."""
    unknown = set(data) - set(REVISABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown request fields: {sorted(unknown)}")
    locked = _locked_draft(request, version, RequestStatus.RETURNED)
    authorize(actor, "revise", locked)
    before = audit.snapshot(locked, [*REVISABLE_FIELDS, "status"])
    for name, value in data.items():
        if name == "reason":
            locked.reason = value
        elif name == "proposed_month":
            locked.proposed_month = first_of_month(value) if value else None
        else:
            setattr(locked, name, _text(value))
    item = None
    if locked.item_id is not None:
        item = (
            ProgramItem.objects.select_for_update(of=("self",))
            .select_related("program")
            .get(pk=locked.item_id)
        )
    _validate_request(locked, item)
    locked.status = RequestStatus.AWAITING_HEAD
    locked.version += 1
    locked.save(update_fields=[*data, "status", "version"])
    audit.record(actor=actor, action="adjustment.revise", obj=locked, changes=audit.diff(before, locked))
    _notify_heads(locked)
    return locked


def _locked_request(request: AdjustmentRequest, version: int | None) -> AdjustmentRequest:
    locked = (
        AdjustmentRequest.objects.select_for_update(of=("self",))
        .select_related("program__issuing_unit", "lead_unit", "requested_by")
        .get(pk=request.pk)
    )
    if locked.status in (RequestStatus.AWAITING_HEAD, RequestStatus.RETURNED):
        raise ValidationError(_("Đề nghị chưa được lãnh đạo đơn vị duyệt, ký Tờ trình."))
    check_version(locked.version, version)
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(_("Đề nghị này đã được quyết định."))
    return locked


def _apply(request: AdjustmentRequest, actor: User, message: str = "") -> ProgramItem:
    """What approval changes in the program; the item keeps its history (original due month,
    every change in its audit trail)."""
    program = request.program
    reference = request.request_document.reference if request.request_document else ""
    message = message or _("Theo đề nghị tại Tờ trình số %(reference)s của %(unit)s, đã được chấp thuận.") % {
        "reference": reference,
        "unit": request.lead_unit,
    }
    if request.kind == AdjustmentKind.ADD:
        data = request.proposed_data
        return _item_create(
            actor=actor,
            program=program,
            data={
                "title": request.proposed_title,
                "submission_kind": data.get("submission_kind", SubmissionKind.COMMITTEE),
                "is_legal_document": bool(data.get("is_legal_document", False)),
                "lead_unit": request.lead_unit,
                "supervising_leader": request.leader,
                "due_month": request.proposed_month,
                "notes": data.get("notes", ""),
                "coordinating_units": list(Unit.objects.filter(pk__in=data.get("coordinating_units", []))),
            },
            message=message,
        )
    assert request.item_id is not None
    item = ProgramItem.objects.select_for_update(of=("self",)).get(pk=request.item_id)
    if item.status != ItemStatus.PLANNED:
        raise ValidationError(
            _("Nội dung đã chuyển sang “%(status)s”; không thể áp dụng đề nghị.")
            % {"status": item.get_status_display()}
        )
    before = audit.snapshot(item, ["title", "due_month", "status"])
    fields: list[str] = []
    if request.kind == AdjustmentKind.CHANGE:
        if request.proposed_title and request.proposed_title != item.title:
            item.title = request.proposed_title
            fields.append("title")
        if request.proposed_month and request.proposed_month != item.due_month:
            item.due_month = request.proposed_month
            fields.append("due_month")
    elif request.kind == AdjustmentKind.POSTPONE:
        assert request.proposed_month is not None
        if request.proposed_month <= item.due_month:
            raise ValidationError(
                _("Thời gian trình đề nghị phải sau thời gian trình hiện tại (%(month)s).")
                % {"month": month_label(item.due_month)}
            )
        item.due_month = request.proposed_month
        fields.append("due_month")
        # Moved beyond the program's year: out of this year's program, kept as postponed.
        if request.proposed_month.year > program.year:
            item.status = ItemStatus.POSTPONED
            fields.append("status")
    elif request.kind == AdjustmentKind.WITHDRAW:
        item.status = ItemStatus.WITHDRAWN
        fields.append("status")
    changes = audit.diff(before, item)
    item.version += 1
    item.save(update_fields=[*fields, "version", "updated_at"])
    audit.record(actor=actor, action="item.adjust", obj=item, changes=changes, message=message)
    return item


def _issue_decision(
    request: AdjustmentRequest, actor: User, decided_on: datetime.date, stamp: Mapping[str, Any]
) -> None:
    """The leader's decision, issued as the committee's numbered notice (Thông báo); the
    request takes its verdict, decider and note in the same step."""
    verdict = "chấp thuận" if stamp["status"] == RequestStatus.APPROVED else "không chấp thuận"
    numbering.issue(
        obj=request, document_field="decision_document", unit=request.program.issuing_unit,
        document_type=DocumentType.NOTICE,
        title=f"Thông báo ý kiến {verdict} {adjustment_subject(request)} của {request.lead_unit}",
        issued_on=decided_on, actor=actor,
        action="adjustment.approve" if stamp["status"] == RequestStatus.APPROVED else "adjustment.reject",
        stamp={**stamp, "decided_by": actor, "decided_at": clock.now()},
    )  # fmt: skip


def _notify_decision(request: AdjustmentRequest) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        verdict = (
            _("được chấp thuận") if request.status == RequestStatus.APPROVED else _("không được chấp thuận")
        )
        title = _("Đề nghị điều chỉnh chương trình công tác %(verdict)s") % {"verdict": verdict}
        body = _("%(subject)s: %(verdict)s. %(note)s") % {
            "subject": adjustment_subject(request)[:1].upper() + adjustment_subject(request)[1:],
            "verdict": verdict,
            "note": request.decision_note,
        }
    notify(recipients=[request.requested_by], title=title, body=body.strip(), url=request.get_absolute_url())


@transaction.atomic
def adjustment_request_approve(
    *,
    actor: User,
    request: AdjustmentRequest,
    note: str = "",
    version: int,
    decided_on: datetime.date | None = None,
) -> AdjustmentRequest:
    """The leader approves: only now does the program change."""
    locked = _locked_request(request, version)
    authorize(actor, "decide", locked)
    item = _apply(locked, actor)
    _issue_decision(
        locked, actor, decided_on or clock.today(),
        {"item": item, "status": RequestStatus.APPROVED, "decision_note": _text(note)},
    )  # fmt: skip
    _notify_decision(locked)
    return locked


@transaction.atomic
def adjustment_request_reject(
    *,
    actor: User,
    request: AdjustmentRequest,
    note: str,
    version: int,
    decided_on: datetime.date | None = None,
) -> AdjustmentRequest:
    """The leader rejects, saying why; the item stays as it was."""
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("Vui lòng ghi rõ lý do không chấp thuận.")})
    locked = _locked_request(request, version)
    authorize(actor, "decide", locked)
    _issue_decision(
        locked, actor, decided_on or clock.today(), {"status": RequestStatus.REJECTED, "decision_note": note}
    )
    _notify_decision(locked)
    return locked


@transaction.atomic
def adjustment_from_meeting(
    *,
    actor: User,
    item: ProgramItem,
    kind: str,
    leader: User,
    explanation: str,
    necessity: str,
    impact: str,
    note: str = "",
    proposed_month: datetime.date | None = None,
    reason: AdjustmentReason | None = None,
    decided_on: datetime.date | None = None,
) -> AdjustmentRequest:
    """A postponement or withdrawal decided by the chair of a committee meeting (seed 001:
    a dossier late or incomplete is withdrawn from the meeting). The lead unit files no Tờ
    trình: the chair's decision stands for both the request and its approval, so the request
    is filed and approved by ``leader`` in one step, through the same checks (``_validate_request``),
    the same change to the item (``_apply``) and the same numbered notice as a unit's request.
    ``actor`` is who records it (the Office, or the chair in person)."""
    if kind not in (AdjustmentKind.POSTPONE, AdjustmentKind.WITHDRAW):
        raise ValidationError({"kind": _("Chỉ lùi thời gian trình hoặc rút khỏi chương trình.")})
    item = ProgramItem.objects.select_for_update(of=("self",)).select_related("program").get(pk=item.pk)
    authorize(actor, "adjust_at_meeting", item)
    if reason is None:
        reason = AdjustmentReason.objects.filter(code="leader_direction", is_active=True).first()
    request = AdjustmentRequest(
        program=item.program,
        item=item,
        kind=kind,
        reason=reason,
        explanation=_text(explanation),
        necessity=_text(necessity),
        impact=_text(impact),
        proposed_month=first_of_month(proposed_month) if proposed_month else None,
        lead_unit=item.lead_unit,
        requested_by=actor,
        leader=leader,
        status=RequestStatus.PENDING,
    )
    # The chair decides, whoever supervises the item: no supervising leader is needed.
    _validate_request(request, item, leader_required=False)
    request.save()
    audit.record(
        actor=actor,
        action="adjustment.file",
        obj=request,
        changes={
            name: [None, value]
            for name, value in audit.snapshot(request, ("kind", "reason", "proposed_month", "leader")).items()
            if value not in (None, "")
        },
        message=request.explanation,
    )
    changed = _apply(request, actor, message=request.explanation)
    numbering.issue(
        obj=request, document_field="decision_document", unit=item.program.issuing_unit,
        document_type=DocumentType.NOTICE,
        title=f"Thông báo ý kiến chấp thuận {adjustment_subject(request)} của {request.lead_unit}",
        issued_on=decided_on or clock.today(), actor=actor, action="adjustment.approve",
        stamp={
            "item": changed, "status": RequestStatus.APPROVED, "decision_note": _text(note),
            "decided_by": leader, "decided_at": clock.now(),
        },
    )  # fmt: skip
    return request


# --- Settings and the list of reasons ------------------------------------------------------------------

SETTINGS_FIELDS = ("report_day", "report_reminder_working_days", "overdue_grace_days")
SETTINGS_LIMITS = {
    "report_day": (2, 28),
    "report_reminder_working_days": (0, 10),
    "overdue_grace_days": (0, 60),
}
REASON_FIELDS = ("label", "position", "is_active")


@transaction.atomic
def program_settings_update(
    *, actor: User, unit: Unit, data: Mapping[str, Any], version: int | None
) -> WorkProgramSettings:
    """A committee's numbers (seed 001's by default). ``version`` None: the committee had no
    row yet, so the form was built from the defaults."""
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings fields: {sorted(unknown)}")
    authorize(actor, "workprogram.settings", unit)
    if unit.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("Thiết lập chương trình công tác là của một Ủy ban nhân dân."))
    errors: dict[str, str] = {}
    for name, value in data.items():
        low, high = SETTINGS_LIMITS[name]
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("Giá trị phải từ %(low)s đến %(high)s.") % {"low": low, "high": high}
    if errors:
        raise ValidationError(errors)
    current = WorkProgramSettings.objects.select_for_update().filter(unit=unit).first()
    if current is None:
        if version is not None:
            raise ValidationError(_("Thiết lập đã bị xóa trong lúc bạn sửa; vui lòng tải lại trang."))
        current = WorkProgramSettings(unit=unit)
        before = audit.snapshot(current, SETTINGS_FIELDS)
        for name, value in data.items():
            setattr(current, name, value)
        current.save()
    else:
        check_version(current.version, version)
        before = audit.snapshot(current, SETTINGS_FIELDS)
        for name, value in data.items():
            setattr(current, name, value)
        if not audit.diff(before, current):
            return current
        current.version += 1
        current.save(update_fields=[*SETTINGS_FIELDS, "version"])
    audit.record(
        actor=actor,
        action="workprogram_settings.update",
        obj=current,
        changes=audit.diff(before, current),
        message=str(unit),
    )
    return current


def _validate_reason(reason: AdjustmentReason) -> None:
    errors: dict[str, str] = {}
    if not reason.code:
        errors["code"] = _("Vui lòng nhập mã lý do.")
    elif AdjustmentReason.objects.filter(code=reason.code).exclude(pk=reason.pk).exists():
        errors["code"] = _("Mã “%(code)s” đã được dùng.") % {"code": reason.code}
    if not reason.label:
        errors["label"] = _("Vui lòng nhập lý do.")
    errors.update(bounds.range_errors(reason, "position"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def adjustment_reason_create(*, actor: User, data: Mapping[str, Any]) -> AdjustmentReason:
    authorize(actor, "workprogram.manage_reasons")
    reason = AdjustmentReason(
        code=_text(data.get("code")),
        label=_text(data.get("label")),
        position=int(data.get("position") or 0),
        is_active=bool(data.get("is_active", True)),
    )
    _validate_reason(reason)
    reason.save()
    audit.record(
        actor=actor,
        action="adjustment_reason.create",
        obj=reason,
        changes={
            name: [None, value] for name, value in audit.snapshot(reason, ("code", *REASON_FIELDS)).items()
        },
    )
    return reason


@transaction.atomic
def adjustment_reason_update(
    *, actor: User, reason: AdjustmentReason, data: Mapping[str, Any]
) -> AdjustmentReason:
    """The wording, order or use of a reason. Its code stays: requests already name it. A
    retired reason (not active) stays on the requests that cite it but is no longer offered."""
    unknown = set(data) - set(REASON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown reason fields: {sorted(unknown)}")
    authorize(actor, "workprogram.manage_reasons")
    locked = AdjustmentReason.objects.select_for_update().get(pk=reason.pk)
    before = audit.snapshot(locked, REASON_FIELDS)
    if "label" in data:
        locked.label = _text(data["label"])
    if "position" in data:
        locked.position = int(data["position"] or 0)
    if "is_active" in data:
        locked.is_active = bool(data["is_active"])
    _validate_reason(locked)
    changes = audit.diff(before, locked)
    if changes:
        locked.save(update_fields=list(changes))
        audit.record(actor=actor, action="adjustment_reason.update", obj=locked, changes=changes)
    return locked
