"""Every write of members' opinions: the Office prepares and sends a draft, members answer
(or the Office enters the paper answers of a secret draft), the lead unit takes the comments
in, the Office closes the tally. Each is one transaction, checks the rules itself
(``authorize``) and the edit version, and leaves one audit event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.models import Unit, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import COMMITTEE_KINDS, authorize
from caicach.core.text import nfc
from caicach.core.uploads import validate_upload
from caicach.core.versioning import check_version
from caicach.deliberation.consultations.queries import (
    chairmen_of,
    committee_members,
    deadline_for,
    settings_for,
    tally_of,
    tally_ready,
)
from caicach.deliberation.models import (
    ANSWERS_WITH_COMMENT,
    Answer,
    Consultation,
    ConsultationFile,
    ConsultationStatus,
    DeliberationSettings,
    DraftKind,
    FileRole,
    Opinion,
    OpinionResponse,
    OpinionRevision,
    PassRule,
    ResponseKind,
)
from caicach.workprogram.models import ProgramItem

MAX_FILES = 20
MAX_TITLE = 500


def _text(value: Any) -> str:
    return nfc(str(value or "")).strip()


@transaction.atomic
def consultation_create(
    *,
    actor: User,
    committee: Unit,
    lead_unit: Unit,
    kind: str,
    title: str,
    is_secret: bool = False,
    program_item: ProgramItem | None = None,
    members: Sequence[User] = (),
    notes: str = "",
) -> Consultation:
    """The Office drafts a consultation for a lead unit (not yet sent)."""
    authorize(actor, "deliberation.consult", committee)
    title = _text(title)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Vui lòng nhập tên dự thảo.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_TITLE}
    if kind not in DraftKind.values:
        errors["kind"] = _("Loại dự thảo không hợp lệ.")
    if program_item is not None and program_item.program.issuing_unit_id != committee.pk:
        errors["program_item"] = _("Nội dung này không thuộc chương trình công tác của UBND đã chọn.")
    eligible = set(committee_members(committee).values_list("pk", flat=True))
    if any(member.pk not in eligible for member in members):
        errors["members"] = _("Chỉ chọn được thành viên của UBND đã chọn.")
    if errors:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        committee=committee,
        lead_unit=lead_unit,
        kind=kind,
        title=title,
        is_secret=is_secret,
        program_item=program_item,
        notes=_text(notes),
        created_by=actor,
        created_at=clock.now(),
    )
    if members:
        consultation.chosen_members.set(members)
    audit.record(actor=actor, action="consultation.create", obj=consultation)
    return consultation


def _locked(consultation: Consultation, version: int | None = None) -> Consultation:
    locked = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=consultation.pk)
    )
    if version is not None:
        check_version(locked.version, version)
    return locked


@transaction.atomic
def consultation_add_file(
    *, actor: User, consultation: Consultation, upload: UploadedFile, role: str = FileRole.DOSSIER
) -> ConsultationFile:
    """Attach a checked file (caicach.core.uploads) to a draft not yet sent. A secret draft
    travels on paper: no file of it is put online."""
    locked = _locked(consultation)
    authorize(actor, "change", locked)
    if locked.is_secret:
        raise ValidationError(_("Dự thảo mật không đưa tệp lên hệ thống; gửi hồ sơ bằng văn bản giấy."))
    if role not in FileRole.values:
        raise ValidationError({"role": _("Loại tệp không hợp lệ.")})
    if locked.files.count() >= MAX_FILES:
        raise ValidationError(_("Mỗi dự thảo đính kèm tối đa %(max)s tệp.") % {"max": MAX_FILES})
    checked = validate_upload(upload)
    attached = ConsultationFile(
        consultation=locked,
        role=role,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    upload.seek(0)
    attached.file.save(checked.stored_name, upload, save=False)
    try:
        attached.save()
        audit.record(
            actor=actor,
            action="consultation.add_file",
            obj=locked,
            changes={"files": [None, checked.display_name]},
        )
    except BaseException:
        # The row is rolled back with the transaction; the file would be left behind.
        attached.file.storage.delete(attached.file.name)
        raise
    return attached


def recipients_of(consultation: Consultation) -> list[User]:
    """Who will be consulted: the chosen members still in office, or every member."""
    members = committee_members(consultation.committee_id)
    chosen = consultation.chosen_members.values("pk")
    if consultation.chosen_members.exists():
        members = members.filter(pk__in=chosen)
    return list(members)


@transaction.atomic
def consultation_send(*, actor: User, consultation: Consultation, version: int) -> Consultation:
    """Send the draft: one (blank) opinion per member, the deadline N working days after
    today (the committee's setting), the members told."""
    locked = _locked(consultation, version)
    authorize(actor, "send", locked)
    members = recipients_of(locked)
    if not members:
        raise ValidationError(_("UBND chưa có thành viên nào để lấy ý kiến."))
    if not locked.is_secret and not locked.files.filter(role=FileRole.SUBMISSION).exists():
        raise ValidationError(_("Vui lòng đính kèm Tờ trình trước khi gửi lấy ý kiến."))
    today = clock.today()
    days = settings_for(locked.committee_id).reply_working_days
    chairmen = chairmen_of(locked.committee_id)
    locked.status = ConsultationStatus.SENT
    locked.sent_on = today
    locked.reply_working_days = days
    locked.deadline = deadline_for(today, days)
    locked.sent_by = actor
    locked.version += 1
    locked.save(update_fields=["status", "sent_on", "reply_working_days", "deadline", "sent_by", "version"])
    Opinion.objects.bulk_create(
        [Opinion(consultation=locked, member=member, is_chairman=member.pk in chairmen) for member in members]
    )
    audit.record(
        actor=actor,
        action="consultation.send",
        obj=locked,
        changes={"deadline": [None, locked.deadline.isoformat()], "members": [None, len(members)]},
    )
    with translation.override("vi"):
        title = _("Xin ý kiến thành viên UBND: %(title)s") % {"title": locked.title}
        if locked.is_secret:
            body = _("Dự thảo mật: vui lòng cho ý kiến bằng phiếu giấy gửi Văn phòng trước hết ngày %(day)s.")
        else:
            body = _("Vui lòng cho ý kiến trước hết ngày %(day)s.")
        body = body % {"day": f"{locked.deadline:%d/%m/%Y}"}
    notify(recipients=members, title=title, body=body, url=locked.get_absolute_url())
    return locked


def _clean_answer(answer: str, comment: str) -> tuple[str, str]:
    comment = _text(comment)
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Vui lòng chọn: Đồng ý, Đồng ý có ý kiến hoặc Không đồng ý.")})
    if answer in ANSWERS_WITH_COMMENT and not comment:
        raise ValidationError({"comment": _("Vui lòng ghi rõ ý kiến góp ý hoặc lý do không đồng ý.")})
    return answer, comment


def _record_answer(*, actor: User, opinion: Opinion, answer: str, comment: str, action: str) -> Opinion:
    consultation = opinion.consultation
    assert consultation.deadline is not None
    today = clock.today()
    late = today > consultation.deadline
    if opinion.answer and late:
        # A late answer is accepted once; an answer given in time may change only until the deadline.
        raise ValidationError(
            _("Đã hết hạn cho ý kiến (hết ngày %(day)s): không thể thay đổi ý kiến đã gửi.")
            % {"day": f"{consultation.deadline:%d/%m/%Y}"}
        )
    before = audit.snapshot(opinion, ["answer", "comment"])
    if not opinion.answer:
        opinion.first_answered_on = today
        opinion.is_late = late
    opinion.answer = answer
    opinion.comment = comment
    opinion.answered_at = clock.now()
    opinion.entered_by = actor
    opinion.version += 1
    opinion.save(
        update_fields=[
            "answer",
            "comment",
            "first_answered_on",
            "is_late",
            "answered_at",
            "entered_by",
            "version",
        ]
    )
    number = opinion.revisions.count() + 1
    OpinionRevision.objects.create(
        opinion=opinion,
        number=number,
        answer=answer,
        comment=comment,
        is_late=late,
        entered_by=actor,
        created_at=opinion.answered_at,
    )
    audit.record(actor=actor, action=action, obj=opinion, changes=audit.diff(before, opinion))
    return opinion


def _locked_opinion(opinion: Opinion, version: int | None) -> Opinion:
    # The consultation first, then the opinion: one fixed order for every answer.
    consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=opinion.consultation_id)
    locked = Opinion.objects.select_for_update(of=("self",)).select_related("member").get(pk=opinion.pk)
    locked.consultation = consultation
    if version is not None:
        check_version(locked.version, version)
    return locked


@transaction.atomic
def opinion_give(*, actor: User, opinion: Opinion, answer: str, comment: str, version: int) -> Opinion:
    """A member answers, or changes their answer until the deadline; after it, a first answer
    is still accepted and flagged late."""
    locked = _locked_opinion(opinion, version)
    authorize(actor, "answer", locked)
    answer, comment = _clean_answer(answer, comment)
    return _record_answer(actor=actor, opinion=locked, answer=answer, comment=comment, action="opinion.give")


@transaction.atomic
def opinion_enter(*, actor: User, opinion: Opinion, answer: str, comment: str, version: int) -> Opinion:
    """The Office enters a member's paper answer to a secret draft."""
    locked = _locked_opinion(opinion, version)
    authorize(actor, "enter", locked)
    answer, comment = _clean_answer(answer, comment)
    return _record_answer(actor=actor, opinion=locked, answer=answer, comment=comment, action="opinion.enter")


@transaction.atomic
def opinion_respond(*, actor: User, opinion: Opinion, kind: str, text: str, version: int) -> OpinionResponse:
    """The lead unit records how it took a comment in (tiếp thu) or why not (giải trình),
    once the tally is taken; it may correct its record later (``version``: the record's, 0
    before there is one)."""
    locked = _locked_opinion(opinion, None)
    authorize(actor, "respond", locked)
    if not tally_ready(locked.consultation):
        raise ValidationError(
            _("Chỉ tiếp thu, giải trình sau khi hết hạn hoặc khi mọi thành viên đã cho ý kiến.")
        )
    text = _text(text)
    errors: dict[str, str] = {}
    if kind not in ResponseKind.values:
        errors["kind"] = _("Vui lòng chọn Tiếp thu hoặc Giải trình.")
    if not text:
        errors["text"] = _("Vui lòng nhập nội dung tiếp thu, giải trình.")
    if errors:
        raise ValidationError(errors)
    response = OpinionResponse.objects.select_for_update().filter(opinion=locked).first()
    check_version(response.version if response is not None else 0, version)
    if response is None:
        response = OpinionResponse.objects.create(
            opinion=locked, kind=kind, text=text, recorded_by=actor, recorded_at=clock.now()
        )
        audit.record(actor=actor, action="opinion.respond", obj=locked, changes={"response": [None, text]})
        return response
    before = audit.snapshot(response, ["kind", "text"])
    response.kind = kind
    response.text = text
    response.recorded_by = actor
    response.recorded_at = clock.now()
    response.version += 1
    response.save(update_fields=["kind", "text", "recorded_by", "recorded_at", "version"])
    audit.record(actor=actor, action="opinion.respond", obj=locked, changes=audit.diff(before, response))
    return response


@transaction.atomic
def consultation_close(*, actor: User, consultation: Consultation, version: int) -> Consultation:
    """The Office takes the tally (after the deadline, or once everybody answered) and
    records the result under the rule in force; no answer is accepted afterwards."""
    locked = _locked(consultation, version)
    authorize(actor, "close", locked)
    if not tally_ready(locked):
        raise ValidationError(
            _("Chưa thể tổng hợp: chưa hết hạn (%(day)s) và còn thành viên chưa cho ý kiến.")
            % {"day": f"{locked.deadline:%d/%m/%Y}" if locked.deadline else ""}
        )
    tally = tally_of(locked)
    locked.status = ConsultationStatus.CLOSED
    locked.closed_on = clock.today()
    locked.result = tally.result
    locked.version += 1
    locked.save(update_fields=["status", "closed_on", "result", "version"])
    audit.record(
        actor=actor,
        action="consultation.close",
        obj=locked,
        changes={"result": [None, tally.result]},
        message=_(
            "Đồng ý %(agree)s, đồng ý có ý kiến %(comments)s, không đồng ý %(disagree)s, "
            "chưa cho ý kiến %(none)s"
        )
        % {
            "agree": tally.agree,
            "comments": tally.with_comments,
            "disagree": tally.disagree,
            "none": tally.no_answer,
        },
    )
    return locked


SETTINGS_FIELDS = (
    "reply_working_days",
    "reminder_working_days",
    "pass_rule",
    "comments_count_in_favour",
    "tie_follows_chairman",
    "consult_by_day",
    "committee_dossier_working_days",
    "party_dossier_working_days",
)
SETTINGS_LIMITS = {
    "reply_working_days": (1, 30),
    "reminder_working_days": (0, 10),
    "consult_by_day": (1, 28),
    "committee_dossier_working_days": (1, 20),
    "party_dossier_working_days": (1, 20),
}


@transaction.atomic
def deliberation_settings_update(
    *, actor: User, unit: Unit, data: dict[str, Any], version: int | None
) -> DeliberationSettings:
    """A committee's rules for members' opinions. ``version`` None: the committee had no row
    yet, so the form was built from the defaults."""
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings fields: {sorted(unknown)}")
    authorize(actor, "deliberation.settings", unit)
    if unit.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("Thiết lập lấy ý kiến thành viên là của một Ủy ban nhân dân."))
    errors: dict[str, str] = {}
    for name, (low, high) in SETTINGS_LIMITS.items():
        value = data.get(name)
        if name in data and (not isinstance(value, int) or not low <= value <= high):
            errors[name] = _("Giá trị phải từ %(low)s đến %(high)s.") % {"low": low, "high": high}
    if "pass_rule" in data and data["pass_rule"] not in PassRule.values:
        errors["pass_rule"] = _("Nguyên tắc biểu quyết không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    current = DeliberationSettings.objects.select_for_update().filter(unit=unit).first()
    if current is None:
        if version is not None:
            raise ValidationError(_("Thiết lập đã bị xóa trong lúc bạn sửa; vui lòng tải lại trang."))
        current = DeliberationSettings(unit=unit)
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
        actor=actor, action="deliberation_settings.update", obj=current, changes=audit.diff(before, current)
    )
    return current
