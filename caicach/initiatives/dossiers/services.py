"""Every write to an initiative dossier while its authors work on it: create, edit (fields and
the authors table as a whole), version snapshots, attachments.

The workflow (submit, confirm, accept, return) lives in ``services.workflow``; it calls
``version_record`` and ``campaign_window_error`` from here."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import chronology, clock
from caicach.core.audit import services as audit
from caicach.core.forms import parse_decimal_text
from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.core.permissions import authorize, may_act_for
from caicach.core.text import fold, normalise_input, search_words
from caicach.core.uploads import validate_upload
from caicach.core.versioning import check_version
from caicach.initiatives.dossiers.queries import ALL_SECTIONS, initiative_snapshot
from caicach.initiatives.dossiers.rules import EDITABLE_STATUSES
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    CampaignStatus,
    Initiative,
    InitiativeAttachment,
    InitiativeKind,
    InitiativeStatus,
    InitiativeVersion,
)

AuthorRow = Mapping[str, Any]

AUTHOR_TEXT_FIELDS = ("full_name", "workplace", "job_title", "qualification", "contribution")
AUTHOR_FIELDS = ("user", "date_of_birth", "share", "is_lead", *AUTHOR_TEXT_FIELDS)
# Two decimal places, as the column stores them; more would be silently rounded.
SHARE_QUANTUM = decimal.Decimal("0.01")
HUNDRED = decimal.Decimal(100)
MAX_AUTHORS = 50
MAX_ATTACHMENTS = 50

TEXT_FIELDS = tuple(
    name for name in (*Initiative.APPLICATION_FIELDS, *ALL_SECTIONS) if name != "first_applied_on"
)


def _max_length(name: str) -> int | None:
    field = Initiative._meta.get_field(name)
    return getattr(field, "max_length", None)


ACTION_LABELS = {
    "initiative.create": gettext_lazy("Tạo hồ sơ sáng kiến"),
    "initiative.update": gettext_lazy("Sửa hồ sơ sáng kiến"),
    "initiative.version": gettext_lazy("Lưu phiên bản hồ sơ"),
    "initiative.attachment_add": gettext_lazy("Đính kèm tệp"),
    "initiative.attachment_remove": gettext_lazy("Gỡ tệp đính kèm"),
}


# --- Authors table ----------------------------------------------------------------------------


def _share(value: Any, row: int) -> decimal.Decimal:
    if isinstance(value, float):
        value = str(value)  # 33.33 typed as a float means 33.33, not its binary approximation
    try:
        share = decimal.Decimal(parse_decimal_text(str(value))) if value not in (None, "") else None
    except decimal.InvalidOperation:
        share = None
    if share is None or not share.is_finite():
        raise ValidationError(
            _("Dòng %(row)s: tỷ lệ đóng góp không hợp lệ."), code="share", params={"row": row}
        )
    if share <= 0 or share > HUNDRED:
        raise ValidationError(
            _("Dòng %(row)s: tỷ lệ đóng góp phải lớn hơn 0 và không quá 100%%."),
            code="share",
            params={"row": row},
        )
    if share != share.quantize(SHARE_QUANTUM):
        raise ValidationError(
            _("Dòng %(row)s: tỷ lệ đóng góp chỉ ghi tối đa 2 chữ số thập phân."),
            code="share",
            params={"row": row},
        )
    return share.quantize(SHARE_QUANTUM)


def _percent(value: decimal.Decimal) -> str:
    """100.00 -> "100", 99.5 -> "99,5": how a Vietnamese reader writes a percentage."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def validate_authors(rows: Iterable[AuthorRow]) -> list[dict[str, Any]]:
    """Check the authors table as a whole and return it cleaned (NFC, trimmed, shares as
    Decimal, ``position`` 1..n in the given order). Raises one ValidationError listing every
    problem; row-specific messages name the row ("Dòng 2: …") and carry ``params["row"]``.

    Rules: at least one row; a name on each; shares > 0 with at most 2 decimals totalling
    exactly 100; exactly one lead author (a single author is the lead); no two rows for the
    same person (same folded name and date of birth, or the same account). The seed's table
    numbering two rows "2" cannot happen: positions are assigned here."""
    cleaned: list[dict[str, Any]] = []
    errors: list[ValidationError] = []
    for number, raw in enumerate(rows, start=1):
        unknown = set(raw) - set(AUTHOR_FIELDS) - {"position"}
        if unknown:
            raise TypeError(f"Unknown author fields: {sorted(unknown)}")
        row: dict[str, Any] = {"position": number}
        for name in AUTHOR_TEXT_FIELDS:
            value = normalise_input(raw.get(name) or "")
            row[name] = " ".join(str(value).split()) if name != "contribution" else str(value).strip()
        user = raw.get("user")
        if user is not None and not isinstance(user, User):
            raise TypeError("author 'user' must be a User or None")
        row["user"] = user
        born = raw.get("date_of_birth")
        if isinstance(born, datetime.datetime):
            born = born.date()
        if born is not None and not isinstance(born, datetime.date):
            raise TypeError("author 'date_of_birth' must be a date or None")
        row["date_of_birth"] = born
        row["is_lead"] = bool(raw.get("is_lead"))
        if not row["full_name"]:
            errors.append(
                ValidationError(
                    _("Dòng %(row)s: vui lòng nhập họ và tên tác giả."),
                    code="name",
                    params={"row": number},
                )
            )
        born_problem = chronology.BIRTH.problem(born, what=_("ngày sinh"))
        if born_problem:
            errors.append(
                ValidationError(
                    _("Dòng %(row)s: %(problem)s"),
                    code="date_of_birth",
                    params={"row": number, "problem": born_problem},
                )
            )
        if user is not None and not user.is_active:
            errors.append(
                ValidationError(
                    _("Dòng %(row)s: tài khoản %(user)s đã ngừng hoạt động."),
                    code="user",
                    params={"row": number, "user": str(user)},
                )
            )
        try:
            row["share"] = _share(raw.get("share"), number)
        except ValidationError as exc:
            errors.append(exc)
            row["share"] = None
        cleaned.append(row)

    if not cleaned:
        raise ValidationError(_("Phải có ít nhất một tác giả."), code="empty")
    if len(cleaned) > MAX_AUTHORS:
        errors.append(
            ValidationError(_("Bảng tác giả có tối đa %(max)s dòng.") % {"max": MAX_AUTHORS}, code="too_many")
        )

    shares = [row["share"] for row in cleaned if row["share"] is not None]
    if len(shares) == len(cleaned):
        total = sum(shares, decimal.Decimal(0))
        if total != HUNDRED:
            errors.append(
                ValidationError(
                    _("Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%% (hiện là %(total)s%%).")
                    % {"total": _percent(total)},
                    code="total",
                )
            )

    leads = [row for row in cleaned if row["is_lead"]]
    if not leads and len(cleaned) == 1:
        cleaned[0]["is_lead"] = True
    elif len(leads) != 1:
        errors.append(ValidationError(_("Phải có đúng một tác giả chính."), code="lead"))

    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in cleaned:
        keys: list[tuple[Any, ...]] = []
        if row["full_name"]:
            keys.append(("name", fold(row["full_name"]), row["date_of_birth"]))
        if row["user"] is not None:
            keys.append(("user", row["user"].pk))
        for key in keys:
            first = seen.get(key)
            if first is not None and first is not row:
                errors.append(
                    ValidationError(
                        _("Có hai dòng tác giả trùng nhau: dòng %(first)s và dòng %(second)s (%(name)s)."),
                        code="duplicate",
                        params={
                            "row": row["position"],
                            "first": first["position"],
                            "second": row["position"],
                            "name": row["full_name"],
                        },
                    )
                )
                break
            seen[key] = row
    if errors:
        raise ValidationError(errors)
    return cleaned


def _author_summary(row: Mapping[str, Any] | Authorship) -> str:
    """One line per author for the audit trail's before/after."""

    def get(name: str) -> Any:
        return row[name] if isinstance(row, Mapping) else getattr(row, name)

    born = get("date_of_birth")
    parts = [str(get("full_name"))]
    if born:
        parts.append(f"{born:%d/%m/%Y}")
    parts.append(f"{_percent(decimal.Decimal(get('share')))}%")
    if get("is_lead"):
        parts.append(_("tác giả chính"))
    return " — ".join(parts)


def _write_authors(initiative: Initiative, rows: Sequence[Mapping[str, Any]]) -> None:
    # The table is saved as a whole: delete and recreate. History lives in the version
    # snapshots and the audit trail, not in these rows.
    initiative.authorships.all().delete()
    Authorship.objects.bulk_create(
        Authorship(initiative=initiative, **{k: row[k] for k in ("position", *AUTHOR_FIELDS)}) for row in rows
    )


# --- Fields -----------------------------------------------------------------------------------


def _clean_fields(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    sections = (
        Initiative.EXPERIENCE_SECTIONS if kind == InitiativeKind.EXPERIENCE else Initiative.SOLUTION_SECTIONS
    )
    own = {*Initiative.APPLICATION_FIELDS, *sections}
    unknown = set(data) - {*Initiative.APPLICATION_FIELDS, *ALL_SECTIONS}
    if unknown:
        raise TypeError(f"Unknown initiative fields: {sorted(unknown)}")
    foreign = {name for name in set(data) - own if str(data[name] or "").strip()}
    if foreign:
        raise TypeError(f"Sections of the other kind of initiative: {sorted(foreign)}")
    clean: dict[str, Any] = {}
    for name, value in normalise_input(dict(data)).items():
        if name not in own:
            continue
        if name == "first_applied_on":
            if value is not None and not isinstance(value, datetime.date):
                raise TypeError("'first_applied_on' must be a date or None")
            clean[name] = value
        else:
            text = str(value or "").strip()
            # One-line fields: collapse stray whitespace (pasted from Word); texts keep lines.
            clean[name] = " ".join(text.split()) if _max_length(name) else text
    return clean


def _validate_fields(initiative: Initiative) -> None:
    errors: dict[str, str] = {}
    if not initiative.title:
        errors["title"] = _("Vui lòng nhập tên sáng kiến.")
    for name in TEXT_FIELDS:
        limit = _max_length(name)
        if limit and len(getattr(initiative, name)) > limit:
            errors[name] = _("Tối đa %(max)s ký tự.") % {"max": limit}
    if initiative.first_applied_on and initiative.first_applied_on > clock.today():
        errors["first_applied_on"] = _("Ngày áp dụng lần đầu không được sau ngày hôm nay.")
    chronology.add_span_error(
        errors,
        "first_applied_on",
        initiative.first_applied_on,
        chronology.PAST,
        what=_("Ngày áp dụng lần đầu"),
    )
    if errors:
        raise ValidationError(errors)


def default_addressee(campaign: Campaign | None) -> str:
    """ "Kính gửi": the campaign's council when it has one, else its receiving unit."""
    if campaign is None:
        return ""
    # A reverse one-to-one without a row raises an AttributeError subclass: hasattr is False.
    if hasattr(campaign, "council"):
        return campaign.council.name
    return campaign.receiving_unit.name


def campaign_window_error(campaign: Campaign, day: datetime.date) -> str | None:
    """Why ``campaign`` does not take dossiers on ``day`` (None when it does)."""
    if campaign.accepts_submissions(day):
        return None
    if campaign.status == CampaignStatus.DRAFT:
        return _("Đợt phát động chưa được ban hành, chưa nhận hồ sơ.")
    if campaign.status == CampaignStatus.CLOSED:
        return _("Đợt phát động đã kết thúc, không nhận thêm hồ sơ.")
    if day < campaign.window_start:
        return _("Đợt phát động bắt đầu nhận hồ sơ từ ngày %(day)s.") % {
            "day": f"{campaign.window_start:%d/%m/%Y}"
        }
    return _("Đợt phát động đã hết hạn nhận hồ sơ ngày %(day)s.") % {"day": f"{campaign.window_end:%d/%m/%Y}"}


def _ids(values: Iterable[Any]) -> list[int]:
    return sorted({int(v.pk if hasattr(v, "pk") else v) for v in values})


def _set_relations(
    initiative: Initiative, reform_fields: Iterable[Any] | None, target_indices: Iterable[Any] | None
) -> dict[str, list[list[int]]]:
    """Set the many-to-many choices; returns {field: [ids before, ids after]} for those that
    changed (ids, as the campaign services record them)."""
    changes: dict[str, list[list[int]]] = {}
    for name, values, model in (
        ("reform_fields", reform_fields, ReformField),
        ("target_indices", target_indices, ReformIndex),
    ):
        if values is None:
            continue
        wanted = _ids(values)
        if model.objects.filter(pk__in=wanted).count() != len(wanted):
            raise ValidationError({name: _("Có lựa chọn không hợp lệ.")})
        manager = getattr(initiative, name)
        before = sorted(manager.values_list("pk", flat=True))
        if before != wanted:
            manager.set(wanted)
            changes[name] = [before, wanted]
    return changes


# --- Create and update ------------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *,
    actor: User,
    unit: Unit,
    campaign: Campaign | None,
    kind: str,
    data: Mapping[str, Any],
    authors: Sequence[AuthorRow],
    reform_fields: Iterable[Any] = (),
    target_indices: Iterable[Any] = (),
) -> Initiative:
    """A new draft dossier of ``unit``, inside ``campaign`` or on its own. ``data`` holds the
    application fields and the sections of ``kind``; ``authors`` the authors table in order."""
    if kind not in InitiativeKind.values:
        raise ValidationError({"kind": _("Loại sáng kiến không hợp lệ.")})
    if not may_act_for(actor, unit.pk):
        raise PermissionDenied(_("Bạn chỉ được lập hồ sơ sáng kiến cho đơn vị mình công tác."))
    fields = _clean_fields(kind, data)
    if campaign is not None:
        problem = campaign_window_error(campaign, clock.today())
        if problem:
            raise ValidationError(problem, code="campaign_window")
        if not campaign.eligible_units.filter(pk=unit.pk).exists():
            raise ValidationError(
                _("%(unit)s không thuộc danh sách đơn vị tham gia đợt phát động này.") % {"unit": unit.name},
                code="not_eligible",
            )
        if not fields.get("addressee"):
            fields["addressee"] = default_addressee(campaign)
    initiative = Initiative(
        campaign=campaign, unit=unit, kind=kind, status=InitiativeStatus.DRAFT, created_by=actor, **fields
    )
    errors: dict[str, list[str]] = {}
    try:
        _validate_fields(initiative)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        rows = validate_authors(authors)
    except ValidationError as exc:
        errors["authors"] = exc.messages
    if errors:
        raise ValidationError(errors)
    initiative.save()
    _write_authors(initiative, rows)
    _set_relations(initiative, reform_fields, target_indices)
    refresh_search_text(initiative)
    audit.record(
        actor=actor,
        action="initiative.create",
        obj=initiative,
        changes={"title": [None, initiative.title], "authors": [None, [_author_summary(r) for r in rows]]},
    )
    return initiative


@transaction.atomic
def initiative_update(
    *,
    initiative: Initiative,
    actor: User,
    data: Mapping[str, Any],
    authors: Sequence[AuthorRow] | None,
    version: int,
    reform_fields: Iterable[Any] | None = None,
    target_indices: Iterable[Any] | None = None,
) -> Initiative:
    """Save the authors' edits of a draft or returned dossier. ``data`` may hold any subset of
    the fields; ``authors`` (None: unchanged) replaces the whole table. ``version`` is the one
    the form was built from: a dossier changed meanwhile is refused, nothing saved."""
    locked = Initiative.objects.select_for_update(of=("self",)).get(pk=initiative.pk)
    check_version(locked.version, version)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không thể sửa.")
            % {"status": locked.get_status_display()},
            code="status",
        )
    authorize(actor, "change", locked)
    fields = _clean_fields(locked.kind, data)
    before = audit.snapshot(locked, fields.keys())
    for name, value in fields.items():
        setattr(locked, name, value)
    errors: dict[str, list[str]] = {}
    try:
        _validate_fields(locked)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    rows: list[dict[str, Any]] | None = None
    if authors is not None:
        try:
            rows = validate_authors(authors)
        except ValidationError as exc:
            errors["authors"] = exc.messages
    if errors:
        raise ValidationError(errors)
    changes = audit.diff(before, locked)
    if rows is not None:
        old = [_author_summary(a) for a in locked.authorships.order_by("position")]
        old_users = list(locked.authorships.order_by("position").values_list("user_id", flat=True))
        new = [_author_summary(r) for r in rows]
        # Contribution texts and workplaces are not in the summary line: compare them too.
        old_full = list(
            locked.authorships.order_by("position").values_list(*AUTHOR_TEXT_FIELDS, "date_of_birth", "share")
        )
        new_full = [(*(r[n] for n in AUTHOR_TEXT_FIELDS), r["date_of_birth"], r["share"]) for r in rows]
        if old != new or old_full != new_full or old_users != [r["user"] and r["user"].pk for r in rows]:
            changes["authors"] = [old, new]
            _write_authors(locked, rows)
    changes.update(_set_relations(locked, reform_fields, target_indices))
    locked.version += 1
    locked.save(update_fields=[*fields.keys(), "version", "updated_at"])
    refresh_search_text(locked)
    audit.record(actor=actor, action="initiative.update", obj=locked, changes=changes)
    return locked


def refresh_search_text(initiative: Initiative) -> None:
    """Rebuild the folded search column: title, authors' names and every text section (it
    spans the authors table, so the services keep it rather than ``save()``)."""
    names = initiative.authorships.order_by("position").values_list("full_name", flat=True)
    parts = [initiative.title, *names, *(getattr(initiative, n) for n in TEXT_FIELDS if n != "title")]
    initiative.search_text = search_words(" ".join(p for p in parts if p))
    Initiative.objects.filter(pk=initiative.pk).update(search_text=initiative.search_text)


# --- Versions ---------------------------------------------------------------------------------


@transaction.atomic
def version_record(*, initiative: Initiative, actor: User, note: str) -> InitiativeVersion:
    """Freeze ``initiative`` as the next numbered version (called on submission). The copy
    is taken from the instance given, so pass the row just locked and updated, not a stale
    one; the authors and attachments are read from the database."""
    # Lock the dossier so two submissions cannot take the same number.
    Initiative.objects.select_for_update(of=("self",)).filter(pk=initiative.pk).first()
    last = InitiativeVersion.objects.filter(initiative=initiative).aggregate(n=Max("number"))["n"] or 0
    version = InitiativeVersion.objects.create(
        initiative=initiative,
        number=last + 1,
        data=initiative_snapshot(initiative),
        note=normalise_input(note)[:255],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="initiative.version",
        obj=initiative,
        message=_("Phiên bản %(number)s. %(note)s") % {"number": version.number, "note": version.note},
    )
    return version


# --- Attachments ------------------------------------------------------------------------------


def _check_editable(initiative: Initiative, actor: User) -> None:
    if initiative.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không thể thay đổi tệp đính kèm.")
            % {"status": initiative.get_status_display()},
            code="status",
        )
    authorize(actor, "change", initiative)


@transaction.atomic
def attachment_add(
    *, initiative: Initiative, actor: User, upload: UploadedFile, description: str = ""
) -> InitiativeAttachment:
    """Attach a checked file (type sniffed from its content, size, safe stored name; see
    ``caicach.core.uploads``) to a draft or returned dossier."""
    locked = Initiative.objects.select_for_update(of=("self",)).get(pk=initiative.pk)
    _check_editable(locked, actor)
    if locked.attachments.filter(removed_at__isnull=True).count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("Mỗi hồ sơ đính kèm tối đa %(max)s tệp.") % {"max": MAX_ATTACHMENTS}, code="too_many"
        )
    checked = validate_upload(upload)
    description = " ".join(str(normalise_input(description or "")).split())
    if len(description) > 255:
        raise ValidationError({"description": _("Tối đa %(max)s ký tự.") % {"max": 255}})
    attachment = InitiativeAttachment(
        initiative=locked,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        uploaded_by=actor,
    )
    upload.seek(0)
    attachment.file.save(checked.stored_name, upload, save=False)
    try:
        attachment.save()
        audit.record(
            actor=actor,
            action="initiative.attachment_add",
            obj=locked,
            changes={"attachments": [None, checked.display_name]},
        )
    except BaseException:
        # The row is rolled back with the transaction; the file would be left behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: InitiativeAttachment, actor: User) -> None:
    """Hide a file from the dossier. The row and the file stay (earlier versions name it)."""
    locked = InitiativeAttachment.objects.select_for_update(of=("self",)).get(pk=attachment.pk)
    initiative = Initiative.objects.get(pk=locked.initiative_id)
    _check_editable(initiative, actor)
    if locked.removed_at is not None:
        return
    locked.removed_at = clock.now()
    locked.save(update_fields=["removed_at"])
    attachment.removed_at = locked.removed_at
    audit.record(
        actor=actor,
        action="initiative.attachment_remove",
        obj=initiative,
        changes={"attachments": [locked.original_name, None]},
    )
