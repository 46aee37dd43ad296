"""The program's items from the Office's Excel sheet: a downloadable template and an
all-or-nothing import with a row-by-row report (a file with any bad row imports nothing)."""

from __future__ import annotations

import datetime
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import exports, spreadsheets
from caicach.core.audit import services as audit
from caicach.core.models import Unit, User
from caicach.core.months import month_label
from caicach.core.permissions import authorize
from caicach.core.text import fold, nfc
from caicach.core.units.services import RowError
from caicach.workprogram.models import ItemStatus, ProgramItem, SubmissionKind, WorkProgram
from caicach.workprogram.programs.queries import jurisdiction_units, leaders_of, office_officers_of

if TYPE_CHECKING:
    from caicach.core.jobs.services import Progress

__all__ = [
    "COLUMNS",
    "ImportResult",
    "RowError",
    "import_template_xlsx",
    "program_import_rows",
    "program_import_xlsx",
]

# (field, column title): the template's order. The import finds columns by title (accents
# and case ignored), so a sheet with the columns in another order or with a title block
# above the header still reads.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("position", "STT"),
    ("title", "Nội dung, đề án"),
    ("submission_kind", "Hình thức trình"),
    ("is_legal_document", "Văn bản QPPL"),
    ("lead_unit", "Cơ quan chủ trì"),
    ("coordinating_units", "Cơ quan phối hợp"),
    ("supervising_leader", "Lãnh đạo phụ trách"),
    ("due_month", "Thời gian trình"),
    ("monitoring_officer", "Chuyên viên theo dõi"),
    ("notes", "Ghi chú"),
)
REQUIRED_COLUMNS = frozenset({"title", "submission_kind", "lead_unit", "due_month"})
# Rows whose STT says "Ví dụ" are the template's example: skipped, never imported.
EXAMPLE_MARK = "Ví dụ"
HEADER_SEARCH_ROWS = 10
TRUE_WORDS = frozenset({"x", "co", "yes", "1", "true", "dung"})
FALSE_WORDS = frozenset({"", "khong", "no", "0", "false"})
PROGRESS_EVERY = 50  # rows between two progress reports: one cheap UPDATE each
XLSX_CONTENT_TYPE = exports.XLSX_CONTENT_TYPE
_MONTH = re.compile(r"^(?:thang\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_DAY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    coordinating: list[Unit]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(nfc(str(value)).split())


# --- Reading the file ---------------------------------------------------------------------------------


def _read(file: IO[bytes]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The data rows keyed by field, or the file-level errors."""
    try:
        with spreadsheets.first_sheet_rows(file, max_bytes=settings.WORKPROGRAM_IMPORT_MAX_BYTES) as rows:
            positions = _header_positions(rows)
            if positions is None:
                titles = dict(COLUMNS)
                missing = ", ".join(titles[name] for name, _title in COLUMNS if name in REQUIRED_COLUMNS)
                return [], [
                    RowError(
                        None,
                        _("Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc: %(columns)s.")
                        % {"columns": missing},
                    )
                ]
            header_number, columns = positions
            data: list[tuple[int, dict[str, Any]]] = []
            for number, raw in enumerate(rows, start=header_number + 1):
                values = {name: raw[index] if index < len(raw) else None for name, index in columns.items()}
                if all(_cell_text(v) == "" for v in values.values()):
                    continue
                if fold(_cell_text(values.get("position"))) == fold(EXAMPLE_MARK):
                    continue
                data.append((number, values))
    except ValidationError as refused:
        return [], [RowError(None, message) for message in refused.messages]
    if not data:
        return [], [RowError(None, _("Tệp không có dòng dữ liệu nào."))]
    return data, []


def _header_positions(rows: Iterator[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """The header's row number and the position of each known column, read off the first
    rows (a title block may stand above the header); None when no row has the required
    columns. The rows consumed are the header and what stands above it."""
    by_title = {fold(title): name for name, title in COLUMNS}
    for number, header in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS), start=1):
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            name = by_title.get(fold(_cell_text(title)))
            if name and name not in positions:
                positions[name] = index
        if positions.keys() >= REQUIRED_COLUMNS:
            return number, positions
    return None


# --- Understanding the cells ----------------------------------------------------------------------------


def _kind_lookup() -> dict[str, str]:
    """Folded label (with or without "Trình", Vietnamese or the user's language) or code -> kind."""
    lookup: dict[str, str] = {}
    for language in ("vi", translation.get_language() or "vi"):
        with translation.override(language):
            for value, label in SubmissionKind.choices:
                folded = fold(str(label))
                lookup[fold(str(value))] = value
                lookup[folded] = value
                if folded.startswith("trinh "):
                    lookup[folded.removeprefix("trinh ")] = value
    return lookup


def _month(value: Any) -> datetime.date:
    """A date cell, or "03/2024", "3/2024", "Tháng 3/2024", "15/03/2024": the first of that
    month. Raises ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = fold(_cell_text(value))
    match = _MONTH.match(text)
    if match:
        return datetime.date(int(match.group(2)), int(match.group(1)), 1)
    match = _DAY.match(text)
    if match:
        return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1))).replace(day=1)
    raise ValueError(text)


class _Directory:
    """Names the sheet may use, resolved against what the program allows."""

    def __init__(self, program: WorkProgram) -> None:
        self.units: dict[str, list[Unit]] = {}
        for unit in jurisdiction_units(program):
            for key in {fold(unit.code), fold(unit.name), fold(unit.short_name)}:
                if key:
                    self.units.setdefault(key, []).append(unit)
        self.leaders = self._people(leaders_of(program))
        self.officers = self._people(office_officers_of(program))

    @staticmethod
    def _people(users: Iterable[User]) -> dict[str, list[User]]:
        found: dict[str, list[User]] = {}
        for user in users:
            for key in {fold(user.username), fold(user.full_name)}:
                if key:
                    found.setdefault(key, []).append(user)
        return found

    def unit(self, text: str) -> Unit | str:
        """The unit, or the Vietnamese error."""
        matches = self.units.get(fold(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            return _("tên “%(name)s” trùng với nhiều đơn vị; vui lòng ghi mã đơn vị.") % {"name": text}
        return _(
            "không tìm thấy đơn vị “%(name)s” thuộc phạm vi chương trình (ghi mã hoặc đúng tên đơn vị)."
        ) % {"name": text}

    def person(self, people: dict[str, list[User]], text: str, what: str) -> User | str:
        matches = people.get(fold(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            return _("có nhiều %(what)s tên “%(name)s”; vui lòng ghi tên đăng nhập.") % {
                "what": what,
                "name": text,
            }
        return _("không tìm thấy %(what)s “%(name)s” (ghi tên đăng nhập hoặc họ tên).") % {
            "what": what,
            "name": text,
        }


def _parse(
    program: WorkProgram, raw_rows: list[tuple[int, dict[str, Any]]], progress: Progress | None = None
) -> tuple[list[_Row], list[RowError]]:
    kinds = _kind_lookup()
    directory = _Directory(program)
    titles = dict(COLUMNS)
    existing = {fold(title): position for title, position in program.items.values_list("title", "position")}
    seen: dict[str, int] = {}
    parsed: list[_Row] = []
    errors: list[RowError] = []
    for done, (number, raw) in enumerate(raw_rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(raw_rows))
        problems: list[str] = []
        values: dict[str, Any] = {}

        position_text = _cell_text(raw.get("position"))
        values["position"] = None
        if position_text:
            if position_text.isdigit() and int(position_text) > 0:
                values["position"] = int(position_text)
            else:
                problems.append(_("cột “%(column)s” phải là số thứ tự.") % {"column": titles["position"]})

        title = nfc(str(raw.get("title") or "")).strip()
        values["title"] = title
        if not title:
            problems.append(_("thiếu nội dung, đề án."))
        elif fold(title) in seen:
            problems.append(_("nội dung trùng với dòng %(row)s.") % {"row": seen[fold(title)]})
        elif fold(title) in existing:
            problems.append(
                _("nội dung đã có trong chương trình (số thứ tự %(position)s).")
                % {"position": existing[fold(title)]}
            )
        else:
            seen[fold(title)] = number

        kind_text = _cell_text(raw.get("submission_kind"))
        values["submission_kind"] = kinds.get(fold(kind_text))
        if not kind_text:
            problems.append(_("thiếu hình thức trình."))
        elif values["submission_kind"] is None:
            problems.append(
                _("hình thức trình “%(value)s” không hợp lệ (dùng: %(choices)s).")
                % {
                    "value": kind_text,
                    "choices": "; ".join(str(label) for _value, label in SubmissionKind.choices),
                }
            )

        legal = fold(_cell_text(raw.get("is_legal_document")))
        values["is_legal_document"] = legal in TRUE_WORDS
        if legal not in TRUE_WORDS | FALSE_WORDS:
            problems.append(
                _("cột “%(column)s” chỉ ghi “x” (hoặc “có”) khi là văn bản QPPL, để trống nếu không.")
                % {"column": titles["is_legal_document"]}
            )

        lead_text = _cell_text(raw.get("lead_unit"))
        lead: Unit | None = None
        if not lead_text:
            problems.append(_("thiếu cơ quan chủ trì."))
        else:
            found = directory.unit(lead_text)
            if isinstance(found, str):
                problems.append(found)
            else:
                lead = found
        values["lead_unit"] = lead

        coordinating: list[Unit] = []
        for part in re.split(r"[;\n]+", nfc(str(raw.get("coordinating_units") or ""))):
            name = " ".join(part.split())
            if not name:
                continue
            found = directory.unit(name)
            if isinstance(found, str):
                problems.append(found)
            elif lead is not None and found.pk == lead.pk:
                problems.append(_("cơ quan chủ trì không đồng thời là cơ quan phối hợp."))
            elif found not in coordinating:
                coordinating.append(found)

        for name, people, what in (
            ("supervising_leader", directory.leaders, _("lãnh đạo UBND")),
            ("monitoring_officer", directory.officers, _("chuyên viên Văn phòng")),
        ):
            text = _cell_text(raw.get(name))
            values[name] = None
            if text:
                person = directory.person(people, text, what)
                if isinstance(person, str):
                    problems.append(person)
                else:
                    values[name] = person

        month_value = raw.get("due_month")
        values["due_month"] = None
        if _cell_text(month_value) == "":
            problems.append(_("thiếu thời gian trình (tháng/năm)."))
        else:
            try:
                month = _month(month_value)
            except ValueError:
                problems.append(
                    _("thời gian trình “%(value)s” không hợp lệ (ghi tháng/năm, ví dụ 03/%(year)s).")
                    % {"value": _cell_text(month_value), "year": program.year}
                )
            else:
                if month.year != program.year:
                    problems.append(
                        _("thời gian trình %(month)s không thuộc năm %(year)s của chương trình.")
                        % {"month": month_label(month), "year": program.year}
                    )
                values["due_month"] = month

        values["notes"] = nfc(str(raw.get("notes") or "")).strip()
        errors.extend(RowError(number, problem) for problem in problems)
        parsed.append(_Row(number, values, coordinating))
    if progress is not None:
        progress(len(raw_rows), len(raw_rows))
    return parsed, errors


# --- The import --------------------------------------------------------------------------------------------


def program_import_xlsx(
    *,
    actor: User,
    program: WorkProgram,
    file: IO[bytes],
    filename: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Adds the sheet's items to ``program`` (see ``program_import_rows``)."""
    authorize(actor, "import", program)
    raw_rows, file_errors = _read(file)
    if file_errors:
        return ImportResult(errors=file_errors)
    source = _("Nhập từ tệp Excel %(file)s") % {"file": filename} if filename else _("Nhập từ tệp Excel")
    return program_import_rows(actor=actor, program=program, rows=raw_rows, source=source, progress=progress)


def program_import_rows(
    *,
    actor: User,
    program: WorkProgram,
    rows: list[tuple[int, dict[str, Any]]],
    source: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Adds ``rows`` (row number, values by field as the sheet holds them: unit codes or
    names, people's usernames or names, "03/2024") to ``program``: the sheet's import and
    the API's. Every row is checked before anything is written; one bad row and nothing is
    imported. One audit event per item, and a summary (``source``) on the program.
    ``progress(done, total)`` hears of the rows checked (the background job's bar)."""
    authorize(actor, "import", program)
    # The first check runs outside the transaction, so the job's progress is visible while
    # it runs; the write checks again under the program's lock.
    _rows, errors = _parse(program, rows, progress)
    if errors:
        return ImportResult(errors=errors)
    return _write(actor, program, rows, source)


@transaction.atomic
def _write(
    actor: User, program: WorkProgram, raw_rows: list[tuple[int, dict[str, Any]]], source: str
) -> ImportResult:
    result = ImportResult()
    # Lock the program: two imports at once would both pass the duplicate-title check.
    program = WorkProgram.objects.select_for_update().get(pk=program.pk)
    rows, errors = _parse(program, raw_rows)
    if errors:
        result.errors = errors
        return result
    last = max(program.items.values_list("position", flat=True), default=0)
    items: list[ProgramItem] = []
    for row in rows:
        values = dict(row.values)
        if values["position"] is None:
            values["position"] = last + 1
        last = max(last, values["position"])
        item = ProgramItem(
            program=program, original_due_month=values["due_month"], status=ItemStatus.PLANNED, **values
        )
        # bulk_create skips save(), which otherwise fills the folded search column.
        item.search_text = item.build_search_text()
        items.append(item)
    created = ProgramItem.objects.bulk_create(items)
    through = ProgramItem.coordinating_units.through
    through.objects.bulk_create(
        [
            through(programitem_id=item.pk, unit_id=unit.pk)
            for item, row in zip(created, rows, strict=True)
            for unit in row.coordinating
        ]
    )
    for item in created:
        changes = {
            name: [None, value]
            for name, value in audit.snapshot(
                item, ("position", "title", "submission_kind", "is_legal_document", "lead_unit", "due_month")
            ).items()
        }
        audit.record(actor=actor, action="item.create", obj=item, changes=changes, message=source)
    result.created = len(created)
    result.item_ids = [item.pk for item in created]
    audit.record(
        actor=actor,
        action="program.import",
        obj=program,
        message=_("%(source)s: %(count)s nội dung.") % {"source": source, "count": result.created},
    )
    return result


# --- The template -----------------------------------------------------------------------------------------


def import_template_xlsx(program: WorkProgram) -> bytes:
    """The sheet to fill: the header, one example row (skipped by the import), the
    instructions, and the lists of units and people the program accepts."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Chương trình công tác"
    bold = Font(bold=True)
    sheet.append(
        exports.row(
            sheet,
            [title for _name, title in COLUMNS],
            font=bold,
            fill=PatternFill("solid", fgColor="DDEBF7"),
            alignment=Alignment(wrap_text=True, vertical="center"),
        )
    )
    units = list(jurisdiction_units(program))
    departments = [unit for unit in units if unit.pk != program.issuing_unit_id]
    example_lead = departments[0] if departments else (units[0] if units else None)
    example_partner = departments[1] if len(departments) > 1 else None
    leader = leaders_of(program).first()
    with translation.override("vi"):
        committee_label = str(SubmissionKind.COMMITTEE.label)
        kind_labels = [str(label) for _value, label in SubmissionKind.choices]
    sheet.append(
        exports.row(
            sheet,
            [
                EXAMPLE_MARK,
                "Quyết định ban hành Quy định phân cấp quản lý … trên địa bàn tỉnh",
                committee_label,
                "x",
                example_lead.code if example_lead else "",
                example_partner.code if example_partner else "",
                leader.username if leader else "",
                f"03/{program.year}",
                "",
                "Dòng ví dụ: không được nhập; xóa hoặc ghi đè bằng nội dung thật.",
            ],
            font=Font(italic=True, color="808080"),
        )
    )
    widths = (6, 60, 28, 12, 24, 30, 24, 14, 22, 30)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    kinds = DataValidation(type="list", formula1='"' + ",".join(kind_labels) + '"', allow_blank=False)
    sheet.add_data_validation(kinds)
    kinds.add("C2:C1000")
    for row in sheet.iter_rows(min_row=2, max_row=1000, min_col=8, max_col=8):
        for cell in row:
            cell.number_format = "@"  # keep "03/2024" as typed, not turned into a date
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(exports.row(guide, ["Cột", "Bắt buộc", "Cách ghi"], font=bold))
    explanations = {
        "position": "Số thứ tự; để trống thì đánh số tiếp theo. Dòng có STT “Ví dụ” không được nhập.",
        "title": "Tên nội dung, đề án trình.",
        "submission_kind": "Một trong: " + "; ".join(kind_labels) + ".",
        "is_legal_document": "Ghi “x” (hoặc “có”) nếu là văn bản quy phạm pháp luật; để trống nếu không.",
        "lead_unit": "Mã đơn vị hoặc đúng tên đơn vị (xem trang “Danh mục”).",
        "coordinating_units": "Mã hoặc tên các đơn vị, cách nhau bằng dấu chấm phẩy (;).",
        "supervising_leader": "Tên đăng nhập hoặc họ tên lãnh đạo UBND phụ trách (xem trang “Danh mục”).",
        "due_month": f"Tháng/năm trình, ví dụ 03/{program.year}; phải thuộc năm {program.year}.",
        "monitoring_officer": "Tên đăng nhập hoặc họ tên chuyên viên Văn phòng theo dõi (không bắt buộc).",
        "notes": "Ghi chú (không bắt buộc).",
    }
    for name, title in COLUMNS:
        guide.append(
            exports.row(guide, [title, "Có" if name in REQUIRED_COLUMNS else "Không", explanations[name]])
        )
    guide.append([])
    guide.append(
        exports.row(
            guide,
            ["Lưu ý", "", "Nếu có dòng sai, toàn bộ tệp không được nhập; sửa các dòng báo lỗi rồi nhập lại."],
        )
    )
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 100

    lists = workbook.create_sheet("Danh mục")
    lists.append(
        exports.row(lists, ["Mã đơn vị", "Tên đơn vị", "", "Tên đăng nhập", "Họ tên", "Vai trò"], font=bold)
    )
    people = [(user, "Lãnh đạo UBND") for user in leaders_of(program)]
    people += [(user, "Chuyên viên Văn phòng") for user in office_officers_of(program)]
    for index in range(max(len(units), len(people))):
        unit_cells = [units[index].code, units[index].name] if index < len(units) else ["", ""]
        person_cells = (
            [people[index][0].username, people[index][0].full_name, people[index][1]]
            if index < len(people)
            else []
        )
        lists.append(exports.row(lists, [*unit_cells, "", *person_cells]))
    for column, width in zip("ABCDEF", (16, 50, 4, 20, 28, 24), strict=True):
        lists.column_dimensions[column].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
