"""Every write on the practice catalogue: Home Affairs creates and edits practices, attaches
files, evaluates the units' proposals (accept, or decline with a note), publishes accepted
practices to the showcase, and turns a recognised initiative into a practice in one action;
a unit proposes a practice of its own or seen elsewhere."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize
from caicach.core.text import normalise_input
from caicach.core.uploads import validate_upload
from caicach.core.versioning import check_version
from caicach.initiatives.models import Initiative
from caicach.replication.models import Practice, PracticeAttachment, PracticeKind, PracticeStatus
from caicach.replication.practices.queries import committee_above

AUDIT_LABELS = {
    "replication_practice.create": gettext_lazy("Thêm mô hình, giải pháp"),
    "replication_practice.update": gettext_lazy("Sửa mô hình, giải pháp"),
    "replication_practice.propose": gettext_lazy("Đề xuất mô hình, cách làm hay"),
    "replication_practice.accept": gettext_lazy("Chọn mô hình đề xuất để nhân rộng"),
    "replication_practice.decline": gettext_lazy("Không chọn mô hình đề xuất"),
    "replication_practice.publish": gettext_lazy("Công khai mô hình, giải pháp"),
    "replication_practice.unpublish": gettext_lazy("Thôi công khai mô hình, giải pháp"),
    "replication_practice.from_initiative": gettext_lazy("Tạo mô hình từ sáng kiến được công nhận"),
    "replication_practice.attach": gettext_lazy("Đính kèm tệp vào mô hình, giải pháp"),
}

TEXT_FIELDS = (
    "name",
    "origin_external_name",
    "summary",
    "implementation_steps",
    "conditions",
    "cost",
    "contact",
)
EDIT_FIELDS = (*TEXT_FIELDS, "kind", "origin_unit")
MAX_ATTACHMENTS = 20


def _vietnamese(text: object) -> str:
    """Notifications speak the administration's language, whoever triggered them."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _clean(value: str) -> str:
    return str(normalise_input(value or "")).strip()


def _check(values: dict[str, str], kind: str, origin_unit: Unit | None) -> None:
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Vui lòng nhập tên mô hình, giải pháp.")
    elif len(values["name"]) > 500:
        errors["name"] = _("Tên mô hình, giải pháp không được dài quá 500 ký tự.")
    if not values["summary"]:
        errors["summary"] = _("Vui lòng nhập tóm tắt nội dung.")
    if kind not in PracticeKind.values:
        errors["kind"] = _("Loại mô hình, giải pháp không hợp lệ.")
    if len(values["origin_external_name"]) > 255:
        errors["origin_external_name"] = _("Tên đơn vị ngoài tỉnh không được dài quá 255 ký tự.")
    if origin_unit is None and not values["origin_external_name"]:
        errors["origin_unit"] = _("Vui lòng chọn đơn vị xây dựng, hoặc ghi tên đơn vị ngoài tỉnh.")
    if origin_unit is not None and values["origin_external_name"]:
        errors["origin_external_name"] = _(
            "Chỉ chọn đơn vị trong tỉnh hoặc ghi tên đơn vị ngoài tỉnh, không cả hai."
        )
    if errors:
        raise ValidationError(errors)


def _texts(**texts: str) -> dict[str, str]:
    return {name: _clean(texts.get(name, "")) for name in TEXT_FIELDS}


def _locked(practice: Practice) -> Practice:
    return Practice.objects.select_for_update(of=("self",)).select_related("committee").get(pk=practice.pk)


@transaction.atomic
def practice_create(
    *,
    actor: User,
    committee: Unit,
    name: str,
    kind: str,
    summary: str,
    origin_unit: Unit | None = None,
    origin_external_name: str = "",
    implementation_steps: str = "",
    conditions: str = "",
    cost: str = "",
    contact: str = "",
    reform_fields: Iterable[ReformField] = (),
    indices: Iterable[ReformIndex] = (),
) -> Practice:
    """A practice of ``committee``'s catalogue, accepted at once: Home Affairs chose it."""
    authorize(actor, "create_practice", committee)
    values = _texts(
        name=name,
        origin_external_name=origin_external_name,
        summary=summary,
        implementation_steps=implementation_steps,
        conditions=conditions,
        cost=cost,
        contact=contact,
    )
    _check(values, kind, origin_unit)
    practice = Practice.objects.create(
        committee=committee,
        kind=kind,
        status=PracticeStatus.ACCEPTED,
        origin_unit=origin_unit,
        created_by=actor,
        evaluated_by=actor,
        evaluated_at=clock.now(),
        **values,
    )
    practice.reform_fields.set(reform_fields)
    practice.indices.set(indices)
    audit.record(actor=actor, action="replication_practice.create", obj=practice)
    return practice


@transaction.atomic
def practice_update(
    *,
    actor: User,
    practice: Practice,
    version: int | None,
    name: str,
    kind: str,
    summary: str,
    origin_unit: Unit | None = None,
    origin_external_name: str = "",
    implementation_steps: str = "",
    conditions: str = "",
    cost: str = "",
    contact: str = "",
    reform_fields: Iterable[ReformField] = (),
    indices: Iterable[ReformIndex] = (),
) -> Practice:
    locked = _locked(practice)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    values = _texts(
        name=name,
        origin_external_name=origin_external_name,
        summary=summary,
        implementation_steps=implementation_steps,
        conditions=conditions,
        cost=cost,
        contact=contact,
    )
    _check(values, kind, origin_unit)
    before = audit.snapshot(locked, EDIT_FIELDS)
    fields_before = sorted(locked.reform_fields.values_list("pk", flat=True))
    indices_before = sorted(locked.indices.values_list("pk", flat=True))
    for field_name, value in values.items():
        setattr(locked, field_name, value)
    locked.kind = kind
    locked.origin_unit = origin_unit
    locked.version += 1
    locked.save(update_fields=[*EDIT_FIELDS, "version", "updated_at"])
    locked.reform_fields.set(reform_fields)
    locked.indices.set(indices)
    practice.version = locked.version
    changes = audit.diff(before, locked)
    fields_after = sorted(locked.reform_fields.values_list("pk", flat=True))
    indices_after = sorted(locked.indices.values_list("pk", flat=True))
    if fields_after != fields_before:
        changes["reform_fields"] = [fields_before, fields_after]
    if indices_after != indices_before:
        changes["indices"] = [indices_before, indices_after]
    audit.record(actor=actor, action="replication_practice.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def practice_propose(
    *,
    actor: User,
    proposing_unit: Unit,
    name: str,
    kind: str,
    summary: str,
    proposal_note: str,
    origin_unit: Unit | None = None,
    origin_external_name: str = "",
    implementation_steps: str = "",
    conditions: str = "",
    cost: str = "",
    contact: str = "",
    reform_fields: Iterable[ReformField] = (),
    indices: Iterable[ReformIndex] = (),
) -> Practice:
    """A unit introduces a practice of its own or one seen elsewhere ("giới thiệu các mô hình,
    cách làm hay"); the committee above it evaluates."""
    authorize(actor, "propose_practice", proposing_unit)
    committee = committee_above(proposing_unit)
    if committee is None:
        raise ValidationError(_("Đơn vị của bạn không trực thuộc UBND nào để gửi đề xuất."))
    values = _texts(
        name=name,
        origin_external_name=origin_external_name,
        summary=summary,
        implementation_steps=implementation_steps,
        conditions=conditions,
        cost=cost,
        contact=contact,
    )
    note = _clean(proposal_note)
    if origin_unit is None and not values["origin_external_name"]:
        # Its own practice unless it names where it was seen.
        origin_unit = proposing_unit
    _check(values, kind, origin_unit)
    if not note:
        raise ValidationError({"proposal_note": _("Vui lòng nêu nơi đã áp dụng và lý do đề xuất nhân rộng.")})
    practice = Practice.objects.create(
        committee=committee,
        kind=kind,
        status=PracticeStatus.PROPOSED,
        origin_unit=origin_unit,
        proposed_by=actor,
        proposing_unit=proposing_unit,
        proposal_note=note,
        created_by=actor,
        **values,
    )
    practice.reform_fields.set(reform_fields)
    practice.indices.set(indices)
    audit.record(actor=actor, action="replication_practice.propose", obj=practice)
    return practice


@transaction.atomic
def practice_evaluate(
    *, actor: User, practice: Practice, version: int | None, accept: bool, note: str = ""
) -> Practice:
    """Home Affairs accepts a proposal for replication or declines it (a note is required to
    decline: the unit must know why). The proposer is told."""
    locked = _locked(practice)
    authorize(actor, "view", locked)
    if locked.status != PracticeStatus.PROPOSED:
        raise ValidationError(_("Đề xuất này đã được đánh giá."))
    authorize(actor, "evaluate", locked)
    check_version(locked.version, version)
    text = _clean(note)
    if not accept and not text:
        raise ValidationError({"note": _("Vui lòng nêu lý do không chọn đề xuất.")})
    before = audit.snapshot(locked, ("status", "evaluation_note"))
    locked.status = PracticeStatus.ACCEPTED if accept else PracticeStatus.DECLINED
    locked.evaluation_note = text
    locked.evaluated_by = actor
    locked.evaluated_at = clock.now()
    locked.version += 1
    locked.save(
        update_fields=["status", "evaluation_note", "evaluated_by", "evaluated_at", "version", "updated_at"]
    )
    practice.version = locked.version
    audit.record(
        actor=actor,
        action="replication_practice.accept" if accept else "replication_practice.decline",
        obj=locked,
        changes=audit.diff(before, locked),
    )
    if locked.proposed_by_id is not None:
        title = (
            gettext_lazy("Đề xuất “%(name)s” được chọn để nhân rộng")
            if accept
            else gettext_lazy("Đề xuất “%(name)s” không được chọn")
        )
        notify(
            recipients=User.objects.filter(pk=locked.proposed_by_id),
            title=_vietnamese(title) % {"name": locked.name},
            body=text,
            url=locked.get_absolute_url(),
        )
    return locked


@transaction.atomic
def practice_publish(*, actor: User, practice: Practice, version: int | None, publish: bool) -> Practice:
    """Put an accepted practice on the public showcase, or take it off."""
    locked = _locked(practice)
    authorize(actor, "view", locked)
    if locked.status != PracticeStatus.ACCEPTED:
        raise ValidationError(_("Chỉ công khai được mô hình, giải pháp đã được chọn để nhân rộng."))
    authorize(actor, "publish", locked)
    check_version(locked.version, version)
    if locked.is_published == publish:
        raise ValidationError(
            _("Mô hình đã được công khai.") if publish else _("Mô hình chưa được công khai.")
        )
    locked.is_published = publish
    locked.published_at = clock.now() if publish else None
    locked.version += 1
    locked.save(update_fields=["is_published", "published_at", "version", "updated_at"])
    practice.version = locked.version
    audit.record(
        actor=actor,
        action="replication_practice.publish" if publish else "replication_practice.unpublish",
        obj=locked,
        changes={"is_published": [not publish, publish]},
    )
    return locked


@transaction.atomic
def practice_attach(
    *, actor: User, practice: Practice, upload: UploadedFile, description: str = "", is_public: bool = False
) -> PracticeAttachment:
    """A checked file (``caicach.core.uploads``); ``is_public``: the showcase may show it."""
    locked = _locked(practice)
    authorize(actor, "change", locked)
    if PracticeAttachment.objects.filter(practice=locked).count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("Mỗi mô hình đính kèm tối đa %(max)s tệp.") % {"max": MAX_ATTACHMENTS}, code="too_many"
        )
    text = _clean(description)
    if len(text) > 255:
        raise ValidationError({"description": _("Mô tả không được dài quá 255 ký tự.")})
    checked = validate_upload(upload)
    attachment = PracticeAttachment(
        practice=locked, name=checked.display_name, description=text, is_public=is_public, uploaded_by=actor
    )
    upload.seek(0)
    attachment.file.save(checked.stored_name, upload, save=False)
    try:
        attachment.save()
        audit.record(
            actor=actor,
            action="replication_practice.attach",
            obj=locked,
            changes={"attachments": [None, checked.display_name]},
            message=_("Công khai") if is_public else "",
        )
    except BaseException:
        # The row is rolled back with the transaction; the file would be left behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


_KIND_OF_INITIATIVE = {"solution": PracticeKind.SOLUTION}


@transaction.atomic
def practice_from_initiative(*, actor: User, initiative: Initiative) -> Practice:
    """A recognised initiative becomes an accepted practice of the committee that ran its
    campaign, in one action. Its authors, certificate and effectiveness reports stay on the
    initiative and are shown from there; one practice per initiative."""
    locked = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit")
        .get(pk=initiative.pk)
    )
    authorize(actor, "view", locked)
    existing = Practice.objects.filter(initiative=locked).first()
    if existing is not None:
        raise ValidationError(
            _("Sáng kiến này đã có mô hình “%(name)s” trong danh mục nhân rộng.") % {"name": existing.name}
        )
    authorize(actor, "make_practice", locked)
    committee = locked.campaign.issuing_unit if locked.campaign is not None else committee_above(locked.unit)
    if committee is None:
        raise ValidationError(_("Không xác định được UBND quản lý danh mục của sáng kiến này."))
    summary = _clean(locked.essence) or _clean(locked.purpose) or _clean(locked.results) or locked.title
    try:
        with transaction.atomic():
            practice = Practice.objects.create(
                committee=committee,
                name=_clean(locked.title)[:500],
                kind=_KIND_OF_INITIATIVE.get(locked.kind, PracticeKind.WAY_OF_WORKING),
                status=PracticeStatus.ACCEPTED,
                origin_unit=locked.unit,
                summary=summary,
                implementation_steps=_clean(locked.solution_steps) or _clean(locked.measures),
                conditions=_clean(locked.application_conditions) or _clean(locked.application_scope),
                initiative=locked,
                created_by=actor,
                evaluated_by=actor,
                evaluated_at=clock.now(),
            )
    except IntegrityError as exc:  # a second click racing the first
        raise ValidationError(_("Sáng kiến này đã có mô hình trong danh mục nhân rộng.")) from exc
    practice.reform_fields.set(locked.reform_fields.all())
    practice.indices.set(locked.target_indices.all())
    audit.record(
        actor=actor,
        action="replication_practice.from_initiative",
        obj=practice,
        changes={"initiative": [None, locked.pk]},
    )
    return practice
