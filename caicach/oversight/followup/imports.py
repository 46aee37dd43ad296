"""Tasks from the Office's Excel sheet: a downloadable template and an all-or-nothing import
with a row-by-row report (a file with any bad row imports nothing). The cells are read here;
the checks of each task are the service's own (``tasks_check``, ``tasks_create_many``)."""

from __future__ import annotations

import datetime
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import exports, spreadsheets
from caicach.core.models import Unit, User
from caicach.core.permissions import authorize
from caicach.core.text import fold, nfc
from caicach.core.units.services import RowError
from caicach.oversight.followup.queries import leaders_of, office_officers_of, units_of
from caicach.oversight.followup.services import RowErrors, tasks_check, tasks_create_many
from caicach.oversight.models import DeadlineKind, ResultKind, TaskSource

if TYPE_CHECKING:
    from caicach.core.jobs.services import Progress

COLUMNS: tuple[tuple[str, str], ...] = (
    ("position", "STT"),
    ("content", "Nội dung nhiệm vụ"),
    ("source", "Nguồn giao"),
    ("source_reference", "Số, ký hiệu văn bản"),
    ("source_date", "Ngày văn bản"),
    ("source_title", "Trích yếu"),
    ("assigned_by", "Lãnh đạo giao"),
    ("lead_unit", "Cơ quan chủ trì"),
    ("coordinating_units", "Cơ quan phối hợp"),
    ("deadline", "Thời hạn"),
    ("expected_result_kind", "Sản phẩm"),
    ("expected_result", "Sản phẩm cụ thể"),
    ("monitoring_officer", "Chuyên viên theo dõi"),
    ("notes", "Ghi chú"),
)
REQUIRED_COLUMNS = frozenset({"content", "source", "source_date", "assigned_by", "lead_unit", "deadline"})
EXAMPLE_MARK = "Ví dụ"
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 50
MAX_BYTES: int = getattr(settings, "OVERSIGHT_IMPORT_MAX_BYTES", settings.WORKPROGRAM_IMPORT_MAX_BYTES)
XLSX_CONTENT_TYPE = exports.XLSX_CONTENT_TYPE
_DAY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_WORKING_DAYS = re.compile(r"^(\d{1,3})\s*ngay(?: lam viec)?$")
MONTHLY_WORDS = frozenset({"hang thang", "dinh ky hang thang", "monthly"})
QUARTERLY_WORDS = frozenset({"hang quy", "dinh ky hang quy", "quarterly"})


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(nfc(str(value)).split())


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DAY.match(_cell_text(value))
    if match:
        return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    raise ValueError(value)


def _read(file: IO[bytes]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    try:
        with spreadsheets.first_sheet_rows(file, max_bytes=MAX_BYTES) as rows:
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


def _choice_lookup(
    choices: Iterable[tuple[str, Any]], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    lookup: dict[str, str] = dict(extra or {})
    with translation.override("vi"):
        for value, label in choices:
            lookup[fold(str(value))] = value
            lookup[fold(str(label))] = value
    return lookup


SOURCE_WORDS = {"van ban": TaskSource.DOCUMENT, "ket luan": TaskSource.CONCLUSION, "chi dao": TaskSource.ORAL}


class _Directory:
    def __init__(self, committee: Unit) -> None:
        self.units: dict[str, list[Unit]] = {}
        for unit in units_of(committee.pk):
            for key in {fold(unit.code), fold(unit.name), fold(unit.short_name)}:
                if key:
                    self.units.setdefault(key, []).append(unit)
        self.leaders = self._people(leaders_of(committee.pk))
        self.officers = self._people(office_officers_of(committee.pk))

    @staticmethod
    def _people(users: Iterable[User]) -> dict[str, list[User]]:
        found: dict[str, list[User]] = {}
        for user in users:
            for key in {fold(user.username), fold(user.full_name)}:
                if key:
                    found.setdefault(key, []).append(user)
        return found

    def unit(self, text: str) -> Unit | str:
        matches = self.units.get(fold(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            return _("tên “%(name)s” trùng với nhiều đơn vị; vui lòng ghi mã đơn vị.") % {"name": text}
        return _("không tìm thấy đơn vị “%(name)s” thuộc UBND (ghi mã hoặc đúng tên đơn vị).") % {
            "name": text
        }

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
    committee: Unit, raw_rows: list[tuple[int, dict[str, Any]]], progress: Progress | None = None
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Cells into the service's data, or the cell errors (names not found, dates unread)."""
    directory = _Directory(committee)
    sources = _choice_lookup(TaskSource.choices, SOURCE_WORDS)
    results = _choice_lookup(
        ResultKind.choices, {"van ban": ResultKind.DOCUMENT, "bao cao": ResultKind.REPORT}
    )
    parsed: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for done, (number, raw) in enumerate(raw_rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(raw_rows))
        problems: list[str] = []
        data: dict[str, Any] = {"_row": number}
        for name in ("content", "source_reference", "source_title", "expected_result", "notes"):
            data[name] = nfc(str(raw.get(name) or "")).strip()
        source_text = _cell_text(raw.get("source"))
        data["source"] = sources.get(fold(source_text), "")
        if source_text and not data["source"]:
            problems.append(
                _("nguồn giao “%(value)s” không hợp lệ (ghi: Văn bản, Kết luận hoặc Chỉ đạo).")
                % {"value": source_text}
            )
        result_text = _cell_text(raw.get("expected_result_kind"))
        data["expected_result_kind"] = results.get(fold(result_text), ResultKind.OTHER if result_text else "")
        date_value = raw.get("source_date")
        data["source_date"] = None
        if _cell_text(date_value):
            try:
                data["source_date"] = _date(date_value)
            except ValueError:
                problems.append(
                    _("ngày văn bản “%(value)s” không hợp lệ (ghi ngày/tháng/năm).")
                    % {"value": _cell_text(date_value)}
                )
        for name, people, what in (
            ("assigned_by", directory.leaders, _("lãnh đạo UBND")),
            ("monitoring_officer", directory.officers, _("chuyên viên Văn phòng")),
        ):
            text = _cell_text(raw.get(name))
            data[name] = None
            if text:
                person = directory.person(people, text, what)
                if isinstance(person, str):
                    problems.append(person)
                else:
                    data[name] = person
        lead_text = _cell_text(raw.get("lead_unit"))
        data["lead_unit"] = None
        if lead_text:
            found = directory.unit(lead_text)
            if isinstance(found, str):
                problems.append(found)
            else:
                data["lead_unit"] = found
        coordinating: list[Unit] = []
        for part in re.split(r"[;\n]+", nfc(str(raw.get("coordinating_units") or ""))):
            name = " ".join(part.split())
            if not name:
                continue
            found = directory.unit(name)
            if isinstance(found, str):
                problems.append(found)
            elif found not in coordinating:
                coordinating.append(found)
        data["coordinating_units"] = coordinating
        deadline_value = raw.get("deadline")
        deadline_text = fold(_cell_text(deadline_value))
        data["deadline_kind"] = DeadlineKind.DATE
        data["deadline"] = None
        if deadline_text:
            working = _WORKING_DAYS.match(deadline_text)
            if working:
                data["deadline_kind"] = DeadlineKind.WORKING_DAYS
                data["deadline_working_days"] = int(working.group(1))
            elif deadline_text in MONTHLY_WORDS:
                data["deadline_kind"] = DeadlineKind.MONTHLY
            elif deadline_text in QUARTERLY_WORDS:
                data["deadline_kind"] = DeadlineKind.QUARTERLY
            else:
                try:
                    data["deadline"] = _date(deadline_value)
                except ValueError:
                    problems.append(
                        _(
                            "thời hạn “%(value)s” không hợp lệ (ghi ngày/tháng/năm, “10 ngày làm việc”, "
                            "“Hằng tháng” hoặc “Hằng quý”)."
                        )
                        % {"value": _cell_text(deadline_value)}
                    )
        errors.extend(RowError(number, problem) for problem in problems)
        parsed.append(data)
    if progress is not None:
        progress(len(raw_rows), len(raw_rows))
    return parsed, errors


def task_import_xlsx(
    *, actor: User, committee: Unit, file: IO[bytes], filename: str = "", progress: Progress | None = None
) -> ImportResult:
    """The sheet's tasks for ``committee`` (see ``task_import_rows``)."""
    authorize(actor, "oversight.assign", committee)
    raw_rows, file_errors = _read(file)
    if file_errors:
        return ImportResult(errors=file_errors)
    source = _("Nhập từ tệp Excel %(file)s") % {"file": filename} if filename else _("Nhập từ tệp Excel")
    return task_import_rows(actor=actor, committee=committee, rows=raw_rows, source=source, progress=progress)


def task_import_rows(
    *,
    actor: User,
    committee: Unit,
    rows: list[tuple[int, dict[str, Any]]],
    source: str,
    progress: Progress | None = None,
) -> ImportResult:
    """``rows`` (row number, values by field as the sheet holds them: unit codes or names,
    people's usernames or names, "10 ngày làm việc") as tasks of ``committee``: the sheet's
    import and the API's. Every row is checked (cells, then the service's rules) before
    anything is written; one bad row and nothing is imported."""
    authorize(actor, "oversight.assign", committee)
    result = ImportResult()
    parsed, errors = _parse(committee, rows, progress)
    # The service's checks too, so the Office sees every mistake of every row at once.
    # Rows whose cells could not be read are reported once, for the cell.
    unread = {error.row for error in errors}
    readable = [data for data in parsed if data["_row"] not in unread]
    errors += [RowError(row, message) for row, message in tasks_check(committee, readable)]
    if errors:
        result.errors = sorted(errors, key=lambda error: error.row or 0)
        return result
    try:
        tasks = tasks_create_many(actor=actor, committee=committee, rows=parsed, source=source)
    except RowErrors as refused:
        result.errors = [RowError(row, message) for row, message in refused.rows]
        return result
    result.created = len(tasks)
    result.task_ids = [task.pk for task in tasks]
    return result


def import_template_xlsx(committee: Unit) -> bytes:
    """The sheet to fill: the header, one example row (skipped), the instructions, and the
    lists of units and people the committee accepts."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Nhiệm vụ"
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
    units = list(units_of(committee.pk))
    leader = leaders_of(committee.pk).first()
    sheet.append(
        exports.row(
            sheet,
            [
                EXAMPLE_MARK,
                "Xây dựng kế hoạch triển khai … năm 2024",
                "Văn bản",
                "125/TB-VP",
                "04/03/2024",
                "Thông báo kết luận của Chủ tịch UBND tỉnh",
                leader.username if leader else "",
                units[0].code if units else "",
                units[1].code if len(units) > 1 else "",
                "28/06/2024",
                "Văn bản ban hành",
                "Kế hoạch trình UBND tỉnh",
                "",
                "Dòng ví dụ: không được nhập.",
            ],
            font=Font(italic=True, color="808080"),
        )
    )
    for index, width in enumerate((6, 60, 14, 18, 14, 40, 22, 22, 28, 16, 18, 30, 22, 30)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=2, max_row=1000, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "@"
    for row in sheet.iter_rows(min_row=2, max_row=1000, min_col=10, max_col=10):
        for cell in row:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(exports.row(guide, ["Cột", "Bắt buộc", "Cách ghi"], font=bold))
    explanations = {
        "position": "Số thứ tự (không bắt buộc). Dòng có STT “Ví dụ” không được nhập.",
        "content": "Nội dung nhiệm vụ được giao.",
        "source": "Văn bản; Kết luận (kết luận phiên họp); Chỉ đạo (chỉ đạo trực tiếp của lãnh đạo).",
        "source_reference": "Số, ký hiệu văn bản giao nhiệm vụ (bắt buộc khi nguồn là Văn bản).",
        "source_date": "Ngày văn bản hoặc ngày chỉ đạo, dạng ngày/tháng/năm.",
        "source_title": "Trích yếu văn bản (không bắt buộc).",
        "assigned_by": "Tên đăng nhập hoặc họ tên Chủ tịch, Phó Chủ tịch giao nhiệm vụ (trang “Danh mục”).",
        "lead_unit": "Đúng một cơ quan chủ trì: mã hoặc tên đơn vị (trang “Danh mục”).",
        "coordinating_units": "Mã hoặc tên các đơn vị phối hợp, cách nhau bằng dấu chấm phẩy (;).",
        "deadline": "Ngày/tháng/năm; hoặc “10 ngày làm việc” (tính từ ngày văn bản); hoặc “Hằng tháng”, "
        "“Hằng quý” (hạn là ngày làm việc cuối cùng của tháng, quý).",
        "expected_result_kind": "Văn bản ban hành; Báo cáo; Quyết định; Kết quả khác.",
        "expected_result": "Sản phẩm cụ thể (không bắt buộc).",
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
    guide.column_dimensions["C"].width = 100
    lists = workbook.create_sheet("Danh mục")
    lists.append(
        exports.row(lists, ["Mã đơn vị", "Tên đơn vị", "", "Tên đăng nhập", "Họ tên", "Vai trò"], font=bold)
    )
    people = [(user, "Lãnh đạo UBND") for user in leaders_of(committee.pk)]
    people += [(user, "Chuyên viên Văn phòng") for user in office_officers_of(committee.pk)]
    for index in range(max(len(units), len(people))):
        unit_cells = [units[index].code, units[index].name] if index < len(units) else ["", ""]
        person_cells = (
            [people[index][0].username, people[index][0].full_name, people[index][1]]
            if index < len(people)
            else []
        )
        lists.append(exports.row(lists, [*unit_cells, "", *person_cells]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
