"""Every write of a meeting's documents: the Office drafts the invitation (Giấy mời) and,
once the meeting has taken place, the conclusion notice (Thông báo kết luận) with its points;
the signer chosen on the draft issues it — the number from the committee's register, the
DOCX frozen, the meeting moved on (INVITED, then CONCLUDED) and the people concerned told.
Issuing twice is refused; once issued, a document and its points no longer change.

A conclusion is accepted for a meeting marked held, or for one invited whose day has come
(``queries.meeting_has_taken_place``): the Office need not mark a meeting held before it
writes the conclusion, and issuing the conclusion closes the meeting either way."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import chronology, clock, numbering, rendering
from caicach.core.audit import services as audit
from caicach.core.models import DocumentType, Unit, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize
from caicach.core.text import nfc
from caicach.core.versioning import check_version
from caicach.deliberation.models import (
    AgendaItem,
    ConclusionPoint,
    Meeting,
    MeetingDocument,
    MeetingDocumentKind,
    MeetingStatus,
)
from caicach.deliberation.notices import queries
from caicach.deliberation.notices.documents import (
    conclusion_spec,
    invitation_spec,
    issue_title,
    signer_signature,
)

AUDIT_LABELS = {
    "meeting_invitation.save": gettext_lazy("Soạn giấy mời họp"),
    "meeting_invitation.issue": gettext_lazy("Ban hành giấy mời họp"),
    "meeting_conclusion.save": gettext_lazy("Soạn thông báo kết luận phiên họp"),
    "meeting_conclusion.issue": gettext_lazy("Ban hành thông báo kết luận phiên họp"),
}
FROZEN_FILES = "deliberation/notices"
MAX_POINTS = 100
MAX_TEXT = 5000


def _vietnamese(text: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _text(value: object) -> str:
    return nfc(str(value or "")).strip()


@dataclass(frozen=True)
class PointDraft:
    """One conclusion point as the Office typed it; the order of the list is the order printed."""

    content: str
    lead_unit: Unit | None = None
    coordinating_units: Sequence[Unit] = field(default_factory=tuple)
    deadline: datetime.date | None = None
    agenda_item: AgendaItem | None = None


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee__parent", "chair")
        .get(pk=meeting.pk)
    )


def _locked_document(meeting: Meeting, kind: str) -> MeetingDocument | None:
    return (
        MeetingDocument.objects.select_for_update(of=("self",))
        .select_related("registered_document", "signer")
        .filter(meeting=meeting, kind=kind)
        .first()
    )


def _check_texts(summary: str, recipients: str, signer: User | None, committee: Unit) -> None:
    errors: dict[str, str] = {}
    if len(summary) > MAX_TEXT:
        errors["summary"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_TEXT}
    if len(recipients) > 2000:
        errors["recipients"] = _("Tối đa %(max)s ký tự.") % {"max": 2000}
    if signer is not None and signer.pk not in {user.pk for user in queries.signer_candidates(committee)}:
        errors["signer"] = _("Người ký phải là lãnh đạo UBND hoặc Chánh Văn phòng, Phó Chánh Văn phòng.")
    if errors:
        raise ValidationError(errors)


def _save_document(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    version: int | None,
    summary: str,
    recipients: str,
    signer: User | None,
    action: str,
    changes: dict[str, list[object]] | None = None,
) -> MeetingDocument:
    """Create or update the draft: version 0 stands for "no draft yet"."""
    document = _locked_document(meeting, kind)
    check_version(document.version if document is not None else 0, version)
    values = {"summary": _text(summary), "recipients": _text(recipients), "signer": signer}
    _check_texts(values["summary"], values["recipients"], signer, meeting.committee)  # type: ignore[arg-type]
    if document is None:
        document = MeetingDocument.objects.create(meeting=meeting, kind=kind, **values)
        audit.record(actor=actor, action=action, obj=document, changes=changes or {})
        return document
    before = audit.snapshot(document, list(values))
    for name, value in values.items():
        setattr(document, name, value)
    document.version += 1
    document.save(update_fields=[*values, "version"])
    audit.record(
        actor=actor, action=action, obj=document, changes={**audit.diff(before, document), **(changes or {})}
    )
    return document


def _require_not_issued(document: MeetingDocument | None, message: str) -> None:
    if document is not None and document.registered_document_id is not None:
        raise ValidationError(message)


# --- The invitation -------------------------------------------------------------------------------


def _invitation_state_problem(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Phiên họp đã hủy.")
    if meeting.status != MeetingStatus.SCHEDULED:
        return _("Giấy mời đã được ban hành.")
    return ""


@transaction.atomic
def invitation_save(
    *,
    actor: User,
    meeting: Meeting,
    version: int | None,
    summary: str = "",
    recipients: str = "",
    signer: User | None = None,
) -> MeetingDocument:
    """The Office saves the invitation's draft: its closing text, "Nơi nhận" and the signer."""
    locked = _locked_meeting(meeting)
    authorize(actor, "notices.view", locked)
    authorize(actor, "notices.draft", locked)
    problem = _invitation_state_problem(locked)
    if problem:
        raise ValidationError(problem)
    return _save_document(
        actor=actor,
        meeting=locked,
        kind=MeetingDocumentKind.INVITATION,
        version=version,
        summary=summary,
        recipients=recipients,
        signer=signer,
        action="meeting_invitation.save",
    )


def invitation_problems(meeting: Meeting, document: MeetingDocument | None, day: datetime.date) -> list[str]:
    """Why the invitation cannot be issued on ``day`` (empty: it can). Asked by the page
    before it offers a number, and again by the service under the lock."""
    if document is not None and document.registered_document_id is not None:
        return [_("Giấy mời đã được ban hành.")]
    problem = _invitation_state_problem(meeting)
    if problem:
        return [problem]
    problems: list[str] = []
    if document is None:
        return [_("Chưa soạn giấy mời.")]
    if document.signer_id is None:
        problems.append(_("Vui lòng chọn người ký giấy mời."))
    if meeting.date < day:
        problems.append(_("Phiên họp đã qua, không thể gửi giấy mời."))
    if meeting.starts_at is None:
        problems.append(_("Phiên họp chưa có giờ bắt đầu."))
    if not meeting.place.strip():
        problems.append(_("Phiên họp chưa có địa điểm."))
    if not queries.invitation_agenda(meeting):
        problems.append(_("Phiên họp chưa có nội dung nào (ngoài các nội dung đã rút)."))
    return problems


def _freeze(spec: rendering.DocumentSpec, meeting: Meeting, kind: str) -> str:
    """Render once and keep the file: it downloads exactly as signed, whatever changes in the
    agenda, the invitees or the units afterwards."""
    document = rendering.render(spec, "docx")
    return default_storage.save(
        f"{FROZEN_FILES}/{meeting.pk}/{kind}/{document.filename}", ContentFile(document.content)
    )


def _issue(
    *,
    actor: User,
    meeting: Meeting,
    document: MeetingDocument,
    document_type: str,
    day: datetime.date,
    action: str,
    message: str,
) -> bool:
    """Number and stamp the document; returns whether the Office's Chief signed."""
    office = queries.office_signs(actor, meeting.committee_id)
    signature = signer_signature(
        actor, office=office, for_committee=rendering.is_committee(meeting.committee)
    )
    numbering.issue(
        obj=document,
        document_field="registered_document",
        unit=meeting.committee,
        document_type=document_type,
        title=issue_title(meeting, document.kind),
        issued_on=day,
        actor=actor,
        action=action,
        stamp={
            "issued_on": day,
            "signer": actor,
            "signer_authority": signature.authority,
            "signer_title": signature.title,
            "signer_name": signature.name,
        },
        message=message,
    )
    return office


def _move_meeting(meeting: Meeting, status: str) -> None:
    meeting.status = status
    meeting.version += 1
    meeting.save(update_fields=["status", "version"])


def _check_day(day: datetime.date) -> None:
    chronology.require_within(day, chronology.ISSUED, what=_("Ngày ban hành"), field="issued_on")
    if day > clock.today():
        raise ValidationError({"issued_on": _("Ngày ban hành không được sau ngày hôm nay.")})


@transaction.atomic
def invitation_issue(
    *, actor: User, meeting: Meeting, version: int | None, issued_on: datetime.date | None = None
) -> MeetingDocument:
    """The signer issues the invitation: the next GM number of the committee's register, the
    signer's block, the DOCX frozen, the meeting INVITED, and the committee's members and the
    invited units' heads told."""
    locked = _locked_meeting(meeting)
    authorize(actor, "notices.view", locked)
    document = _locked_document(locked, MeetingDocumentKind.INVITATION)
    if document is None:
        raise ValidationError(_("Chưa soạn giấy mời."))
    _require_not_issued(document, _("Giấy mời đã được ban hành."))
    document.meeting = locked
    authorize(actor, "notices.issue", document)
    check_version(document.version, version)
    day = issued_on or clock.today()
    _check_day(day)
    problems = invitation_problems(locked, document, day)
    if problems:
        raise ValidationError(problems)
    agenda = queries.invitation_agenda(locked)
    invitees = queries.invitees_of(locked)
    office = _issue(
        actor=actor,
        meeting=locked,
        document=document,
        document_type=DocumentType.INVITATION,
        day=day,
        action="meeting_invitation.issue",
        message=_vietnamese(gettext_lazy("Mời %(units)s đơn vị; %(items)s nội dung."))
        % {"units": len(invitees), "items": len(agenda)},
    )
    spec = invitation_spec(locked, document, agenda, invitees, office_signs=office)
    document.document_file = _freeze(spec, locked, document.kind)
    document.save(update_fields=["document_file"])
    _move_meeting(locked, MeetingStatus.INVITED)
    meeting.status, meeting.version = locked.status, locked.version
    reference = document.registered_document.reference if document.registered_document else ""
    notify(
        recipients=queries.invitation_recipients(locked),
        title=_vietnamese(gettext_lazy("Giấy mời họp: %(title)s")) % {"title": locked.title},
        body=_vietnamese(gettext_lazy("Giấy mời số %(reference)s, họp ngày %(day)s."))
        % {"reference": reference, "day": f"{locked.date:%d/%m/%Y}"},
        url=queries.invitation_url(locked),
    )
    return document


# --- The conclusion notice ------------------------------------------------------------------------


def _conclusion_state_problem(meeting: Meeting, today: datetime.date) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Phiên họp đã hủy.")
    if meeting.status == MeetingStatus.CONCLUDED:
        return _("Thông báo kết luận đã được ban hành.")
    if not queries.meeting_has_taken_place(meeting, today):
        return _("Phiên họp chưa diễn ra: chưa thể ghi kết luận.")
    return ""


def _check_points(meeting: Meeting, points: Sequence[PointDraft]) -> None:
    errors: list[str] = []
    if len(points) > MAX_POINTS:
        raise ValidationError(_("Mỗi thông báo có tối đa %(max)s nội dung kết luận.") % {"max": MAX_POINTS})
    allowed = set(queries.committee_units(meeting.committee_id).values_list("pk", flat=True))
    items = set(AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True))
    for number, point in enumerate(points, start=1):
        where = _("Nội dung %(n)s: ") % {"n": number}
        if not _text(point.content):
            errors.append(where + _("vui lòng nhập nội dung kết luận."))
        elif len(_text(point.content)) > MAX_TEXT:
            errors.append(where + _("tối đa %(max)s ký tự.") % {"max": MAX_TEXT})
        units = [point.lead_unit] if point.lead_unit is not None else []
        units += list(point.coordinating_units)
        strays = [unit.name for unit in units if unit.pk not in allowed]
        if strays:
            errors.append(
                where + _("“%(units)s” không thuộc UBND chủ trì phiên họp.") % {"units": "; ".join(strays)}
            )
        if point.lead_unit is not None and point.lead_unit in point.coordinating_units:
            errors.append(where + _("cơ quan chủ trì không đồng thời là cơ quan phối hợp."))
        if point.deadline is not None:
            problem = chronology.PLANNED.problem(point.deadline, what=_("Thời hạn"))
            if problem:
                errors.append(where + str(problem))
            elif point.deadline < meeting.date:
                errors.append(where + _("thời hạn không được trước ngày họp."))
        if point.agenda_item is not None and point.agenda_item.pk not in items:
            errors.append(where + _("nội dung phiên họp không thuộc phiên họp này."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def conclusion_save(
    *,
    actor: User,
    meeting: Meeting,
    version: int | None,
    points: Sequence[PointDraft],
    summary: str = "",
    recipients: str = "",
    signer: User | None = None,
) -> MeetingDocument:
    """The Office saves the conclusion's draft: its general text, "Nơi nhận", the signer and
    the points (replacing those saved before, in the order given)."""
    locked = _locked_meeting(meeting)
    authorize(actor, "notices.view", locked)
    authorize(actor, "notices.draft", locked)
    problem = _conclusion_state_problem(locked, clock.today())
    if problem:
        raise ValidationError(problem)
    current = _locked_document(locked, MeetingDocumentKind.CONCLUSION)
    _require_not_issued(current, _("Thông báo kết luận đã được ban hành."))
    _check_points(locked, points)
    before = ConclusionPoint.objects.filter(meeting=locked).count()
    document = _save_document(
        actor=actor,
        meeting=locked,
        kind=MeetingDocumentKind.CONCLUSION,
        version=version,
        summary=summary,
        recipients=recipients,
        signer=signer,
        action="meeting_conclusion.save",
        changes={"points": [before, len(points)]} if before != len(points) else None,
    )
    ConclusionPoint.objects.filter(meeting=locked).delete()
    rows = ConclusionPoint.objects.bulk_create(
        ConclusionPoint(
            meeting=locked,
            position=position,
            agenda_item=point.agenda_item,
            content=_text(point.content),
            lead_unit=point.lead_unit,
            deadline=point.deadline,
        )
        for position, point in enumerate(points, start=1)
    )
    through = ConclusionPoint.coordinating_units.through
    through.objects.bulk_create(
        through(conclusionpoint_id=row.pk, unit_id=unit.pk)
        for row, point in zip(rows, points, strict=True)
        for unit in dict.fromkeys(point.coordinating_units)
    )
    return document


def conclusion_problems(meeting: Meeting, document: MeetingDocument | None, day: datetime.date) -> list[str]:
    if document is not None and document.registered_document_id is not None:
        return [_("Thông báo kết luận đã được ban hành.")]
    problem = _conclusion_state_problem(meeting, day)
    if problem:
        return [problem]
    if document is None:
        return [_("Chưa soạn thông báo kết luận.")]
    problems: list[str] = []
    if meeting.date > day:
        problems.append(_("Ngày ban hành không được trước ngày họp."))
    if document.signer_id is None:
        problems.append(_("Vui lòng chọn người ký thông báo kết luận."))
    points = ConclusionPoint.objects.filter(meeting=meeting)
    if not points.exists():
        problems.append(_("Thông báo kết luận chưa có nội dung kết luận nào."))
    elif points.filter(lead_unit__isnull=True).exists():
        problems.append(_("Mỗi nội dung kết luận cần có cơ quan chủ trì thực hiện."))
    return problems


@transaction.atomic
def conclusion_issue(
    *, actor: User, meeting: Meeting, version: int | None, issued_on: datetime.date | None = None
) -> MeetingDocument:
    """The signer issues the conclusion notice: the next TB number, the DOCX frozen with its
    points (which no longer change), the meeting CONCLUDED, the tasked units' heads told."""
    locked = _locked_meeting(meeting)
    authorize(actor, "notices.view", locked)
    document = _locked_document(locked, MeetingDocumentKind.CONCLUSION)
    if document is None:
        raise ValidationError(_("Chưa soạn thông báo kết luận."))
    _require_not_issued(document, _("Thông báo kết luận đã được ban hành."))
    document.meeting = locked
    authorize(actor, "notices.issue", document)
    check_version(document.version, version)
    day = issued_on or clock.today()
    _check_day(day)
    if day < locked.date:
        raise ValidationError({"issued_on": _("Ngày ban hành không được trước ngày họp.")})
    problems = conclusion_problems(locked, document, day)
    if problems:
        raise ValidationError(problems)
    points = queries.points_of(locked)
    office = _issue(
        actor=actor,
        meeting=locked,
        document=document,
        document_type=DocumentType.NOTICE,
        day=day,
        action="meeting_conclusion.issue",
        message=_vietnamese(gettext_lazy("%(points)s nội dung kết luận.")) % {"points": len(points)},
    )
    spec = conclusion_spec(locked, document, points, office_signs=office)
    document.document_file = _freeze(spec, locked, document.kind)
    document.save(update_fields=["document_file"])
    _move_meeting(locked, MeetingStatus.CONCLUDED)
    meeting.status, meeting.version = locked.status, locked.version
    reference = document.registered_document.reference if document.registered_document else ""
    notify(
        recipients=queries.notice_recipients(points),
        title=_vietnamese(gettext_lazy("Thông báo kết luận: %(title)s")) % {"title": locked.title},
        body=_vietnamese(gettext_lazy("Thông báo số %(reference)s giao nhiệm vụ cho đơn vị."))
        % {"reference": reference},
        url=queries.conclusion_url(locked),
    )
    return document
