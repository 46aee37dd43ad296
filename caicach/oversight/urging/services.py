"""Every write of urging: the Office drafts an urging notice to a unit about its overdue tasks;
a leader of the committee signs and issues it — the number from the committee's register of
official letters (drafted by the Office: "…/UBND-VP"), the DOCX frozen, the unit told, each
task's urge count moved on; the Office keeps the committee's follow-up settings."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock, numbering, rendering
from caicach.core.audit import services as audit
from caicach.core.models import DocumentType, Unit, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import COMMITTEE_KINDS, authorize
from caicach.core.text import normalise_input
from caicach.core.versioning import check_version
from caicach.oversight.models import OversightSettings, Task, UrgingNotice
from caicach.oversight.urging import queries
from caicach.oversight.urging.documents import NUMBERING_TITLE, notice_spec, office_of
from caicach.replication.directives.documents import leader_signature

AUDIT_LABELS = {
    "urging_notice.create": gettext_lazy("Soạn văn bản đôn đốc nhiệm vụ"),
    "urging_notice.update": gettext_lazy("Sửa văn bản đôn đốc nhiệm vụ"),
    "urging_notice.issue": gettext_lazy("Ban hành văn bản đôn đốc nhiệm vụ"),
    "oversight_settings.update": gettext_lazy("Sửa thiết lập theo dõi nhiệm vụ"),
}

FROZEN_FILES = "oversight/urging"
BODY_LIMIT = 20000
SETTINGS_FIELDS = (
    "remind_before_working_days",
    "overdue_every_working_days",
    "due_soon_working_days",
    "repeated_overdue_after",
)
SETTINGS_LIMITS = {"remind_before_working_days": (0, 30), "overdue_every_working_days": (1, 60),
                   "due_soon_working_days": (1, 60), "repeated_overdue_after": (1, 20)}  # fmt: skip
ISSUED_MESSAGE = gettext_lazy("Văn bản đôn đốc này đã được ban hành.")


def _vietnamese(text: object) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _clean(value: str) -> str:
    return str(normalise_input(value or "")).strip()


def _check(committee: Unit, unit: Unit, tasks: Sequence[Task], body: str, today: datetime.date) -> None:
    errors: dict[str, str] = {}
    if not tasks:
        errors["tasks"] = _("Vui lòng chọn ít nhất một nhiệm vụ quá hạn.")
    else:
        overdue = set(queries.overdue_tasks_of(committee, unit, today).values_list("pk", flat=True))
        stray = [task for task in tasks if task.pk not in overdue]
        if stray:
            errors["tasks"] = _(
                "Nhiệm vụ không còn quá hạn hoặc không thuộc đơn vị được đôn đốc: %(tasks)s."
            ) % {"tasks": "; ".join(task.content[:80] for task in stray)}
    if not body:
        errors["body"] = _("Vui lòng nhập nội dung văn bản.")
    elif len(body) > BODY_LIMIT:
        errors["body"] = _("Nội dung không được dài quá %(limit)s ký tự.") % {"limit": BODY_LIMIT}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_create(
    *, actor: User, committee: Unit, unit: Unit, tasks: Sequence[Task], body: str, recipients: str = ""
) -> UrgingNotice:
    """A draft urging notice of ``committee``'s Office to ``unit`` about overdue ``tasks``."""
    authorize(actor, "oversight.urge_in", committee)
    text = _clean(body)
    _check(committee, unit, tasks, text, clock.today())
    notice = UrgingNotice.objects.create(
        committee=committee, unit=unit, body=text, recipients=_clean(recipients), created_by=actor
    )
    notice.tasks.set(tasks)
    audit.record(
        actor=actor,
        action="urging_notice.create",
        obj=notice,
        message=_vietnamese(gettext_lazy("%(count)s nhiệm vụ quá hạn của %(unit)s."))
        % {"count": len(tasks), "unit": unit.name},
    )
    return notice


def _locked(notice: UrgingNotice) -> UrgingNotice:
    return (
        UrgingNotice.objects.select_for_update(of=("self",))
        .select_related("committee__parent", "unit", "registered_document")
        .get(pk=notice.pk)
    )


@transaction.atomic
def notice_update(
    *,
    actor: User,
    notice: UrgingNotice,
    version: int | None,
    tasks: Sequence[Task],
    body: str,
    recipients: str,
) -> UrgingNotice:
    """Change the draft's tasks, text and recipients; refused on a stale copy or once issued."""
    locked = _locked(notice)
    authorize(actor, "view", locked)
    if locked.registered_document_id is not None:
        raise ValidationError(ISSUED_MESSAGE)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    text = _clean(body)
    _check(locked.committee, locked.unit, tasks, text, clock.today())
    before = {
        "body": locked.body,
        "recipients": locked.recipients,
        "tasks": sorted(locked.tasks.values_list("pk", flat=True)),
    }
    locked.body = text
    locked.recipients = _clean(recipients)
    locked.version += 1
    locked.save(update_fields=["body", "recipients", "version"])
    locked.tasks.set(tasks)
    after = {"body": locked.body, "recipients": locked.recipients, "tasks": sorted(task.pk for task in tasks)}
    notice.version = locked.version
    audit.record(
        actor=actor,
        action="urging_notice.update",
        obj=locked,
        changes={name: [before[name], after[name]] for name in before if before[name] != after[name]},
    )
    return locked


def issue_problems(notice: UrgingNotice, today: datetime.date) -> list[str]:
    """Why the draft cannot be issued now (empty: it can); asked by the page before it offers
    a number, and again by the service under the lock."""
    if notice.registered_document_id is not None:
        return [str(ISSUED_MESSAGE)]
    problems: list[str] = []
    overdue = set(
        queries.overdue_tasks_of(notice.committee_id, notice.unit_id, today).values_list("pk", flat=True)
    )
    listed = list(notice.tasks.order_by("pk"))
    if not listed:
        problems.append(_("Văn bản chưa nêu nhiệm vụ nào."))
    for task in listed:
        if task.pk not in overdue:
            problems.append(
                _("Nhiệm vụ “%(task)s” không còn quá hạn; vui lòng sửa văn bản.")
                % {"task": task.content[:80]}
            )
    if not notice.body.strip():
        problems.append(_("Văn bản chưa có nội dung."))
    return problems


def _freeze(notice: UrgingNotice, office: Unit) -> str:
    """Render the issued notice once and keep the file: it downloads exactly as signed."""
    document = rendering.render(notice_spec(notice, office=office), "docx")
    return default_storage.save(
        f"{FROZEN_FILES}/{notice.pk}/{document.filename}", ContentFile(document.content)
    )


def _notify_unit(notice: UrgingNotice) -> None:
    people = queries.unit_people([notice.unit_id]).get(notice.unit_id, {})
    reference = notice.registered_document.reference if notice.registered_document else ""
    notify(
        recipients=list(people.values()),
        title=_vietnamese(gettext_lazy("Văn bản đôn đốc thực hiện nhiệm vụ quá hạn")),
        body=_vietnamese(gettext_lazy("Văn bản số %(reference)s của %(committee)s."))
        % {"reference": reference, "committee": notice.committee.name},
        url=notice.get_absolute_url(),
    )


@transaction.atomic
def notice_issue(*, actor: User, notice: UrgingNotice, version: int | None) -> UrgingNotice:
    """A leader of the committee signs and issues the notice today: the next number of the
    committee's official letters (drafted by its Office), the signer's block, the DOCX
    frozen, the unit's heads and staff told, and each task urged once more. Issuing twice is
    refused."""
    locked = _locked(notice)
    authorize(actor, "view", locked)
    if locked.registered_document_id is not None:
        raise ValidationError(ISSUED_MESSAGE)
    authorize(actor, "issue", locked)
    check_version(locked.version, version)
    day = clock.today()
    problems = issue_problems(locked, day)
    if problems:
        raise ValidationError(problems)
    office = office_of(locked.committee)
    signature = leader_signature(actor, for_committee=rendering.is_committee(locked.committee))
    task_ids = list(locked.tasks.values_list("pk", flat=True))
    numbering.issue(
        obj=locked,
        document_field="registered_document",
        unit=locked.committee,
        document_type=DocumentType.OFFICIAL_LETTER,
        title=NUMBERING_TITLE,
        issued_on=day,
        actor=actor,
        action="urging_notice.issue",
        stamp={
            "issued_on": day,
            "signer": actor,
            "signer_authority": signature.authority,
            "signer_title": signature.title,
            "signer_name": signature.name,
        },
        drafting_unit=office,
        message=_vietnamese(gettext_lazy("Đôn đốc %(count)s nhiệm vụ quá hạn của %(unit)s."))
        % {"count": len(task_ids), "unit": locked.unit.name},
    )
    Task.objects.filter(pk__in=task_ids).update(urge_count=F("urge_count") + 1)
    locked.document_file = _freeze(locked, office)
    locked.save(update_fields=["document_file"])
    notice.version = locked.version
    _notify_unit(locked)
    return locked


# --- Settings -----------------------------------------------------------------------------------


@transaction.atomic
def oversight_settings_update(
    *, actor: User, unit: Unit, data: dict[str, Any], version: int | None
) -> OversightSettings:
    """A committee's follow-up settings. ``version`` None: the committee had no row yet, so
    the form was built from the defaults."""
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings fields: {sorted(unknown)}")
    authorize(actor, "oversight.settings", unit)
    if unit.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("Thiết lập theo dõi nhiệm vụ là của một Ủy ban nhân dân."))
    errors: dict[str, str] = {}
    for name, (low, high) in SETTINGS_LIMITS.items():
        value = data.get(name)
        if name in data and (not isinstance(value, int) or not low <= value <= high):
            errors[name] = _("Giá trị phải từ %(low)s đến %(high)s.") % {"low": low, "high": high}
    if errors:
        raise ValidationError(errors)
    current = OversightSettings.objects.select_for_update().filter(unit=unit).first()
    if current is None:
        if version is not None:
            raise ValidationError(_("Thiết lập đã bị xóa trong lúc bạn sửa; vui lòng tải lại trang."))
        current = OversightSettings(unit=unit)
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
        actor=actor, action="oversight_settings.update", obj=current, changes=audit.diff(before, current)
    )
    return current
