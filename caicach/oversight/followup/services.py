"""Every write of the task follow-up: the Office assigns tasks (one by one, from a meeting's
conclusion, from a spreadsheet), edits and cancels them; the lead unit reports progress,
marks them done and asks for extensions; the assigning leader (or the Office on delegation)
decides. Each is one transaction, checks the rules itself (``authorize``) and the edit
version, and leaves one audit event.

Recurring tasks (monthly, quarterly) are kept simple: a period's result reported done closes
the task; the Office then "repeats" it, which creates the next period's task with the same
content, lead and assigner (``task_repeat``). Each period is one task, so the statistics
count each period once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.calendar import queries as calendar
from caicach.core.models import Unit, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize, subtree_ids
from caicach.core.text import nfc
from caicach.core.uploads import validate_upload
from caicach.core.versioning import check_version
from caicach.deliberation.models import ConclusionPoint, Meeting, MeetingDocumentKind
from caicach.oversight.followup.queries import compute_deadline, leaders_of, next_period_deadline
from caicach.oversight.models import (
    OPEN_STATUSES,
    DeadlineKind,
    Extension,
    ExtensionStatus,
    ResultKind,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)

MAX_CONTENT = 5000
MAX_REFERENCE = 64
MAX_TITLE = 500
MAX_RESULT = 500
RECURRING = (DeadlineKind.MONTHLY, DeadlineKind.QUARTERLY)


def _text(value: Any) -> str:
    return nfc(str(value or "")).strip()


# --- Assigning ----------------------------------------------------------------------------------


def _clean_task(committee: Unit, data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The fields of a task checked against its committee (create and edit share them)."""
    content = _text(data.get("content"))
    if not content:
        errors["content"] = _("Vui lòng nhập nội dung nhiệm vụ.")
    elif len(content) > MAX_CONTENT:
        errors["content"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_CONTENT}
    source = data.get("source") or ""
    if source not in TaskSource.values:
        errors["source"] = _("Vui lòng chọn nguồn giao nhiệm vụ.")
    reference = _text(data.get("source_reference"))
    if len(reference) > MAX_REFERENCE:
        errors["source_reference"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_REFERENCE}
    elif source == TaskSource.DOCUMENT and not reference:
        errors["source_reference"] = _("Vui lòng nhập số, ký hiệu văn bản giao nhiệm vụ.")
    title = _text(data.get("source_title"))
    if len(title) > MAX_TITLE:
        errors["source_title"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_TITLE}
    source_date = data.get("source_date")
    if not isinstance(source_date, datetime.date):
        errors["source_date"] = _("Vui lòng nhập ngày văn bản hoặc ngày chỉ đạo.")
    elif source_date > clock.today():
        errors["source_date"] = _("Ngày văn bản, ngày chỉ đạo không được sau ngày hôm nay.")
    assigned_by = data.get("assigned_by")
    if assigned_by is None:
        errors["assigned_by"] = _("Vui lòng chọn lãnh đạo giao nhiệm vụ.")
    elif not leaders_of(committee.pk).filter(pk=assigned_by.pk).exists():
        errors["assigned_by"] = _(
            "Lãnh đạo giao nhiệm vụ phải là Chủ tịch hoặc Phó Chủ tịch của UBND đã chọn."
        )
    lead_unit = data.get("lead_unit")
    coordinating: list[Unit] = list(data.get("coordinating_units") or [])
    under = set(Unit.objects.filter(pk__in=subtree_ids([committee.pk])).values_list("pk", flat=True))
    if lead_unit is None:
        errors["lead_unit"] = _("Vui lòng chọn đúng một cơ quan chủ trì.")
    elif lead_unit.pk not in under or lead_unit.pk == committee.pk:
        errors["lead_unit"] = _("Cơ quan chủ trì phải là cơ quan, đơn vị thuộc UBND đã chọn.")
    if lead_unit is not None and any(unit.pk == lead_unit.pk for unit in coordinating):
        errors["coordinating_units"] = _("Cơ quan chủ trì không đồng thời là cơ quan phối hợp.")
    elif any(unit.pk not in under for unit in coordinating):
        errors["coordinating_units"] = _("Cơ quan phối hợp phải thuộc UBND đã chọn.")
    result_kind = data.get("expected_result_kind") or ResultKind.DOCUMENT
    if result_kind not in ResultKind.values:
        errors["expected_result_kind"] = _("Loại sản phẩm không hợp lệ.")
    expected = _text(data.get("expected_result"))
    if len(expected) > MAX_RESULT:
        errors["expected_result"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_RESULT}
    return {
        "content": content,
        "source": source,
        "source_reference": reference,
        "source_title": title,
        "source_date": source_date,
        "assigned_by": assigned_by,
        "lead_unit": lead_unit,
        "expected_result_kind": result_kind,
        "expected_result": expected,
        "monitoring_officer": data.get("monitoring_officer"),
        "notes": _text(data.get("notes")),
        "_coordinating": coordinating,
    }


def _clean_deadline(data: dict[str, Any], source_date: Any, errors: dict[str, str]) -> dict[str, Any]:
    kind = data.get("deadline_kind") or DeadlineKind.DATE
    working_days = data.get("deadline_working_days")
    if kind not in DeadlineKind.values:
        errors["deadline_kind"] = _("Cách tính thời hạn không hợp lệ.")
        return {}
    if kind == DeadlineKind.WORKING_DAYS and not (isinstance(working_days, int) and 1 <= working_days <= 365):
        errors["deadline_working_days"] = _("Vui lòng nhập số ngày làm việc từ 1 đến 365.")
        return {}
    if not isinstance(source_date, datetime.date):
        return {}
    deadline = compute_deadline(kind, source_date, date=data.get("deadline"), working_days=working_days)
    if deadline is None:
        errors["deadline"] = _("Vui lòng nhập thời hạn hoàn thành.")
        return {}
    if deadline < source_date:
        errors["deadline"] = _("Thời hạn không được trước ngày văn bản, ngày chỉ đạo.")
        return {}
    return {
        "deadline_kind": kind,
        "deadline_working_days": working_days if kind == DeadlineKind.WORKING_DAYS else None,
        "deadline": deadline,
        "original_deadline": deadline,
    }


def _build(actor: User, committee: Unit, data: dict[str, Any]) -> tuple[dict[str, Any], list[Unit]]:
    """Checked values of a new task, or ValidationError naming every wrong field."""
    errors: dict[str, str] = {}
    values = _clean_task(committee, data, errors)
    values.update(_clean_deadline(data, values["source_date"], errors))
    point = data.get("conclusion_point")
    if point is not None and Task.objects.filter(conclusion_point=point).exists():
        errors["conclusion_point"] = _("Nội dung kết luận này đã được giao thành nhiệm vụ.")
    if errors:
        raise ValidationError(errors)
    coordinating = values.pop("_coordinating")
    values["conclusion_point"] = point
    return values, coordinating


def _create(actor: User, committee: Unit, values: dict[str, Any], coordinating: Sequence[Unit]) -> Task:
    task = Task.objects.create(committee=committee, created_by=actor, created_at=clock.now(), **values)
    if coordinating:
        task.coordinating_units.set(coordinating)
    return task


def _notify_assigned(tasks: Sequence[Task]) -> None:
    """The lead units' heads and staff learn of their new tasks."""
    from caicach.oversight.followup.queries_people import people_of_lead_unit

    with translation.override("vi"):
        for task in tasks:
            notify(
                recipients=people_of_lead_unit(task.lead_unit_id),
                title=_("Nhiệm vụ được giao: %(content)s") % {"content": task.content[:150]},
                body=_("Thời hạn: %(day)s.") % {"day": f"{task.deadline:%d/%m/%Y}"},
                url=task.get_absolute_url(),
            )


@transaction.atomic
def task_create(*, actor: User, committee: Unit, data: dict[str, Any]) -> Task:
    """The Office assigns one task (a document, a leader's oral direction, or one point of a
    meeting's conclusion when ``data["conclusion_point"]`` is given)."""
    authorize(actor, "oversight.assign", committee)
    values, coordinating = _build(actor, committee, data)
    task = _create(actor, committee, values, coordinating)
    audit.record(actor=actor, action="task.create", obj=task)
    _notify_assigned([task])
    return task


@transaction.atomic
def tasks_create_many(
    *, actor: User, committee: Unit, rows: Sequence[dict[str, Any]], source: str = ""
) -> list[Task]:
    """All or nothing (the spreadsheet import, the API's): every row checked first; any
    error and nothing is written. Raises ``RowErrors`` listing them by row number.
    ``source``: where the rows came from, for the audit trail."""
    authorize(actor, "oversight.assign", committee)
    checked: list[tuple[dict[str, Any], list[Unit]]] = []
    problems: list[tuple[int, str]] = []
    for number, data in enumerate(rows, start=1):
        row_number = int(data.get("_row", number))
        try:
            checked.append(_build(actor, committee, data))
        except ValidationError as error:
            problems.extend((row_number, message) for message in error.messages)
    if problems:
        raise RowErrors(problems)
    tasks = [_create(actor, committee, values, coordinating) for values, coordinating in checked]
    for task in tasks:
        audit.record(actor=actor, action="task.create", obj=task, message=source or _("Nhập từ tệp Excel"))
    _notify_assigned(tasks)
    return tasks


def tasks_check(committee: Unit, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str]]:
    """The service's own checks of rows not yet written (the import reports them all)."""
    problems: list[tuple[int, str]] = []
    for number, data in enumerate(rows, start=1):
        try:
            _build_checked(committee, data)
        except ValidationError as error:
            problems.extend((int(data.get("_row", number)), message) for message in error.messages)
    return problems


def _build_checked(committee: Unit, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    values = _clean_task(committee, data, errors)
    _clean_deadline(data, values["source_date"], errors)
    if errors:
        raise ValidationError(errors)


class RowErrors(ValidationError):
    """Errors of several rows: (row number, Vietnamese message)."""

    def __init__(self, rows: Iterable[tuple[int, str]]) -> None:
        self.rows = list(rows)
        super().__init__(
            [_("Dòng %(row)s: %(message)s") % {"row": row, "message": m} for row, m in self.rows]
        )


def conclusion_reference(meeting: Meeting) -> tuple[str, datetime.date]:
    """The issued conclusion notice's number and date when there is one, else the meeting's
    date (the conclusion is the source either way)."""
    document = (
        meeting.documents.filter(kind=MeetingDocumentKind.CONCLUSION, registered_document__isnull=False)
        .select_related("registered_document")
        .first()
    )
    if document is not None and document.registered_document is not None:
        registered = document.registered_document
        return registered.reference, document.issued_on or meeting.date
    return "", meeting.date


@transaction.atomic
def tasks_from_conclusion(
    *,
    actor: User,
    meeting: Meeting,
    points: Sequence[ConclusionPoint],
    default_deadline: datetime.date | None,
) -> list[Task]:
    """One task per checked point of the meeting's conclusion (a lead unit, no task yet),
    assigned by the meeting's chair; a point without its own deadline takes
    ``default_deadline``. All or nothing."""
    committee = meeting.committee
    authorize(actor, "oversight.assign", committee)
    if not points:
        raise ValidationError(_("Vui lòng chọn ít nhất một nội dung kết luận."))
    if meeting.chair_id is None:
        raise ValidationError(
            _("Phiên họp chưa có người chủ trì: không xác định được lãnh đạo giao nhiệm vụ.")
        )
    reference, source_date = conclusion_reference(meeting)
    rows: list[dict[str, Any]] = []
    for point in points:
        if point.meeting_id != meeting.pk:
            raise ValidationError(_("Nội dung kết luận không thuộc phiên họp này."))
        if point.lead_unit_id is None:
            raise ValidationError(
                _("Nội dung kết luận số %(n)s chưa có cơ quan chủ trì.") % {"n": point.position}
            )
        if Task.objects.filter(conclusion_point=point).exists():
            raise ValidationError(
                _("Nội dung kết luận số %(n)s đã được giao thành nhiệm vụ.") % {"n": point.position}
            )
        deadline = point.deadline or default_deadline
        if deadline is None:
            raise ValidationError(
                _("Nội dung kết luận số %(n)s chưa có thời hạn: vui lòng nhập thời hạn chung.")
                % {"n": point.position}
            )
        rows.append(
            {
                "_row": point.position,
                "content": point.content,
                "source": TaskSource.CONCLUSION,
                "source_reference": reference,
                "source_title": meeting.title,
                "source_date": source_date,
                "assigned_by": meeting.chair,
                "lead_unit": point.lead_unit,
                "coordinating_units": [
                    u for u in point.coordinating_units.all() if u.pk != point.lead_unit_id
                ],
                "deadline_kind": DeadlineKind.DATE,
                "deadline": deadline,
                "expected_result_kind": ResultKind.OTHER,
                "conclusion_point": point,
            }
        )
    checked: list[tuple[dict[str, Any], list[Unit]]] = []
    messages: list[str] = []
    for row in rows:
        try:
            checked.append(_build(actor, committee, row))
        except ValidationError as error:
            messages.extend(
                _("Nội dung kết luận số %(n)s: %(message)s") % {"n": row["_row"], "message": m}
                for m in error.messages
            )
    if messages:
        raise ValidationError(messages)
    tasks = [_create(actor, committee, values, coordinating) for values, coordinating in checked]
    for task in tasks:
        audit.record(actor=actor, action="task.create", obj=task, message=meeting.title[:200])
    _notify_assigned(tasks)
    return tasks


def _locked(task: Task, version: int | None) -> Task:
    locked = Task.objects.select_for_update(of=("self",)).select_related("committee").get(pk=task.pk)
    check_version(locked.version, version)
    return locked


def _save(task: Task, *fields: str) -> None:
    task.version += 1
    task.save(update_fields=[*fields, "version", "updated_at"])


_EDITABLE = (
    "content",
    "source",
    "source_reference",
    "source_title",
    "source_date",
    "assigned_by",
    "lead_unit",
    "expected_result_kind",
    "expected_result",
    "monitoring_officer",
    "notes",
)


@transaction.atomic
def task_update(*, actor: User, task: Task, data: dict[str, Any], version: int) -> Task:
    """The Office corrects an open task. The deadline moves only through an extension."""
    locked = _locked(task, version)
    authorize(actor, "change", locked)
    errors: dict[str, str] = {}
    values = _clean_task(locked.committee, data, errors)
    if errors:
        raise ValidationError(errors)
    coordinating = values.pop("_coordinating")
    before = audit.snapshot(locked, list(_EDITABLE))
    for name in _EDITABLE:
        setattr(locked, name, values[name])
    _save(locked, *_EDITABLE)
    locked.coordinating_units.set(coordinating)
    audit.record(actor=actor, action="task.update", obj=locked, changes=audit.diff(before, locked))
    return locked


@transaction.atomic
def task_cancel(*, actor: User, task: Task, reason: str, version: int) -> Task:
    """The assigning leader or the Office cancels an open task, with a reason."""
    locked = _locked(task, version)
    authorize(actor, "cancel", locked)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do hủy nhiệm vụ.")})
    locked.status = TaskStatus.CANCELLED
    locked.cancel_reason = reason
    locked.cancelled_by = actor
    _save(locked, "status", "cancel_reason", "cancelled_by")
    _close_pending(locked, _("Nhiệm vụ đã được hủy."))
    audit.record(
        actor=actor,
        action="task.cancel",
        obj=locked,
        changes={"status": ["open", "cancelled"]},
        message=reason,
    )
    return locked


def _close_pending(task: Task, note: str) -> None:
    """A task closed while an extension waits: the request has no object left."""
    Extension.objects.filter(task=task, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED, decision_note=note, decided_at=clock.now()
    )


# --- The lead unit's reports ------------------------------------------------------------------


def _attach(progress: TaskProgress, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    checked = validate_upload(upload)
    upload.seek(0)
    progress.original_name = checked.display_name
    progress.file.save(checked.stored_name, upload, save=False)


@transaction.atomic
def task_report_progress(
    *, actor: User, task: Task, percent: int, note: str, version: int, upload: UploadedFile | None = None
) -> TaskProgress:
    """A progress note by the lead unit. The percentage may go down (a setback is news too);
    100 % is not "done": only ``task_complete`` closes the task."""
    locked = _locked(task, version)
    authorize(actor, "report", locked)
    note = _text(note)
    errors: dict[str, str] = {}
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent"] = _("Tiến độ phải từ 0 đến 100%.")
    if not note:
        errors["note"] = _("Vui lòng nêu kết quả thực hiện.")
    if errors:
        raise ValidationError(errors)
    progress = TaskProgress(
        task=locked,
        percent=percent,
        note=note,
        reported_on=clock.today(),
        reported_by=actor,
        created_at=clock.now(),
    )
    _attach(progress, upload)
    progress.save()
    before = {"status": locked.status, "progress_percent": locked.progress_percent}
    locked.status = TaskStatus.IN_PROGRESS
    locked.progress_percent = percent
    _save(locked, "status", "progress_percent")
    audit.record(
        actor=actor,
        action="task.progress",
        obj=locked,
        changes={name: [value, getattr(locked, name)] for name, value in before.items()},
    )
    return progress


@transaction.atomic
def task_complete(
    *,
    actor: User,
    task: Task,
    done_on: datetime.date,
    result_reference: str,
    version: int,
    upload: UploadedFile | None = None,
) -> Task:
    """The lead unit reports the task done: the day (not after today, not before the source)
    and the result — a document's number or a file."""
    locked = _locked(task, version)
    authorize(actor, "report", locked)
    reference = _text(result_reference)
    errors: dict[str, str] = {}
    if not isinstance(done_on, datetime.date):
        errors["done_on"] = _("Vui lòng nhập ngày hoàn thành.")
    elif done_on > clock.today():
        errors["done_on"] = _("Ngày hoàn thành không được sau ngày hôm nay.")
    elif done_on < locked.source_date:
        errors["done_on"] = _("Ngày hoàn thành không được trước ngày giao nhiệm vụ.")
    if len(reference) > MAX_RESULT:
        errors["result_reference"] = _("Tối đa %(max)s ký tự.") % {"max": MAX_RESULT}
    elif not reference and upload is None:
        errors["result_reference"] = _("Vui lòng nhập văn bản kết quả hoặc đính kèm tệp kết quả.")
    if errors:
        raise ValidationError(errors)
    progress = TaskProgress(
        task=locked,
        percent=100,
        note=_("Hoàn thành: %(result)s") % {"result": reference or _("xem tệp đính kèm")},
        reported_on=clock.today(),
        reported_by=actor,
        created_at=clock.now(),
    )
    _attach(progress, upload)
    progress.save()
    locked.status = TaskStatus.DONE
    locked.done_on = done_on
    locked.result_reference = reference or progress.original_name
    locked.progress_percent = 100
    _save(locked, "status", "done_on", "result_reference", "progress_percent")
    _close_pending(locked, _("Nhiệm vụ đã hoàn thành."))
    audit.record(
        actor=actor,
        action="task.complete",
        obj=locked,
        changes={"status": ["open", "done"], "done_on": [None, done_on.isoformat()]},
    )
    return locked


@transaction.atomic
def task_repeat(*, actor: User, task: Task, version: int) -> Task:
    """A recurring task's next period, once this one is done: a new task, same content, lead
    and assigner, the deadline at the end of the next period."""
    locked = _locked(task, version)
    authorize(actor, "repeat", locked)
    if Task.objects.filter(
        committee=locked.committee,
        content=locked.content,
        lead_unit=locked.lead_unit,
        deadline_kind=locked.deadline_kind,
        original_deadline__gt=locked.original_deadline,
    ).exists():
        raise ValidationError(_("Nhiệm vụ của kỳ tiếp theo đã được tạo."))
    deadline = next_period_deadline(locked.deadline_kind, locked.original_deadline)
    following = Task.objects.create(
        committee=locked.committee,
        source=locked.source,
        source_reference=locked.source_reference,
        source_date=locked.source_date,
        source_title=locked.source_title,
        content=locked.content,
        assigned_by=locked.assigned_by,
        lead_unit=locked.lead_unit,
        deadline_kind=locked.deadline_kind,
        original_deadline=deadline,
        deadline=deadline,
        expected_result_kind=locked.expected_result_kind,
        expected_result=locked.expected_result,
        monitoring_officer=locked.monitoring_officer,
        notes=locked.notes,
        created_by=actor,
        created_at=clock.now(),
    )
    following.coordinating_units.set(locked.coordinating_units.all())
    audit.record(actor=actor, action="task.repeat", obj=following, message=str(locked.pk))
    _notify_assigned([following])
    return following


# --- Extensions --------------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, actor: User, task: Task, reason: str, proposed_deadline: datetime.date, version: int
) -> Extension:
    """The lead unit asks for more time, before the deadline passes."""
    locked = _locked(task, version)
    authorize(actor, "request_extension", locked)
    today = clock.today()
    if today > locked.deadline:
        raise ValidationError(
            _("Nhiệm vụ đã quá hạn (hết ngày %(day)s): không thể đề nghị gia hạn sau thời hạn.")
            % {"day": f"{locked.deadline:%d/%m/%Y}"}
        )
    if locked.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("Đã có một đề nghị gia hạn đang chờ quyết định."))
    reason = _text(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Vui lòng nêu lý do xin gia hạn.")
    if not isinstance(proposed_deadline, datetime.date):
        errors["proposed_deadline"] = _("Vui lòng nhập thời hạn đề nghị.")
    elif proposed_deadline <= locked.deadline:
        errors["proposed_deadline"] = _("Thời hạn đề nghị phải sau thời hạn hiện tại (%(day)s).") % {
            "day": f"{locked.deadline:%d/%m/%Y}"
        }
    elif not calendar.is_working_day(proposed_deadline):
        errors["proposed_deadline"] = _("Thời hạn đề nghị phải là ngày làm việc.")
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        task=locked,
        reason=reason,
        previous_deadline=locked.deadline,
        proposed_deadline=proposed_deadline,
        requested_by=actor,
        requested_at=clock.now(),
    )
    _save(locked)
    audit.record(
        actor=actor,
        action="extension.request",
        obj=locked,
        changes={"proposed_deadline": [None, proposed_deadline.isoformat()]},
        message=reason,
    )
    with translation.override("vi"):
        notify(
            recipients=[locked.assigned_by],
            title=_("Đề nghị gia hạn nhiệm vụ: %(content)s") % {"content": locked.content[:150]},
            body=_("%(unit)s đề nghị gia hạn đến ngày %(day)s.")
            % {"unit": locked.lead_unit, "day": f"{proposed_deadline:%d/%m/%Y}"},
            url=locked.get_absolute_url(),
        )
    return extension


def _locked_extension(extension: Extension, version: int) -> Extension:
    locked = Extension.objects.select_for_update(of=("self",)).select_related("task").get(pk=extension.pk)
    check_version(locked.version, version)
    return locked


def _decided(actor: User, extension: Extension, task: Task) -> dict[str, Any]:
    """Who decided, and whether on the leader's behalf (the Office on delegation)."""
    return {"on_delegation": [None, actor.pk != task.assigned_by_id]}


@transaction.atomic
def extension_approve(
    *, actor: User, extension: Extension, new_deadline: datetime.date, note: str, version: int
) -> Extension:
    """Approve with a new deadline (it may differ from the proposed one): the task's current
    deadline moves; its original deadline never does."""
    locked = _locked_extension(extension, version)
    authorize(actor, "decide", locked)
    task = Task.objects.select_for_update(of=("self",)).get(pk=locked.task_id)
    if task.status not in OPEN_STATUSES:
        raise ValidationError(_("Nhiệm vụ đã kết thúc: không còn gia hạn."))
    if not isinstance(new_deadline, datetime.date):
        raise ValidationError({"new_deadline": _("Vui lòng nhập thời hạn mới.")})
    if new_deadline <= task.deadline:
        raise ValidationError(
            {
                "new_deadline": _("Thời hạn mới phải sau thời hạn hiện tại (%(day)s).")
                % {"day": f"{task.deadline:%d/%m/%Y}"}
            }
        )
    if not calendar.is_working_day(new_deadline):
        raise ValidationError({"new_deadline": _("Thời hạn mới phải là ngày làm việc.")})
    locked.status = ExtensionStatus.APPROVED
    locked.new_deadline = new_deadline
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.decision_note = _text(note)
    locked.version += 1
    locked.save(
        update_fields=["status", "new_deadline", "decided_by", "decided_at", "decision_note", "version"]
    )
    before = task.deadline
    task.deadline = new_deadline
    _save(task, "deadline")
    audit.record(
        actor=actor,
        action="extension.approve",
        obj=task,
        changes={"deadline": [before.isoformat(), new_deadline.isoformat()], **_decided(actor, locked, task)},
        message=locked.decision_note,
    )
    _tell_requester(locked, task)
    return locked


@transaction.atomic
def extension_refuse(*, actor: User, extension: Extension, note: str, version: int) -> Extension:
    locked = _locked_extension(extension, version)
    authorize(actor, "decide", locked)
    task = locked.task
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("Vui lòng nêu lý do không đồng ý gia hạn.")})
    locked.status = ExtensionStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.decision_note = note
    locked.version += 1
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "version"])
    Task.objects.filter(pk=task.pk).update(version=task.version + 1)
    audit.record(
        actor=actor, action="extension.refuse", obj=task, changes=_decided(actor, locked, task), message=note
    )
    _tell_requester(locked, task)
    return locked


def _tell_requester(extension: Extension, task: Task) -> None:
    if extension.requested_by is None:
        return
    with translation.override("vi"):
        if extension.status == ExtensionStatus.APPROVED:
            assert extension.new_deadline is not None
            body = _("Đồng ý gia hạn đến ngày %(day)s.") % {"day": f"{extension.new_deadline:%d/%m/%Y}"}
        else:
            body = _("Không đồng ý gia hạn: %(note)s") % {"note": extension.decision_note}
        notify(
            recipients=[extension.requested_by],
            title=_("Kết quả đề nghị gia hạn: %(content)s") % {"content": task.content[:150]},
            body=body,
            url=task.get_absolute_url(),
        )
