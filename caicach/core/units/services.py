"""Writes to the organisation tree: create, edit, merge, and the all-or-nothing xlsx import."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import chronology, clock, spreadsheets
from caicach.core.audit import services as audit
from caicach.core.models import Unit, UnitAncestry, UnitKind, User
from caicach.core.permissions import authorize
from caicach.core.text import fold, nfc
from caicach.core.units.queries import COLUMNS
from caicach.core.versioning import STALE_EDIT_MESSAGE, check_version

if TYPE_CHECKING:
    from caicach.core.jobs.services import Progress

# Fields an edit may change. ``successor`` changes only through ``unit_merge`` so that a
# merger always sets the last day together with the successor.
EDITABLE_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "valid_from",
    "valid_to",
    "document_symbol",
    "place_name",
    "email",
    "address",
)
TEXT_FIELDS = ("code", "name", "short_name", "document_symbol", "place_name", "email", "address")


def _clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown unit fields: {sorted(unknown)}")
    cleaned = dict(data)
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = nfc(cleaned[name] or "").strip()
    return cleaned


def _model_field(name: str) -> models.Field[Any, Any]:
    found = Unit._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _attname(name: str) -> str:
    return _model_field(name).attname


def _chain(unit_id: int | None, attr: str) -> list[int]:
    """The ids reached from ``unit_id`` by following ``attr`` ("parent_id" or
    "successor_id"), itself first, cut at the first repeat. One query per hop: parent chains
    are a handful of levels deep (province → district → division), successor chains shorter."""
    chain: list[int] = []
    current = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = Unit.objects.filter(pk=current).values_list(attr, flat=True).first()
    return chain


def _validate(unit: Unit) -> None:
    errors: dict[str, str] = {}
    if not unit.code:
        errors["code"] = _("Vui lòng nhập mã đơn vị.")
    elif Unit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
        errors["code"] = _("Mã đơn vị “%(code)s” đã được dùng cho đơn vị khác.") % {"code": unit.code}
    if not unit.name:
        errors["name"] = _("Vui lòng nhập tên đơn vị.")
    if unit.kind not in UnitKind.values:
        errors["kind"] = _("Loại đơn vị không hợp lệ.")
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        errors["valid_to"] = _("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực.")
    chronology.add_span_error(
        errors, "valid_from", unit.valid_from, chronology.HISTORIC, what=_("Hiệu lực từ")
    )
    chronology.add_span_error(errors, "valid_to", unit.valid_to, chronology.HISTORIC, what=_("Hiệu lực đến"))
    if unit.parent_id is not None and unit.pk is not None and unit.pk in _chain(unit.parent_id, "parent_id"):
        errors["parent"] = _(
            "Không thể chọn chính đơn vị này hoặc đơn vị cấp dưới của nó làm đơn vị cấp trên."
        )
    if unit.email:
        try:
            validate_email(unit.email)
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_create(*, actor: User, data: Mapping[str, Any]) -> Unit:
    authorize(actor, "core.manage_units")
    unit = Unit(**_clean_data(data))
    _validate(unit)
    unit.save()
    audit.record(
        actor=actor,
        action="unit.create",
        obj=unit,
        changes={name: [None, audit.snapshot(unit, [name])[name]] for name in EDITABLE_FIELDS},
    )
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, data: Mapping[str, Any], expected_version: int) -> Unit:
    """Applies ``data`` if nobody saved the unit since the editor loaded version
    ``expected_version``; otherwise refuses rather than silently overwrite their change."""
    cleaned = _clean_data(data)
    current = Unit.objects.select_for_update().get(pk=unit.pk)
    authorize(actor, "change", current)
    check_version(current.version, expected_version)
    before = audit.snapshot(current, EDITABLE_FIELDS)
    for name, value in cleaned.items():
        setattr(current, name, value)
    _validate(current)
    changes = audit.diff(before, current)
    if not changes:
        return current
    fields = [name for name in EDITABLE_FIELDS if name in changes]
    # The conditional UPDATE is the guard that holds even where SELECT ... FOR UPDATE is a
    # no-op (SQLite): of two editors holding the same version only one matches the row.
    values = {_attname(name): getattr(current, _attname(name)) for name in fields}
    # update() skips Unit.save(), which otherwise keeps the folded search column in step.
    values["search_text"] = current.build_search_text()
    updated = Unit.objects.filter(pk=current.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=clock.now()
    )
    if updated != 1:
        raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
    current.refresh_from_db(fields=["version", "updated_at"])
    audit.record(actor=actor, action="unit.update", obj=current, changes=changes)
    return current


def _descendant_ids(unit_id: int) -> set[int]:
    return set(
        UnitAncestry.objects.filter(ancestor_id=unit_id, depth__gt=0).values_list("descendant_id", flat=True)
    )


class MergeHook(Protocol):
    def __call__(
        self, *, actor: User | None, unit: Unit, successor: Unit, effective_date: datetime.date
    ) -> object: ...


# Run inside ``unit_merge``'s transaction once the unit points to its successor: a domain app
# hands over what the merged unit still owes (core imports no domain app, so they register).
_merge_hooks: list[MergeHook] = []


def on_unit_merge(hook: MergeHook) -> MergeHook:
    """Register ``hook`` to run inside every merger (once, however often it is registered)."""
    if hook not in _merge_hooks:
        _merge_hooks.append(hook)
    return hook


@transaction.atomic
def unit_merge(
    *,
    actor: User,
    unit: Unit,
    successor: Unit,
    effective_date: datetime.date,
    expected_version: int,
) -> Unit:
    """Merges ``unit`` into ``successor`` from ``effective_date`` (the first day the
    successor is in charge). ``valid_to`` is the last day the unit existed, the day before:
    communes merged "from 1 July 2025" existed until 30 June 2025."""
    authorize(actor, "change", unit)
    # Lock both rows in id order so two merges touching the same pair cannot deadlock.
    locked = {
        u.pk: u
        for u in Unit.objects.select_for_update().filter(pk__in=[unit.pk, successor.pk]).order_by("pk")
    }
    current, target = locked.get(unit.pk), locked.get(successor.pk)
    if current is None or target is None:
        raise ValidationError(_("Không tìm thấy đơn vị."))
    check_version(current.version, expected_version)
    chronology.require_within(
        effective_date,
        chronology.PLANNED,
        what=_("Ngày đơn vị kế thừa bắt đầu tiếp nhận"),
        field="effective_date",
    )
    last_day = effective_date - datetime.timedelta(days=1)
    if current.pk == target.pk:
        raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó."))
    if current.successor_id is not None:
        raise ValidationError(_("Đơn vị này đã được sáp nhập vào “%(name)s”.") % {"name": current.successor})
    if current.valid_from is not None and current.valid_from > last_day:
        raise ValidationError(
            _("Ngày sáp nhập phải sau ngày đơn vị bắt đầu hiệu lực (%(date)s).")
            % {"date": current.valid_from.strftime("%d/%m/%Y")}
        )
    if current.valid_to is not None and last_day > current.valid_to:
        # A merger may bring the last day forward, never push it back: the unit did not
        # exist after its recorded end, so nothing of it can have been taken over later.
        raise ValidationError(
            _(
                "Đơn vị này chỉ còn hiệu lực đến ngày %(end)s, nên ngày đơn vị kế thừa bắt đầu "
                "tiếp nhận không được sau ngày %(latest)s."
            )
            % {
                "end": current.valid_to.strftime("%d/%m/%Y"),
                "latest": (current.valid_to + datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            }
        )
    if not target.is_active_on(effective_date):
        raise ValidationError(
            _("Đơn vị kế thừa “%(name)s” không còn hiệu lực vào ngày %(date)s.")
            % {"name": target, "date": effective_date.strftime("%d/%m/%Y")}
        )
    if current.pk in _chain(target.pk, "successor_id"):
        raise ValidationError(
            _("Không thể sáp nhập: “%(name)s” đã (trực tiếp hoặc gián tiếp) sáp nhập vào đơn vị này.")
            % {"name": target}
        )
    if target.pk in _descendant_ids(current.pk):
        raise ValidationError(_("Không thể sáp nhập đơn vị vào đơn vị cấp dưới của chính nó."))
    before = audit.snapshot(current, ["successor", "valid_to"])
    current.successor = target
    current.valid_to = last_day
    current.version = F("version") + 1
    current.save(update_fields=["successor", "valid_to", "version", "updated_at"])
    current.refresh_from_db(fields=["version"])
    for hook in _merge_hooks:
        hook(actor=actor, unit=current, successor=target, effective_date=effective_date)
    audit.record(
        actor=actor,
        action="unit.merge",
        obj=current,
        changes=audit.diff(before, current),
        message=_("Sáp nhập vào %(name)s từ ngày %(date)s")
        % {"name": target, "date": effective_date.strftime("%d/%m/%Y")},
    )
    return current


# --- xlsx import --------------------------------------------------------------------------------

# Column headers, shared with the export so that an export re-imports unchanged.
REQUIRED_COLUMNS = ("code", "name", "kind")
IMPORTED_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "valid_from",
    "valid_to",
    "successor",
    "document_symbol",
    "place_name",
    "email",
)
PROGRESS_EVERY = 50  # rows between two progress reports: one cheap UPDATE each


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row number as Excel shows it; None for the whole file
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message}" if self.row else self.message


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_summary(result: ImportResult) -> str:
    return _(
        "Nhập danh sách đơn vị: %(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi."
    ) % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


@dataclass
class _Row:
    number: int
    code: str
    values: dict[str, Any]
    parent_code: str
    successor_code: str


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _cell_date(value: Any) -> datetime.date | None:
    """A real Excel date or a dd/mm/yyyy text; raises ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _kind_lookup() -> dict[str, str]:
    """Folded code value or label (Vietnamese, or the user's language) → kind."""
    lookup: dict[str, str] = {}
    for language in ("vi", translation.get_language() or "vi"):
        with translation.override(language):
            for value, label in UnitKind.choices:
                lookup[fold(str(value))] = value
                lookup[fold(str(label))] = value
    return lookup


def _read_rows(file: IO[bytes]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The data rows keyed by field name, or the file-level errors."""
    try:
        with spreadsheets.first_sheet_rows(file, max_bytes=settings.UPLOAD_MAX_BYTES) as rows:
            header = next(rows, None)
            if header is None:
                return [], [RowError(None, _("Tệp không có dữ liệu."))]
            by_title = {fold(title): name for name, title in COLUMNS}
            positions: dict[str, int] = {}
            for index, title in enumerate(header):
                name = by_title.get(fold(_cell_text(title)))
                if name and name not in positions:
                    positions[name] = index
            missing = [title for name, title in COLUMNS if name in REQUIRED_COLUMNS and name not in positions]
            if missing:
                return [], [
                    RowError(1, _("thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)})
                ]
            data: list[tuple[int, dict[str, Any]]] = []
            for number, raw in enumerate(rows, start=2):
                values = {name: raw[index] if index < len(raw) else None for name, index in positions.items()}
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                    continue
                data.append((number, values))
            return data, []
    except ValidationError as refused:
        return [], [RowError(None, message) for message in refused.messages]


def _parse_rows(
    raw_rows: list[tuple[int, dict[str, Any]]], progress: Progress | None = None
) -> tuple[list[_Row], list[RowError]]:
    kinds = _kind_lookup()
    max_lengths = {name: _model_field(name).max_length for name in TEXT_FIELDS}
    labels = dict(COLUMNS)
    parsed: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for done, (number, raw) in enumerate(raw_rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(raw_rows))
        row_errors: list[str] = []
        code = _cell_text(raw.get("code"))
        values: dict[str, Any] = {}
        if not code:
            row_errors.append(_("thiếu mã đơn vị."))
        elif code in seen:
            row_errors.append(
                _("mã đơn vị '%(code)s' trùng với dòng %(row)s.") % {"code": code, "row": seen[code]}
            )
        else:
            seen[code] = number
        for name in ("name", "short_name", "document_symbol", "place_name", "email"):
            values[name] = _cell_text(raw.get(name))
        if not values["name"]:
            row_errors.append(_("thiếu tên đơn vị."))
        for name in ("code", "name", "short_name", "document_symbol", "place_name", "email"):
            text = code if name == "code" else values[name]
            limit = max_lengths[name]
            if limit and len(text) > limit:
                row_errors.append(
                    _("cột “%(column)s” dài quá %(limit)s ký tự.") % {"column": labels[name], "limit": limit}
                )
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                row_errors.append(_("email '%(email)s' không hợp lệ.") % {"email": values["email"]})
        kind_text = _cell_text(raw.get("kind"))
        kind = kinds.get(fold(kind_text))
        if not kind_text:
            row_errors.append(_("thiếu loại đơn vị."))
        elif kind is None:
            row_errors.append(_("loại đơn vị '%(kind)s' không hợp lệ.") % {"kind": kind_text})
        values["kind"] = kind
        bad_dates: set[str] = set()
        for name in ("valid_from", "valid_to"):
            try:
                values[name] = _cell_date(raw.get(name))
            except ValueError:
                values[name] = None
                bad_dates.add(name)
                row_errors.append(
                    _("cột “%(column)s” có ngày '%(value)s' không hợp lệ (dạng ngày/tháng/năm).")
                    % {"column": labels[name], "value": _cell_text(raw.get(name))}
                )
                continue
            problem = chronology.HISTORIC.problem(
                values[name], what=_("cột “%(column)s”") % {"column": labels[name]}
            )
            if problem:
                values[name] = None
                bad_dates.add(name)
                row_errors.append(problem)
        if values["valid_from"] and values["valid_to"] and values["valid_to"] < values["valid_from"]:
            row_errors.append(_("ngày hết hiệu lực trước ngày bắt đầu hiệu lực."))
        parent_code = _cell_text(raw.get("parent"))
        successor_code = _cell_text(raw.get("successor"))
        if successor_code and values["valid_to"] is None and "valid_to" not in bad_dates:
            # As in unit_merge: a successor always comes with the last day of the merged unit.
            row_errors.append(
                _(
                    "có “%(successor)s” nhưng chưa ghi ngày ở cột “%(column)s” (ngày cuối cùng "
                    "đơn vị còn hoạt động, liền trước ngày đơn vị kế thừa tiếp nhận)."
                )
                % {"successor": labels["successor"], "column": labels["valid_to"]}
            )
        if code and parent_code == code:
            row_errors.append(_("đơn vị không thể là cấp trên của chính nó."))
        if code and successor_code == code:
            row_errors.append(_("đơn vị không thể kế thừa chính nó."))
        errors.extend(RowError(number, message) for message in row_errors)
        parsed.append(_Row(number, code, values, parent_code, successor_code))
    if progress is not None:
        progress(len(raw_rows), len(raw_rows))
    return parsed, errors


def _find_cycle(start: str, links: Mapping[str, str]) -> list[str] | None:
    path: list[str] = []
    current: str | None = start
    while current:
        if current in path:
            return [*path[path.index(current) :], current]
        path.append(current)
        current = links.get(current) or None
    return None


def _check_references(rows: list[_Row], existing: Mapping[str, Unit]) -> list[RowError]:
    errors: list[RowError] = []
    file_codes = {row.code for row in rows if row.code}
    known = file_codes | set(existing)
    for row in rows:
        if row.parent_code and row.parent_code not in known:
            errors.append(
                RowError(
                    row.number, _("mã đơn vị cấp trên '%(code)s' không tồn tại.") % {"code": row.parent_code}
                )
            )
        if row.successor_code and row.successor_code not in known:
            errors.append(
                RowError(
                    row.number,
                    _("mã đơn vị kế thừa '%(code)s' không tồn tại.") % {"code": row.successor_code},
                )
            )
    # As in unit_merge: the successor must be in existence the day after the unit's last day,
    # judged on its dates after the import (its own row in the file, or the database).
    validity = dict(existing)
    for row in rows:
        if row.code:
            validity[row.code] = Unit(valid_from=row.values["valid_from"], valid_to=row.values["valid_to"])
    for row in rows:
        last_day = row.values["valid_to"]
        if not row.successor_code or row.successor_code not in validity or last_day is None:
            continue
        first_day = last_day + datetime.timedelta(days=1)
        if not validity[row.successor_code].is_active_on(first_day):
            errors.append(
                RowError(
                    row.number,
                    _("đơn vị kế thừa '%(code)s' không còn hoặc chưa có hiệu lực vào ngày %(date)s.")
                    % {"code": row.successor_code, "date": first_day.strftime("%d/%m/%Y")},
                )
            )
    # The tree after the import: the file's rows override what the database holds.
    parents = {code: (unit.parent.code if unit.parent else "") for code, unit in existing.items()}
    successors = {code: (unit.successor.code if unit.successor else "") for code, unit in existing.items()}
    for row in rows:
        if row.code:
            parents[row.code] = row.parent_code
            successors[row.code] = row.successor_code
    for links, message in (
        (parents, _("vòng lặp đơn vị cấp trên: %(cycle)s.")),
        (successors, _("vòng lặp đơn vị kế thừa: %(cycle)s.")),
    ):
        for row in rows:
            if not row.code:
                continue
            cycle = _find_cycle(row.code, links)
            if cycle and cycle[0] == row.code:
                errors.append(RowError(row.number, message % {"cycle": " → ".join(cycle)}))
    return errors


def unit_import_xlsx(*, actor: User, file: IO[bytes], progress: Progress | None = None) -> ImportResult:
    """Creates or updates units by code from the first sheet. Every row is checked before
    anything is written; a single bad row leaves the database untouched. ``progress(done,
    total)`` hears of the rows checked (the background job's bar)."""
    authorize(actor, "core.manage_units")
    result = ImportResult()
    raw_rows, file_errors = _read_rows(file)
    if file_errors:
        result.errors = file_errors
        return result
    # The rows are checked outside the transaction, so the job's progress is visible while
    # it runs; the links to existing units are checked again in the writing transaction.
    rows, errors = _parse_rows(raw_rows, progress)
    errors += _check_references(rows, _existing_units())
    if errors:
        result.errors = sorted(errors, key=lambda e: e.row or 0)
        return result
    return _write_units(actor, rows)


def _existing_units() -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.select_related("parent", "successor")}


@transaction.atomic
def _write_units(actor: User, rows: list[_Row]) -> ImportResult:
    result = ImportResult()
    existing = _existing_units()
    errors = _check_references(rows, existing)
    if errors:
        result.errors = sorted(errors, key=lambda e: e.row or 0)
        return result

    source = _("Nhập từ tệp Excel")
    # Pass 1: every unit exists with its own fields; pass 2: links, which may point to rows
    # further down the file.
    by_code = dict(existing)
    pending: dict[str, tuple[Unit, dict[str, Any], bool]] = {}
    for row in rows:
        unit = by_code.get(row.code)
        created = unit is None
        if unit is None:
            unit = Unit(code=row.code)
            before = {name: None for name in IMPORTED_FIELDS}
        else:
            before = audit.snapshot(unit, IMPORTED_FIELDS)
        for name, value in row.values.items():
            setattr(unit, name, value)
        if created:
            unit.save()
            by_code[row.code] = unit
        pending[row.code] = (unit, before, created)
    for row in rows:
        unit, before, created = pending[row.code]
        unit.parent = by_code[row.parent_code] if row.parent_code else None
        unit.successor = by_code[row.successor_code] if row.successor_code else None
        changes = (
            audit.diff(before, unit)
            if not created
            else {name: [None, value] for name, value in audit.snapshot(unit, IMPORTED_FIELDS).items()}
        )
        if created:
            unit.save(update_fields=["parent", "successor"])
            result.created += 1
            audit.record(actor=actor, action="unit.create", obj=unit, changes=changes, message=source)
        elif changes:
            fields = [*changes, "version", "updated_at"]
            unit.version = F("version") + 1
            unit.save(update_fields=fields)
            result.updated += 1
            audit.record(actor=actor, action="unit.update", obj=unit, changes=changes, message=source)
        else:
            result.unchanged += 1
    audit.record(actor=actor, action="unit.import", message=import_summary(result))
    return result
