"""Every write to campaigns: create, edit the draft, publish (takes a number), extend or
reopen the submission window, close."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import bounds, chronology, clock, numbering
from caicach.core.audit import services as audit
from caicach.core.models import DocumentType, Role, Unit, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize, principal
from caicach.core.text import normalise_input
from caicach.core.versioning import STALE_EDIT_MESSAGE, check_version
from caicach.initiatives.campaigns.queries import unit_heads_and_staff
from caicach.initiatives.models import Campaign, CampaignStatus

SCALAR_FIELDS = (
    "issuing_unit",
    "title",
    "legal_basis",
    "introduction",
    "purpose",
    "requirements",
    "initiative_requirements",
    "participants",
    "presentation_requirements",
    "solution_scope",
    "min_initiatives_per_unit",
    "reminder_working_days",
    "rubric",
    "window_start",
    "window_end",
    "receiving_unit",
    "contact",
    "submission_form",
    "implementation",
    "closing",
    "recipients",
    "signer_authority",
    "signer_title",
    "signer_name",
    "place",
)
M2M_FIELDS = ("reform_fields", "target_indices", "eligible_units")

# Kept as a name for older callers; the one shared message lives in core.versioning.
STALE_MESSAGE = STALE_EDIT_MESSAGE


def _split(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    unknown = set(data) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise TypeError(f"Unknown campaign fields: {sorted(unknown)}")
    clean = normalise_input(dict(data))
    scalars = {k: v for k, v in clean.items() if k in SCALAR_FIELDS}
    for name, value in scalars.items():
        if isinstance(value, str):
            scalars[name] = value.strip()
    relations = {k: list(v) for k, v in clean.items() if k in M2M_FIELDS}
    return scalars, relations


def _validate(campaign: Campaign) -> None:
    errors: dict[str, str] = {}
    for name in ("title", "legal_basis", "purpose", "requirements", "initiative_requirements", "participants",
                 "recipients", "signer_title", "place"):  # fmt: skip
        if not str(getattr(campaign, name) or "").strip():
            errors[name] = _("Vui lòng nhập nội dung này.")
    if campaign.window_start and campaign.window_end and campaign.window_end < campaign.window_start:
        errors["window_end"] = _("Ngày kết thúc nhận sáng kiến phải sau ngày bắt đầu.")
    chronology.add_span_error(
        errors,
        "window_start",
        campaign.window_start,
        chronology.PLANNED,
        what=_("Ngày bắt đầu nhận sáng kiến"),
    )
    chronology.add_span_error(
        errors, "window_end", campaign.window_end, chronology.PLANNED, what=_("Ngày kết thúc nhận sáng kiến")
    )
    if campaign.min_initiatives_per_unit < 1:
        errors["min_initiatives_per_unit"] = _("Mỗi đơn vị phải đề xuất ít nhất 1 sáng kiến.")
    for name, problem in bounds.range_errors(
        campaign, "min_initiatives_per_unit", "reminder_working_days"
    ).items():
        errors.setdefault(name, problem)
    lines = [line.strip() for line in campaign.recipients.splitlines() if line.strip()]
    if lines and not lines[-1].lstrip("- ").startswith("Lưu"):
        errors["recipients"] = _("Dòng cuối của nơi nhận phải là “Lưu: VT, …”.")
    items = campaign.implementation
    if not isinstance(items, list) or not all(
        isinstance(item, dict)
        and str(item.get("heading", "")).strip()
        and isinstance(item.get("duties", ""), str)
        for item in items
    ):
        errors["implementation"] = _("Mỗi mục tổ chức thực hiện cần có đơn vị (tiêu đề) và nhiệm vụ.")
    if errors:
        raise ValidationError(errors)


def _check_issuing_unit(actor: User, unit_id: int) -> None:
    """An administrator may issue for any unit; anyone else only for a unit within the
    jurisdiction of their reform-officer role (see ``Principal.scope_unit_ids``)."""
    who = principal(actor)
    scope = who.scope_unit_ids(Role.REFORM_OFFICER) if who is not None else set()
    if scope is not None and unit_id not in scope:
        raise ValidationError(
            {
                "issuing_unit": _(
                    "Bạn chỉ được lập kế hoạch cho cơ quan ban hành thuộc phạm vi phụ trách của mình."
                )
            }
        )


def _relation_ids(campaign: Campaign) -> dict[str, list[int]]:
    return {name: sorted(getattr(campaign, name).values_list("pk", flat=True)) for name in M2M_FIELDS}


@transaction.atomic
def campaign_create(*, actor: User, data: Mapping[str, Any]) -> Campaign:
    authorize(actor, "initiatives.create_campaign")
    scalars, relations = _split(data)
    campaign = Campaign(created_by=actor, **scalars)
    _validate(campaign)
    _check_issuing_unit(actor, campaign.issuing_unit_id)
    campaign.save()
    for name, values in relations.items():
        getattr(campaign, name).set(values)
    audit.record(
        actor=actor, action="campaign.create", obj=campaign, changes={"title": [None, campaign.title]}
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User, data: Mapping[str, Any], version: int) -> Campaign:
    """Edit a draft. ``version`` is the one the user's form was built from: if the row moved
    since, the edit is refused rather than silently overwriting someone else's."""
    locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    if locked.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Kế hoạch đã ban hành, không thể sửa nội dung."))
    scalars, relations = _split(data)
    before = audit.snapshot(locked, scalars.keys())
    relations_before = _relation_ids(locked)
    for name, value in scalars.items():
        setattr(locked, name, value)
    _validate(locked)
    if "issuing_unit" in scalars and locked.issuing_unit_id != before["issuing_unit"]:
        _check_issuing_unit(actor, locked.issuing_unit_id)
    changes = audit.diff(before, locked)
    for name, values in relations.items():
        getattr(locked, name).set(values)
    relations_after = _relation_ids(locked)
    for name in relations:
        if relations_before[name] != relations_after[name]:
            changes[name] = [relations_before[name], relations_after[name]]
    locked.version += 1
    locked.save(update_fields=[*scalars.keys(), "version", "updated_at"])
    audit.record(actor=actor, action="campaign.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def campaign_publish(*, campaign: Campaign, actor: User, issued_on: datetime.date | None = None) -> Campaign:
    """Issue the plan: it takes the next "KH" number of the issuing unit's register, and the
    heads and staff of the eligible units are told (inbox now, email once committed)."""
    # Lock the campaign row only: a plain FOR UPDATE would also lock the joined unit row
    # on PostgreSQL and block everyone editing or numbering for that unit meanwhile.
    locked = (
        Campaign.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=campaign.pk)
    )
    authorize(actor, "publish", locked)
    if locked.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Kế hoạch này đã được ban hành."))
    _validate(locked)
    day = issued_on or clock.today()
    numbering.issue(
        obj=locked, document_field="registered_document", unit=locked.issuing_unit,
        document_type=DocumentType.PLAN, title=f"Kế hoạch {locked.title}", issued_on=day, actor=actor,
        action="campaign.publish", stamp={"issued_on": day, "status": CampaignStatus.PUBLISHED},
    )  # fmt: skip
    _notify_eligible_units(locked)
    return locked


def _notify_eligible_units(campaign: Campaign) -> None:
    document = campaign.registered_document
    # One text for every recipient, in the language of the administration, whatever the
    # language of the person who pressed "Ban hành".
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Kế hoạch phát động sáng kiến: %(title)s") % {"title": campaign.title}
        body = _(
            "Kế hoạch số %(reference)s ngày %(day)s. Thời gian nhận sáng kiến, giải pháp từ ngày %(start)s "
            "đến hết ngày %(end)s."
        ) % {
            "reference": document.reference if document is not None else "",
            "day": f"{campaign.issued_on:%d/%m/%Y}" if campaign.issued_on else "",
            "start": f"{campaign.window_start:%d/%m/%Y}",
            "end": f"{campaign.window_end:%d/%m/%Y}",
        }
    notify(
        recipients=unit_heads_and_staff(Unit.objects.filter(campaigns_open=campaign).values("pk")),
        title=title,
        body=body,
        url=campaign.get_absolute_url(),
    )


def _locked(campaign: Campaign, version: int, actor: User) -> Campaign:
    # Lock the campaign row only (see campaign_publish).
    locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    return locked


@transaction.atomic
def campaign_extend_window(
    *, campaign: Campaign, actor: User, new_end: datetime.date, reason: str, version: int
) -> Campaign:
    """Extend the submission window of an issued plan, or reopen it (after the window ran
    out, or after the campaign was closed: a closed campaign becomes issued again). The new
    last day is today or later and not before the first day; an open window may only be
    lengthened. The reason is required and kept in the audit trail; the eligible units are
    told the new date."""
    locked = _locked(campaign, version, actor)
    if locked.status == CampaignStatus.DRAFT:
        raise ValidationError(_("Kế hoạch chưa ban hành: hãy sửa thời gian nhận sáng kiến trong dự thảo."))
    reason = normalise_input(reason or "").strip()
    today = clock.today()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Vui lòng nêu lý do gia hạn hoặc mở lại.")
    if problem := chronology.PLANNED.problem(new_end, what=_("Ngày kết thúc mới")):
        errors["new_end"] = problem
    elif new_end < today:
        errors["new_end"] = _("Ngày kết thúc mới không được trước ngày hôm nay (%(today)s).") % {
            "today": f"{today:%d/%m/%Y}"
        }
    elif new_end < locked.window_start:
        errors["new_end"] = _(
            "Ngày kết thúc mới không được trước ngày bắt đầu nhận sáng kiến (%(start)s)."
        ) % {"start": f"{locked.window_start:%d/%m/%Y}"}
    elif locked.status == CampaignStatus.PUBLISHED and new_end <= locked.window_end:
        errors["new_end"] = _(
            "Ngày kết thúc mới phải sau ngày kết thúc hiện tại (%(end)s): chỉ được gia hạn, không rút ngắn."
        ) % {"end": f"{locked.window_end:%d/%m/%Y}"}
    if errors:
        raise ValidationError(errors)
    changes: dict[str, list[object]] = {"window_end": [locked.window_end, new_end]}
    update_fields = ["window_end", "version", "updated_at"]
    if locked.status == CampaignStatus.CLOSED:
        changes["status"] = [CampaignStatus.CLOSED, CampaignStatus.PUBLISHED]
        locked.status = CampaignStatus.PUBLISHED
        update_fields.append("status")
    locked.window_end = new_end
    locked.version += 1
    locked.save(update_fields=update_fields)
    audit.record(actor=actor, action="campaign.extend", obj=locked, changes=changes, message=reason)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Gia hạn nhận sáng kiến: %(title)s") % {"title": locked.title}
        body = _(
            "Thời gian nhận sáng kiến, giải pháp được gia hạn đến hết ngày %(end)s. Lý do: %(reason)s"
        ) % {
            "end": f"{new_end:%d/%m/%Y}",
            "reason": reason,
        }
    notify(
        recipients=unit_heads_and_staff(Unit.objects.filter(campaigns_open=locked).values("pk")),
        title=title,
        body=body,
        url=locked.get_absolute_url(),
    )
    return locked


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor: User, version: int) -> Campaign:
    """End the campaign ("Kết thúc đợt"): no dossier is received any more, whatever the
    window says. It can be reopened with ``campaign_extend_window``."""
    locked = _locked(campaign, version, actor)
    if locked.status != CampaignStatus.PUBLISHED:
        raise ValidationError(_("Chỉ kết thúc được đợt phát động đã ban hành và chưa kết thúc."))
    locked.status = CampaignStatus.CLOSED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit.record(
        actor=actor,
        action="campaign.close",
        obj=locked,
        changes={"status": [CampaignStatus.PUBLISHED, CampaignStatus.CLOSED]},
    )
    return locked
