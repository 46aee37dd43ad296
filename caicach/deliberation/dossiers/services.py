"""Every write of meeting dossiers: an agenda item's checklist (created once per item, by
kind of submission), the Office marking what reached it, and the chair's decision on an
item of the proposed withdrawal list — keep it, or withdraw it, the program item then
moving through the work program's adjustment path. Each is one transaction, checks the
rules itself and the edit version, and leaves one audit event.

Decisions taken here (seed 001 leaves them to the province):
- Only the Office marks a part received, missing or pending: the signed and stamped dossier
  reaches the Office, which is what the deadline measures. The lead unit sees its checklist.
- The summary of opinions (and how they were taken in) is always a required part; when the
  item came through a members' consultation, the page links its result sheet, and the
  Office still marks the part received (the lead unit's take-ins complete it).
- The chair decides; the Office records the chair's decision (the chair named), or the
  chair records it in person."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.models import User
from caicach.core.months import first_of_month, month_label
from caicach.core.permissions import authorize
from caicach.core.rendering import short_date
from caicach.core.text import nfc
from caicach.core.uploads import validate_upload
from caicach.core.versioning import check_version
from caicach.deliberation.dossiers.queries import dossier_state
from caicach.deliberation.dossiers.rules import OPEN_MEETING_STATUSES
from caicach.deliberation.meetings.deadlines import dossier_due_words
from caicach.deliberation.models import (
    AgendaItem,
    AgendaStatus,
    DossierEntry,
    DossierEntryStatus,
    DossierPart,
    Meeting,
    WithdrawalDecision,
)
from caicach.workprogram.models import AdjustmentKind, ItemStatus
from caicach.workprogram.programs.services import adjustment_from_meeting

MAX_LABEL = 300
MAX_NOTE = 500
MAX_ENTRIES = 30
# What the chair decides for the program item of a withdrawn agenda item.
PROGRAM_POSTPONE = "postpone"
PROGRAM_WITHDRAW = "withdraw"


def _text(value: Any) -> str:
    return nfc(str(value or "")).strip()


def _standard_parts(item: AgendaItem) -> list[tuple[str, str, bool]]:
    """The checklist of a submission (seed 001: Tờ trình, the draft, the appraisal report of
    a legal document, the summary of opinions and how they were taken in, other attachments).
    Labels are stored in the site's language: they are the record, printed on the list."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            (DossierPart.SUBMISSION, _("Tờ trình"), True),
            (DossierPart.DRAFT, _("Dự thảo văn bản"), True),
        ]
        if item.is_legal_document:
            parts.append((DossierPart.APPRAISAL, _("Báo cáo thẩm định"), True))
        parts.append((DossierPart.OPINIONS, _("Bản tổng hợp, tiếp thu, giải trình ý kiến"), True))
        parts.append((DossierPart.OTHER, _("Tài liệu khác kèm theo"), False))
    return [(str(part), str(label), required) for part, label, required in parts]


@transaction.atomic
def dossier_checklist_ensure(agenda_item: AgendaItem) -> list[DossierEntry]:
    """Create the standard lines of ``agenda_item``'s checklist that it lacks (idempotent:
    a second call, or one after the item became a legal document, adds only what is missing).
    Called by the meetings area when it adds an item, and by this area's writes. Returns the
    lines created."""
    locked = AgendaItem.objects.select_for_update(of=("self",)).get(pk=agenda_item.pk)
    present = set(locked.dossier_entries.values_list("part", flat=True))
    created = DossierEntry.objects.bulk_create(
        [
            DossierEntry(agenda_item=locked, part=part, label=label, is_required=required)
            for part, label, required in _standard_parts(locked)
            if part not in present
        ]
    )
    return created


def _locked_item(item: AgendaItem, version: int | None = None) -> AgendaItem:
    # The meeting first, then the item: one fixed order for every write on an agenda.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee", "chair")
        .get(pk=item.meeting_id)
    )
    locked = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("lead_unit", "program_item", "program_item__program")
        .get(pk=item.pk)
    )
    locked.meeting = meeting
    if version is not None:
        check_version(locked.version, version)
    return locked


def _check_open(item: AgendaItem) -> None:
    if item.meeting.status not in OPEN_MEETING_STATUSES:
        raise ValidationError(
            _("Phiên họp đã %(status)s: không thể cập nhật hồ sơ.")
            % {"status": item.meeting.get_status_display().lower()}
        )
    if item.status not in (AgendaStatus.PROPOSED, AgendaStatus.ON_AGENDA):
        raise ValidationError(
            _("Nội dung đã “%(status)s”: không thể cập nhật hồ sơ.") % {"status": item.get_status_display()}
        )


@transaction.atomic
def dossier_entry_add(*, actor: User, agenda_item: AgendaItem, label: str) -> DossierEntry:
    """The Office adds a required part the standard checklist does not name."""
    locked = _locked_item(agenda_item)
    authorize(actor, "mark_dossier", locked)
    _check_open(locked)
    label = _text(label)
    if not label:
        raise ValidationError({"label": _("Vui lòng nhập tên tài liệu.")})
    if len(label) > MAX_LABEL:
        raise ValidationError({"label": _("Tối đa %(max)s ký tự.") % {"max": MAX_LABEL}})
    dossier_checklist_ensure(locked)
    if locked.dossier_entries.count() >= MAX_ENTRIES:
        raise ValidationError(_("Mỗi hồ sơ có tối đa %(max)s thành phần.") % {"max": MAX_ENTRIES})
    entry = DossierEntry.objects.create(
        agenda_item=locked, part=DossierPart.OTHER, label=label, is_required=True
    )
    audit.record(actor=actor, action="dossier_entry.add", obj=entry, changes={"label": [None, label]})
    return entry


def _locked_entry(entry: DossierEntry, version: int) -> DossierEntry:
    item = _locked_item(entry.agenda_item)
    locked = DossierEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    locked.agenda_item = item
    check_version(locked.version, version)
    return locked


@transaction.atomic
def dossier_entry_mark(
    *,
    actor: User,
    entry: DossierEntry,
    status: str,
    version: int,
    upload: UploadedFile | None = None,
    note: str = "",
) -> DossierEntry:
    """The Office marks a part received (with its file; received today, by the calendar of
    ``core.clock``), missing (saying what is wrong), or back to pending. A file received
    earlier stays in storage when replaced (nothing is lost)."""
    locked = _locked_entry(entry, version)
    item = locked.agenda_item
    authorize(actor, "mark_dossier", item)
    _check_open(item)
    note = _text(note)
    if status not in DossierEntryStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Tối đa %(max)s ký tự.") % {"max": MAX_NOTE}})
    if status == DossierEntryStatus.MISSING and not note:
        raise ValidationError({"note": _("Vui lòng ghi rõ tài liệu còn thiếu hoặc chưa đạt yêu cầu.")})
    # A summary of opinions drawn from a members' consultation is in the system already.
    file_optional = locked.part == DossierPart.OPINIONS and item.consultation_id is not None
    if status == DossierEntryStatus.RECEIVED and upload is None and not locked.file and not file_optional:
        raise ValidationError({"file": _("Vui lòng đính kèm tệp hồ sơ đã nhận.")})
    if status == locked.status and upload is None and note == locked.note:
        raise ValidationError(_("Không có thay đổi nào."))
    before = audit.snapshot(locked, ["status", "received_on", "note", "original_name"])
    fields = ["status", "received_on", "note", "marked_by", "marked_at", "version"]
    stored = ""
    if upload is not None:
        checked = validate_upload(upload)
        upload.seek(0)
        locked.file.save(checked.stored_name, upload, save=False)
        stored = locked.file.name
        locked.original_name = checked.display_name
        locked.content_type = checked.content_type
        locked.size = checked.size
        locked.sha256 = checked.sha256
        fields += ["file", "original_name", "content_type", "size", "sha256"]
    if status == DossierEntryStatus.RECEIVED:
        # Marking again (a corrected file) keeps the day it first came.
        if locked.status != DossierEntryStatus.RECEIVED or locked.received_on is None:
            locked.received_on = clock.today()
    else:
        locked.received_on = None
    locked.status = status
    locked.note = note
    locked.marked_by = actor
    locked.marked_at = clock.now()
    locked.version += 1
    try:
        locked.save(update_fields=fields)
        audit.record(actor=actor, action="dossier_entry.mark", obj=locked, changes=audit.diff(before, locked))
    except BaseException:
        # The row is rolled back with the transaction; the file would be left behind.
        if stored:
            locked.file.storage.delete(stored)
        raise
    return locked


def _check_listed(item: AgendaItem, today: datetime.date) -> None:
    if item.meeting.status not in OPEN_MEETING_STATUSES or item.meeting.date < today:
        raise ValidationError(_("Phiên họp đã diễn ra hoặc đã hủy: không còn quyết định rút nội dung."))
    if item.withdrawal_decision:
        raise ValidationError(
            _("Chủ trì đã quyết định: %(decision)s.") % {"decision": item.get_withdrawal_decision_display()}
        )
    if item.status != AgendaStatus.ON_AGENDA:
        raise ValidationError(
            _("Nội dung đã “%(status)s”: không còn trong chương trình phiên họp.")
            % {"status": item.get_status_display()}
        )
    state = dossier_state(item, list(item.dossier_entries.all()), today)
    if not state.proposed_for_withdrawal:
        raise ValidationError(
            _(
                "Nội dung này không có trong danh sách đề nghị rút: hồ sơ đủ và đúng hạn, "
                "hoặc chưa hết hạn %(due)s."
            )
            % {"due": short_date(item.dossier_due)}
        )


def withdrawal_outcome(item: AgendaItem, program_action: str, postpone_to: datetime.date | None) -> str:
    """What a withdrawal will do, in words (the confirmation page and the audit trail)."""
    meeting = item.meeting
    words = _("“%(title)s” được rút khỏi %(meeting)s ngày %(day)s.") % {
        "title": item.title,
        "meeting": meeting.title,
        "day": short_date(meeting.date),
    }
    program_item = item.program_item
    if program_item is None:
        return words
    if program_action == PROGRAM_POSTPONE and postpone_to is not None:
        words += " " + _(
            "Nội dung chương trình công tác được lùi thời gian trình từ tháng %(old)s sang tháng %(new)s."
        ) % {"old": month_label(program_item.due_month), "new": month_label(first_of_month(postpone_to))}
        if postpone_to.year > program_item.program.year:
            words += " " + _("(sang năm sau: nội dung chuyển sang “Đã lùi sang năm sau / hoãn”)")
    elif program_action == PROGRAM_WITHDRAW:
        words += " " + _("Nội dung được rút khỏi chương trình công tác.")
    return words


@transaction.atomic
def agenda_item_decide_withdrawal(
    *,
    actor: User,
    agenda_item: AgendaItem,
    decision: str,
    note: str,
    version: int,
    program_action: str = "",
    postpone_to: datetime.date | None = None,
) -> AgendaItem:
    """The chair's decision on an item of the proposed withdrawal list: keep it (with a good
    reason) or withdraw it from the meeting. A withdrawn program item is postponed to a later
    month or withdrawn from the program through the work program's adjustment path
    (``adjustment_from_meeting``: a request decided by the chair and approved at once), so its
    due month and status change exactly as if its unit had asked."""
    locked = _locked_item(agenda_item, version)
    authorize(actor, "decide_withdrawal", locked)
    today = clock.today()
    _check_listed(locked, today)
    meeting = locked.meeting
    chair = meeting.chair
    if chair is None:
        raise ValidationError(_("Phiên họp chưa có người chủ trì: chưa thể ghi nhận quyết định."))
    note = _text(note)
    errors: dict[str, str] = {}
    if decision not in WithdrawalDecision.values:
        errors["decision"] = _("Vui lòng chọn giữ lại hoặc rút khỏi phiên họp.")
    if not note:
        errors["note"] = _("Vui lòng ghi ý kiến của chủ trì.")
    program_item = locked.program_item
    if decision == WithdrawalDecision.WITHDRAW and program_item is not None:
        if program_action not in (PROGRAM_POSTPONE, PROGRAM_WITHDRAW):
            errors["program_action"] = _("Vui lòng chọn lùi thời gian trình hoặc rút khỏi chương trình.")
        elif program_action == PROGRAM_POSTPONE and postpone_to is None:
            errors["postpone_to"] = _("Vui lòng nhập tháng trình mới.")
        elif program_item.status != ItemStatus.PLANNED:
            errors["program_action"] = _(
                "Nội dung chương trình công tác đang “%(status)s”: không thể điều chỉnh."
            ) % {"status": program_item.get_status_display()}
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(
        locked, ["status", "withdrawal_decision", "withdrawal_note", "withdrawal_decided_by"]
    )
    fields = [
        "withdrawal_decision",
        "withdrawal_note",
        "withdrawal_decided_by",
        "withdrawal_decided_at",
        "version",
    ]
    reasons = "; ".join(dossier_state(locked, list(locked.dossier_entries.all()), today).reasons)
    if decision == WithdrawalDecision.WITHDRAW:
        locked.status = AgendaStatus.WITHDRAWN
        fields.append("status")
        if program_item is not None:
            with translation.override(settings.LANGUAGE_CODE):
                explanation = _(
                    "Theo quyết định của %(chair)s, chủ trì %(meeting)s ngày %(day)s: rút nội dung khỏi "
                    "phiên họp do hồ sơ trình không bảo đảm thời hạn, thành phần (%(reasons)s)."
                ) % {
                    "chair": chair.full_name or chair.username,
                    "meeting": meeting.title,
                    "day": short_date(meeting.date),
                    "reasons": reasons,
                }
                necessity = _("Hồ sơ phải đến Văn phòng %(words)s (Quy chế làm việc của UBND).") % {
                    "words": dossier_due_words(locked.dossier_working_days, locked.dossier_due)
                }
                impact = withdrawal_outcome(locked, program_action, postpone_to)
            request = adjustment_from_meeting(
                actor=actor,
                item=program_item,
                kind=AdjustmentKind.POSTPONE
                if program_action == PROGRAM_POSTPONE
                else AdjustmentKind.WITHDRAW,
                leader=chair,
                explanation=explanation,
                necessity=necessity,
                impact=impact,
                note=note,
                proposed_month=postpone_to if program_action == PROGRAM_POSTPONE else None,
                decided_on=today,
            )
            locked.adjustment_request = request
            fields.append("adjustment_request")
    locked.withdrawal_decision = decision
    locked.withdrawal_note = note
    locked.withdrawal_decided_by = chair
    locked.withdrawal_decided_at = clock.now()
    locked.version += 1
    locked.save(update_fields=fields)
    recorded = (
        "" if actor.pk == chair.pk else _("Văn phòng ghi nhận quyết định của %(chair)s.") % {"chair": chair}
    )
    audit.record(
        actor=actor,
        action="agenda_item.withdraw" if decision == WithdrawalDecision.WITHDRAW else "agenda_item.keep",
        obj=locked,
        changes=audit.diff(before, locked),
        message=" ".join(part for part in (reasons, note, recorded) if part),
    )
    return locked
