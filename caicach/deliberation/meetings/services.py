"""Every write of meetings: the Office schedules, edits (moving the date recomputes every
agenda item's deadlines), cancels and marks a meeting held; builds its agenda from the work
program or with a free-text matter; invites units and records whom they sent. Each is one
transaction, checks the rules itself (``authorize``) and the edit version, and leaves one
audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.calendar import queries as calendar
from caicach.core.models import Unit, User
from caicach.core.permissions import COMMITTEE_KINDS, authorize, units_answering_to
from caicach.core.text import nfc
from caicach.core.versioning import check_version
from caicach.deliberation.dossiers.services import dossier_checklist_ensure
from caicach.deliberation.meetings.queries import agenda_deadlines, chairs_of, default_title, proposals
from caicach.deliberation.meetings.rules import EDITABLE_ITEMS
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    AttendeeLevel,
    Consultation,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from caicach.workprogram.models import ProgramItem

MAX_TITLE = 300
MAX_PLACE = 300
MAX_AGENDA = 60
MAX_INVITEES = 200
# The order of seniority (a lower index is more senior): sending someone below the level
# asked is "cử không đúng thành phần".
LEVEL_RANK: dict[str, int] = {AttendeeLevel.HEAD: 0, AttendeeLevel.DEPUTY: 1, AttendeeLevel.OTHER: 2}
MEETING_FIELDS = ("kind", "title", "date", "starts_at", "place", "chair", "notes")


def _text(value: Any) -> str:
    return nfc(str(value or "")).strip()


def _clean_meeting(committee: Unit, data: dict[str, Any]) -> dict[str, Any]:
    """The meeting's details, checked; every refusal at once, in Vietnamese."""
    errors: dict[str, str] = {}
    kind = data.get("kind")
    day = data.get("date")
    if kind not in MeetingKind.values:
        errors["kind"] = _("Loại phiên họp không hợp lệ.")
    if not isinstance(day, datetime.date):
        errors["date"] = _("Vui lòng nhập ngày họp.")
    elif not calendar.is_working_day(day):
        errors["date"] = _("Ngày %(day)s là ngày nghỉ: vui lòng chọn ngày làm việc.") % {
            "day": f"{day:%d/%m/%Y}"
        }
    title = _text(data.get("title"))
    if not title and "kind" not in errors and "date" not in errors:
        title = default_title(str(kind), day)  # type: ignore[arg-type]
    if len(title) > MAX_TITLE:
        errors["title"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_TITLE}
    place = _text(data.get("place"))
    if len(place) > MAX_PLACE:
        errors["place"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_PLACE}
    chair = data.get("chair")
    if chair is not None and not chairs_of(committee).filter(pk=chair.pk).exists():
        errors["chair"] = _("Chủ trì phải là Chủ tịch hoặc Phó Chủ tịch của UBND này.")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title,
        "date": day,
        "starts_at": data.get("starts_at"),
        "place": place,
        "chair": chair,
        "notes": _text(data.get("notes")),
    }


@transaction.atomic
def meeting_create(*, actor: User, committee: Unit, data: dict[str, Any]) -> Meeting:
    """The Office schedules a meeting of a committee it covers."""
    authorize(actor, "deliberation.schedule", committee)
    if committee.kind not in COMMITTEE_KINDS:
        raise ValidationError({"committee": _("Phiên họp là của một Ủy ban nhân dân.")})
    clean = _clean_meeting(committee, data)
    meeting = Meeting.objects.create(committee=committee, created_by=actor, created_at=clock.now(), **clean)
    audit.record(actor=actor, action="meeting.create", obj=meeting)
    return meeting


def _locked(meeting: Meeting, version: int | None = None) -> Meeting:
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
    if version is not None:
        check_version(locked.version, version)
    return locked


def recompute_deadlines(meeting: Meeting) -> int:
    """Store every agenda item's deadlines again from the meeting's date and kind (through
    the calendar and the committee's settings); the number of items changed."""
    due = agenda_deadlines(meeting)
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .exclude(
            consult_by=due.consult_by,
            dossier_due=due.dossier_due,
            dossier_working_days=due.dossier_working_days,
        )
        .update(
            consult_by=due.consult_by,
            dossier_due=due.dossier_due,
            dossier_working_days=due.dossier_working_days,
        )
    )


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, data: dict[str, Any], version: int) -> Meeting:
    """Edit a meeting still being prepared; a new date or kind moves every item's deadlines."""
    locked = _locked(meeting, version)
    authorize(actor, "change", locked)
    clean = _clean_meeting(locked.committee, data)
    before = audit.snapshot(locked, MEETING_FIELDS)
    for name, value in clean.items():
        setattr(locked, name, value)
    changes = audit.diff(before, locked)
    if not changes:
        return locked
    locked.version += 1
    locked.save(update_fields=[*MEETING_FIELDS, "version"])
    moved = 0
    if "date" in changes or "kind" in changes:
        moved = recompute_deadlines(locked)
    message = _("Tính lại hạn của %(n)s nội dung") % {"n": moved} if moved else ""
    audit.record(actor=actor, action="meeting.update", obj=locked, changes=changes, message=message)
    return locked


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str, version: int) -> Meeting:
    locked = _locked(meeting, version)
    authorize(actor, "cancel", locked)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do hủy phiên họp.")})
    before = locked.status
    locked.status = MeetingStatus.CANCELLED
    locked.cancel_reason = reason
    locked.version += 1
    locked.save(update_fields=["status", "cancel_reason", "version"])
    audit.record(
        actor=actor,
        action="meeting.cancel",
        obj=locked,
        changes={"status": [before, locked.status]},
        message=reason,
    )
    return locked


@transaction.atomic
def meeting_mark_held(*, actor: User, meeting: Meeting, version: int) -> Meeting:
    """The meeting took place: the items on its agenda are marked discussed."""
    locked = _locked(meeting, version)
    authorize(actor, "hold", locked)
    if locked.date > clock.today():
        raise ValidationError(
            _("Chưa đến ngày họp (%(day)s): chưa thể ghi nhận đã họp.") % {"day": f"{locked.date:%d/%m/%Y}"}
        )
    before = locked.status
    locked.status = MeetingStatus.HELD
    locked.version += 1
    locked.save(update_fields=["status", "version"])
    locked.agenda_items.filter(status=AgendaStatus.ON_AGENDA).update(status=AgendaStatus.DISCUSSED)
    audit.record(actor=actor, action="meeting.hold", obj=locked, changes={"status": [before, locked.status]})
    return locked


# --- Agenda -----------------------------------------------------------------------------------


def _check_room(meeting: Meeting, adding: int) -> None:
    if meeting.agenda_items.count() + adding > MAX_AGENDA:
        raise ValidationError(_("Mỗi phiên họp có tối đa %(max)s nội dung.") % {"max": MAX_AGENDA})


def _next_position(meeting: Meeting) -> int:
    return int(meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0) + 1


def _require_agenda_open(actor: User, meeting: Meeting) -> None:
    # Building an agenda is changing the meeting.
    authorize(actor, "change", meeting)


@transaction.atomic
def agenda_add_program_items(
    *, actor: User, meeting: Meeting, program_items: Sequence[ProgramItem]
) -> list[AgendaItem]:
    """Put the chosen proposals (program items due that month) on the agenda, with their
    deadlines computed through the calendar."""
    locked = _locked(meeting)
    _require_agenda_open(actor, locked)
    if not program_items:
        raise ValidationError({"program_items": _("Vui lòng chọn ít nhất một nội dung.")})
    allowed = set(proposals(locked).filter(pk__in=[p.pk for p in program_items]).values_list("pk", flat=True))
    refused = [p for p in program_items if p.pk not in allowed]
    if refused:
        raise ValidationError(
            {
                "program_items": _(
                    "Không thể đưa vào phiên họp: “%(title)s” (không đến hạn trình tháng này, "
                    "đã trình xong hoặc đã có trong phiên họp khác)."
                )
                % {"title": refused[0].title[:120]}
            }
        )
    _check_room(locked, len(program_items))
    due = agenda_deadlines(locked)
    position = _next_position(locked)
    linked = dict(
        Consultation.objects.filter(committee_id=locked.committee_id, program_item__in=program_items)
        .order_by("program_item_id", "created_at", "pk")
        .values_list("program_item_id", "pk")
    )
    added = []
    for offset, program_item in enumerate(sorted(program_items, key=lambda p: (p.position, p.pk))):
        item = AgendaItem.objects.create(
            meeting=locked,
            position=position + offset,
            title=program_item.title,
            program_item=program_item,
            lead_unit_id=program_item.lead_unit_id,
            is_legal_document=program_item.is_legal_document,
            consultation_id=linked.get(program_item.pk),
            status=AgendaStatus.ON_AGENDA,
            consult_by=due.consult_by,
            dossier_due=due.dossier_due,
            dossier_working_days=due.dossier_working_days,
        )
        audit.record(actor=actor, action="agenda_item.add", obj=item)
        dossier_checklist_ensure(item)  # the dossier is expected from the moment it is on the agenda
        added.append(item)
    return added


@transaction.atomic
def agenda_add_matter(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    lead_unit: Unit | None,
    is_legal_document: bool = False,
    presenter: str = "",
) -> AgendaItem:
    """A matter outside the program (free text); it needs a lead unit for its dossier."""
    locked = _locked(meeting)
    _require_agenda_open(actor, locked)
    title = _text(title)
    presenter = _text(presenter)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Vui lòng nhập nội dung.")
    elif len(title) > 2000:
        errors["title"] = _("Tối đa %(max)s ký tự.") % {"max": 2000}
    if lead_unit is None:
        errors["lead_unit"] = _("Vui lòng chọn cơ quan chủ trì.")
    elif not invitable_units(locked).filter(pk=lead_unit.pk).exists():
        errors["lead_unit"] = _("Cơ quan chủ trì phải thuộc UBND này.")
    if len(presenter) > 200:
        errors["presenter"] = _("Tối đa %(max)s ký tự.") % {"max": 200}
    if errors:
        raise ValidationError(errors)
    assert lead_unit is not None
    _check_room(locked, 1)
    due = agenda_deadlines(locked)
    item = AgendaItem.objects.create(
        meeting=locked,
        position=_next_position(locked),
        title=title,
        lead_unit=lead_unit,
        is_legal_document=is_legal_document,
        presenter=presenter,
        status=AgendaStatus.ON_AGENDA,
        consult_by=due.consult_by,
        dossier_due=due.dossier_due,
        dossier_working_days=due.dossier_working_days,
    )
    audit.record(actor=actor, action="agenda_item.add", obj=item)
    dossier_checklist_ensure(item)
    return item


def _locked_item(item: AgendaItem, version: int | None) -> AgendaItem:
    # The meeting first, then the item: one fixed order for every agenda write.
    meeting = _locked(item.meeting)
    locked = AgendaItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    locked.meeting = meeting
    if version is not None:
        check_version(locked.version, version)
    return locked


ITEM_FIELDS = ("title", "presenter", "is_legal_document", "consultation")


@transaction.atomic
def agenda_item_update(*, actor: User, item: AgendaItem, data: dict[str, Any], version: int) -> AgendaItem:
    locked = _locked_item(item, version)
    authorize(actor, "change", locked)
    title = _text(data.get("title"))
    presenter = _text(data.get("presenter"))
    consultation = data.get("consultation")
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Vui lòng nhập nội dung.")
    elif len(title) > 2000:
        errors["title"] = _("Tối đa %(max)s ký tự.") % {"max": 2000}
    if len(presenter) > 200:
        errors["presenter"] = _("Tối đa %(max)s ký tự.") % {"max": 200}
    if consultation is not None and consultation.committee_id != locked.meeting.committee_id:
        errors["consultation"] = _("Chỉ liên kết được việc lấy ý kiến thành viên của cùng UBND.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(locked, ITEM_FIELDS)
    locked.title = title
    locked.presenter = presenter
    locked.is_legal_document = bool(data.get("is_legal_document"))
    locked.consultation = consultation
    changes = audit.diff(before, locked)
    if not changes:
        return locked
    locked.version += 1
    locked.save(update_fields=[*ITEM_FIELDS, "version"])
    audit.record(actor=actor, action="agenda_item.update", obj=locked, changes=changes)
    dossier_checklist_ensure(locked)  # a legal document now also needs its appraisal report
    return locked


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem, version: int) -> Meeting:
    """Take an item off the agenda before it is discussed (the withdrawal the chair decides
    on the proposed list is another path: the dossiers area's)."""
    locked = _locked_item(item, version)
    if locked.status not in EDITABLE_ITEMS:
        raise ValidationError(_("Nội dung đã thảo luận hoặc đã rút: không thể xóa khỏi phiên họp."))
    authorize(actor, "change", locked)
    meeting = locked.meeting
    title = locked.title
    locked.delete()
    audit.record(
        actor=actor,
        action="agenda_item.remove",
        obj=meeting,
        changes={"agenda_items": [title[:200], None]},
    )
    return meeting


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool, version: int) -> AgendaItem:
    """Swap the item with its neighbour above or below (positions renumbered 1..n)."""
    locked = _locked_item(item, version)
    authorize(actor, "change", locked)
    items = list(AgendaItem.objects.filter(meeting=locked.meeting).order_by("position", "pk"))
    index = next(i for i, row in enumerate(items) if row.pk == locked.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        raise ValidationError(_("Nội dung đã ở đầu danh sách.") if up else _("Nội dung đã ở cuối danh sách."))
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position
            row.version += 1
            row.save(update_fields=["position", "version"])
    locked.refresh_from_db(fields=["position", "version"])
    audit.record(
        actor=actor,
        action="agenda_item.move",
        obj=locked,
        changes={"position": [index + 1, other + 1]},
    )
    return locked


# --- Invitees and attendance --------------------------------------------------------------------


def invitable_units(meeting: Meeting) -> Any:
    """The units the Office may invite or name to lead a matter: those answering to the
    committee (its departments, its Office) and the committees right under it — not the
    thousands of divisions and communes further down, which answer to their own committee."""
    return (
        Unit.objects.active()
        .filter(
            Q(pk__in=units_answering_to(meeting.committee_id))
            | Q(parent_id=meeting.committee_id, kind__in=COMMITTEE_KINDS)
        )
        .exclude(pk=meeting.committee_id)
        .order_by("code")
    )


@transaction.atomic
def invitees_set(*, actor: User, meeting: Meeting, units: Sequence[Unit]) -> list[Invitee]:
    """The units invited are exactly ``units``: new ones are added; one left out is removed
    unless its attendance is already recorded."""
    locked = _locked(meeting)
    authorize(actor, "invite", locked)
    chosen = {unit.pk for unit in units}
    if len(chosen) > MAX_INVITEES:
        raise ValidationError({"units": _("Mời tối đa %(max)s đơn vị.") % {"max": MAX_INVITEES}})
    allowed = set(invitable_units(locked).filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen - allowed:
        raise ValidationError({"units": _("Chỉ mời được đơn vị thuộc phạm vi của UBND này.")})
    current = {invitee.unit_id: invitee for invitee in locked.invitees.all()}
    dropped = [invitee for unit_id, invitee in current.items() if unit_id not in chosen]
    recorded = [invitee for invitee in dropped if invitee.attended is not None]
    if recorded:
        raise ValidationError(
            {
                "units": _("Đã ghi nhận dự họp của %(unit)s: không thể bỏ đơn vị này khỏi danh sách mời.")
                % {"unit": recorded[0].unit}
            }
        )
    added = [Invitee(meeting=locked, unit_id=unit_id) for unit_id in sorted(chosen - set(current))]
    Invitee.objects.bulk_create(added)
    if dropped:
        Invitee.objects.filter(pk__in=[invitee.pk for invitee in dropped]).delete()
    if added or dropped:
        audit.record(
            actor=actor,
            action="meeting.invite",
            obj=locked,
            changes={"invitees": [len(current), len(chosen)]},
        )
    return list(locked.invitees.select_related("unit"))


def wrong_level(expected: str, sent: str) -> bool:
    """Sent below the level asked (the default of the "wrong level" flag)."""
    if not sent or expected not in LEVEL_RANK:
        return False
    return LEVEL_RANK.get(sent, 99) > LEVEL_RANK[expected]


INVITEE_FIELDS = ("attended", "attendee_name", "attendee_title", "attendee_level", "is_wrong_level", "note")


@transaction.atomic
def invitee_record(*, actor: User, invitee: Invitee, data: dict[str, Any], version: int) -> Invitee:
    """Whom the unit sent. ``is_wrong_level`` None: flagged when the attendee is below the
    level asked; True/False: the Office's own judgement."""
    meeting = _locked(invitee.meeting)
    locked = Invitee.objects.select_for_update(of=("self",)).select_related("unit").get(pk=invitee.pk)
    locked.meeting = meeting
    check_version(locked.version, version)
    authorize(actor, "record", locked)
    attended = data.get("attended")
    name = _text(data.get("attendee_name"))
    title = _text(data.get("attendee_title"))
    level = data.get("attendee_level") or ""
    note = _text(data.get("note"))
    errors: dict[str, str] = {}
    if attended not in (True, False):
        errors["attended"] = _("Vui lòng chọn đơn vị có dự họp hay không.")
    if level and level not in AttendeeLevel.values:
        errors["attendee_level"] = _("Cấp người dự họp không hợp lệ.")
    if attended is True and not name:
        errors["attendee_name"] = _("Vui lòng nhập họ tên người dự họp.")
    if attended is True and not level:
        errors["attendee_level"] = _("Vui lòng chọn cấp người dự họp.")
    for field, value, limit in (
        ("attendee_name", name, 150),
        ("attendee_title", title, 150),
        ("note", note, 500),
    ):
        if len(value) > limit:
            errors[field] = _("Tối đa %(max)s ký tự.") % {"max": limit}
    if errors:
        raise ValidationError(errors)
    if attended is False:
        name, title, level = "", "", ""
    flag = data.get("is_wrong_level")
    if flag is None or attended is False:
        flag = attended is True and wrong_level(locked.expected_level, level)
    before = audit.snapshot(locked, INVITEE_FIELDS)
    locked.attended = attended
    locked.attendee_name = name
    locked.attendee_title = title
    locked.attendee_level = level
    locked.is_wrong_level = bool(flag)
    locked.note = note
    changes = audit.diff(before, locked)
    if not changes:
        return locked
    locked.version += 1
    locked.save(update_fields=[*INVITEE_FIELDS, "version"])
    audit.record(actor=actor, action="invitee.record", obj=locked, changes=changes)
    return locked
