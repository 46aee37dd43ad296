"""Reading an existing dossier written on the seed layouts into a prefilled draft.

Two layouts are understood: the description (thuyết minh mô tả giải pháp, seed 001) and the
effectiveness report (báo cáo hiệu quả áp dụng, seed 000), from a .docx (paragraphs and tables in
document order) or a .txt (one paragraph a line; tab-separated lines are a table row). Nothing
here touches the database: ``parse_dossier`` returns what it found, lists by name what it did
not find and says what it fixed (the seed numbers two authors "2"), so the author checks a draft
instead of trusting a guess.

Headings are recognised by their words, not their numbers: the report numbers "1." twice (parts
I and II), and authors renumber sections freely."""

from __future__ import annotations

import codecs
import datetime
import decimal
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from caicach.core import uploads
from caicach.core.text import fold

LAYOUT_DESCRIPTION = "description"
LAYOUT_EFFECTIVENESS = "effectiveness_report"
LAYOUT_UNKNOWN = "unknown"

MAX_IMPORT_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = (".docx", ".txt")

# Column limits of Initiative / Authorship: a longer value means a heading was misread.
TITLE_MAX = 500
AUTHOR_LIMITS = {"full_name": 150, "workplace": 255, "job_title": 150, "qualification": 150}

AUTHOR_COLUMNS = (
    "full_name",
    "date_of_birth",
    "workplace",
    "job_title",
    "qualification",
    "share",
    "contribution",
)

# Which fields each layout should yield; anything of these not found is listed to the user.
DESCRIPTION_FIELDS = (
    "title",
    "first_applied_on",
    "confidential_info",
    "previous_solution",
    "necessity",
    "purpose",
    "solution_steps",
    "results",
    "application_scope",
    "benefits",
)
EFFECTIVENESS_FIELDS = ("title", "first_applied_on", "essence")
EXTRA_KEYS = ("effectiveness", "replicability", "confirmer", "representative")


def field_labels() -> dict[str, str]:
    # Built per call so the labels follow the active language.
    return {
        "title": _("Tên sáng kiến"),
        "first_applied_on": _("Ngày áp dụng lần đầu hoặc áp dụng thử"),
        "confidential_info": _("Các thông tin cần bảo mật"),
        "essence": _("Nội dung, bản chất của sáng kiến"),
        "previous_solution": _("Mô tả các giải pháp cũ thường làm (mục 4)"),
        "necessity": _("Sự cần thiết phải áp dụng giải pháp sáng kiến (mục 5)"),
        "purpose": _("Mục đích của giải pháp sáng kiến (mục 6)"),
        "solution_steps": _("Thuyết minh giải pháp mới hoặc cải tiến (mục 7.1)"),
        "results": _("Kết quả của sáng kiến"),
        "application_scope": _("Thuyết minh về phạm vi áp dụng sáng kiến (mục 7.2)"),
        "benefits": _("Thuyết minh về lợi ích kinh tế, xã hội của sáng kiến (mục 7.3)"),
        "effectiveness": _("Về hiệu quả áp dụng"),
        "replicability": _("Về khả năng nhân rộng"),
        "confirmer": _("Người xác nhận của cơ quan, đơn vị"),
        "representative": _("Đại diện nhóm tác giả"),
        "authors": _("Bảng tác giả (họ tên, ngày sinh, nơi công tác, chức danh, trình độ, tỷ lệ đóng góp)"),
        "date_of_birth": _("Ngày tháng năm sinh"),
        "workplace": _("Nơi công tác"),
        "job_title": _("Chức danh"),
        "qualification": _("Trình độ chuyên môn"),
        "share": _("Tỷ lệ đóng góp"),
        "contribution": _("Nội dung đóng góp"),
    }


@dataclass
class ParsedDossier:
    """What was read from one file. ``fields`` holds Initiative field values (text, or a date
    for ``first_applied_on``); ``authors`` rows shaped for ``services.dossiers.validate_authors``
    in their product order (positions 1..n); ``extras`` the parts of an effectiveness report that
    are not dossier fields (``effectiveness``, ``replicability``) and the signatures
    (``confirmer``, ``representative``)."""

    layout: str
    fields: dict[str, Any] = field(default_factory=dict)
    authors: list[dict[str, Any]] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        """JSON-safe (dates ISO, shares as strings): kept in the session between the result
        page and the user's confirmation."""
        return {
            "layout": self.layout,
            "fields": {
                k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in self.fields.items()
            },
            "authors": [
                {
                    **a,
                    "date_of_birth": a["date_of_birth"].isoformat() if a["date_of_birth"] else None,
                    "share": str(a["share"]) if a["share"] is not None else None,
                }
                for a in self.authors
            ],
            "extras": dict(self.extras),
            "missing": list(self.missing),
            "notes": list(self.notes),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ParsedDossier:
        fields = dict(data["fields"])
        if fields.get("first_applied_on"):
            fields["first_applied_on"] = datetime.date.fromisoformat(fields["first_applied_on"])
        authors = [
            {
                **a,
                "date_of_birth": datetime.date.fromisoformat(a["date_of_birth"])
                if a["date_of_birth"]
                else None,
                "share": decimal.Decimal(a["share"]) if a["share"] is not None else None,
            }
            for a in data["authors"]
        ]
        return cls(
            layout=data["layout"],
            fields=fields,
            authors=authors,
            extras=dict(data["extras"]),
            missing=list(data["missing"]),
            notes=list(data["notes"]),
        )

    @property
    def shares_total(self) -> decimal.Decimal | None:
        shares = [a["share"] for a in self.authors]
        if not shares or any(s is None for s in shares):
            return None
        return sum(shares, decimal.Decimal(0))


# --- Reading the file -----------------------------------------------------------------------------


@dataclass
class _Table:
    rows: list[list[str]]


_Block = str | _Table

_FOREIGN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\xd0\xcf\x11\xe0", "Word 97-2003 (.doc)"),
    (b"MZ", "chương trình Windows"),
    (b"\x7fELF", "chương trình"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"\x1f\x8b", "gzip"),
    (b"{\\rtf", "RTF"),
)


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="import_file")


def _extension(filename: str) -> str:
    name = filename.strip().lower()
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


def check_import_file(content: bytes, filename: str) -> str:
    """The file's real kind (".docx" or ".txt") after checking that its content is what its
    name says; raises ValidationError with a message for the user otherwise."""
    extension = _extension(filename)
    if extension == ".doc":
        raise _refuse(
            _("Tệp .doc (Word 97-2003) chưa được hỗ trợ. Vui lòng mở bằng Word và lưu lại dạng .docx.")
        )
    if extension not in ALLOWED_EXTENSIONS:
        raise _refuse(_("Chỉ nhập được tệp .docx hoặc .txt."))
    if not content:
        raise _refuse(_("Tệp rỗng."))
    if len(content) > MAX_IMPORT_BYTES:
        raise _refuse(uploads.too_large_message(len(content), MAX_IMPORT_BYTES))
    if extension == ".docx":
        _check_docx(content)
        return extension
    sniffed = uploads.sniff(io.BytesIO(content))
    if sniffed is not None:
        raise _refuse(
            _("Tệp có đuôi .txt nhưng nội dung là tệp %(kind)s, không phải văn bản thuần.")
            % {"kind": sniffed.label}
        )
    if content.startswith(b"PK\x03\x04"):
        raise _refuse(_("Tệp có đuôi .txt nhưng nội dung là tệp nén, không phải văn bản thuần."))
    for signature, kind in _FOREIGN_SIGNATURES:
        if content.startswith(signature):
            raise _refuse(
                _("Tệp có đuôi .txt nhưng nội dung là tệp %(kind)s, không phải văn bản thuần.")
                % {"kind": kind}
            )
    return extension


def _check_docx(content: bytes) -> None:
    """The content must be a Word package (sniffed as in ``core.uploads``, which also refuses
    one carrying macros) within the limits of every parsed package: unlike an attachment, it
    is parsed."""
    if uploads.sniff(io.BytesIO(content)) is not uploads.DOCX:
        raise _refuse(
            _("Tệp có đuôi .docx nhưng nội dung không phải văn bản Word (.docx), hoặc có chứa macro.")
        )
    try:
        uploads.check_package(io.BytesIO(content))
    except ValidationError as refused:
        raise _refuse(refused.messages[0]) from refused


def _decode_text(content: bytes, notes: list[str]) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _refuse(_("Không đọc được tệp văn bản (UTF-16 lỗi).")) from exc
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in content:
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                notes.append(_("Tệp được đọc theo bảng mã UTF-16."))
                return text
        raise _refuse(_("Tệp có đuôi .txt nhưng không phải văn bản thuần."))
    # Old Vietnamese Windows text (TCVN was long replaced; Windows-1258 remains).
    notes.append(
        _("Tệp không phải UTF-8, đã được đọc theo bảng mã Windows-1258; vui lòng kiểm tra dấu tiếng Việt.")
    )
    return content.decode("cp1258", errors="replace")


def _txt_blocks(text: str) -> list[_Block]:
    """One paragraph a line; consecutive lines with tabs form a table (blank lines between
    them do not end it)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    blocks: list[_Block] = []
    table: list[list[str]] | None = None
    for index, line in enumerate(lines):
        if "\t" in line:
            if table is None:
                table = []
                blocks.append(_Table(table))
            table.append(line.split("\t"))
            continue
        if not line.strip():
            following = next((ln for ln in lines[index + 1 :] if ln.strip()), "")
            if table is not None and "\t" in following:
                continue
            table = None
            continue
        table = None
        blocks.append(line)
    return blocks


def _docx_blocks(content: bytes) -> list[_Block]:
    # Imported here: python-docx is heavy and only this path needs it.
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a damaged or foreign package
        raise _refuse(_("Không đọc được tệp .docx (tệp hỏng hoặc không phải văn bản Word).")) from exc
    blocks: list[_Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows: list[list[str]] = []
            for row in item.rows:
                # Merged cells repeat once per grid column they span: the columns stay aligned.
                rows.append([cell.text for cell in row.cells])
            blocks.append(_Table(rows))
        else:
            lines = item.text.split("\n")
            if lines[0].strip() and _auto_numbered(item):
                lines[0] = AUTO_NUMBER + lines[0]
            blocks.extend(lines)
    return blocks


def _auto_numbered(paragraph: Any) -> bool:
    """Word's own list numbering ("1." drawn by Word, absent from the text): on the paragraph
    or through its style."""
    for holder in (paragraph._p, getattr(paragraph.style, "element", None)):
        ppr = getattr(holder, "pPr", None)
        if ppr is not None and ppr.numPr is not None:
            return True
    return False


# Marks a paragraph Word numbers by itself, so its heading counts as numbered; removed from values.
AUTO_NUMBER = "\u2063"


# --- Cleaning text --------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Markdown emphasis left by a conversion ("**bold**", "*italic*", "*** Kết quả:**"): a run of
# asterisks touching a word. A lone "* " opening a line is a bullet.
_EMPHASIS = re.compile(r"\*+(?=\S)|(?<=\S)\*+")
_BULLET_STAR = re.compile(r"^(?:\*+|#+)\s+")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "").replace("\ufeff", "")
    text = _SPACES.sub(" ", text).strip()
    text = text.replace("__", "")
    text = _EMPHASIS.sub("", text)
    text = _BULLET_STAR.sub("", text)
    return _SPACES.sub(" ", text).strip()


_NUMBERED = re.compile(
    r"^(?:(?P<roman>[IVX]{1,4})\s*[-.–)]|(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?(?=\s|[^\d/]))\s*"
)


def _split_label(text: str) -> tuple[str, str]:
    """("Label (instructions)", "inline value") around the first colon outside parentheses."""
    depth = 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == ":" and depth == 0:
            return text[:index].strip(), text[index + 1 :].strip()
    return text.strip(), ""


@dataclass(frozen=True)
class _Heading:
    key: str
    pattern: re.Pattern[str]
    unnumbered: bool = False  # may appear without "1." / "7.1." in front


# Patterns run on the folded label (no accents, lower case). Keys starting with "_" open parts
# that are not fields (their text is not imported).
_HEADINGS: tuple[_Heading, ...] = (
    _Heading("title", re.compile(r"^ten (cua )?sang kien\b"), unnumbered=True),
    _Heading("first_applied_on", re.compile(r"^(ngay sang kien duoc ap dung|thoi gian ap dung)")),
    _Heading("confidential_info", re.compile(r"^(cac )?thong tin can (duoc )?bao mat")),
    _Heading("previous_solution", re.compile(r"^mo ta (cac )?giai phap cu")),
    _Heading("necessity", re.compile(r"^su can thiet")),
    _Heading("purpose", re.compile(r"^muc dich cua giai phap")),
    _Heading("_content", re.compile(r"^noi dung$")),
    _Heading("essence", re.compile(r"^(noi dung,? ban chat|mo ta ban chat)")),
    _Heading("solution_steps", re.compile(r"^thuyet minh (ve )?giai phap (moi|cai tien)")),
    _Heading("results", re.compile(r"^ket qua cua sang kien$"), unnumbered=True),
    _Heading("application_scope", re.compile(r"^(thuyet minh ve )?pham vi ap dung")),
    _Heading("benefits", re.compile(r"^(thuyet minh ve )?loi ich kinh te")),
    _Heading("_authors", re.compile(r"^(tac gia sang kien|(cac )?dong tac gia)"), unnumbered=True),
    _Heading("effectiveness", re.compile(r"^ve hieu qua ap dung")),
    _Heading("replicability", re.compile(r"^ve kha nang nhan rong")),
    _Heading("_part", re.compile(r"^(thong tin chung|danh gia hieu qua)")),
    _Heading("_commitment", re.compile(r"^(cam ket|cam doan)\b"), unnumbered=True),
    _Heading("_confirmation", re.compile(r"^xac nhan cua (co quan|don vi|thu truong)"), unnumbered=True),
    _Heading("_representative", re.compile(r"^(dai dien nhom tac gia|tac gia)$"), unnumbered=True),
)
# An unnumbered heading is a short line of its own (or a short label before a colon): the
# same words inside a sentence are body text.
_UNNUMBERED_LABEL_MAX = 60


def _heading(text: str) -> tuple[str, str, bool] | None:
    """(key, inline value, numbered) when ``text`` opens a known part."""
    auto = text.startswith(AUTO_NUMBER)
    text = text.lstrip(AUTO_NUMBER)
    match = _NUMBERED.match(text)
    numbered = auto or bool(match and (match.group("roman") or match.group("number")))
    rest = text[match.end() :] if match and (match.group("roman") or match.group("number")) else text
    label, inline = _split_label(rest)
    folded = fold(label).rstrip(" .:")
    for heading in _HEADINGS:
        if not heading.pattern.search(folded):
            continue
        if not numbered:
            if not heading.unnumbered or len(label) > _UNNUMBERED_LABEL_MAX:
                return None
            if not inline and len(text) > _UNNUMBERED_LABEL_MAX:
                return None
        return heading.key, inline, numbered
    return None


_SENTENCE_END = ".!?:;…)]”\"'»"


def _join_broken_paragraphs(paragraphs: list[str]) -> tuple[list[str], int]:
    """A paragraph cut by a page break (the PDF-to-Word kind: "… kết quả cao" / "nhất các mục
    tiêu …") is joined back: the first does not end a sentence and the next starts lower case."""
    joined: list[str] = []
    count = 0
    for text in paragraphs:
        if (
            joined
            and text[:1].islower()
            and not joined[-1].endswith(tuple(_SENTENCE_END))
            and _heading(joined[-1]) is None
            and _heading(text) is None
        ):
            joined[-1] = f"{joined[-1]} {text}"
            count += 1
        else:
            joined.append(text)
    return joined, count


# --- Values -------------------------------------------------------------------------------------

_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def parse_date(text: str) -> datetime.date | None:
    """The first dd/mm/yyyy (or "ngày d tháng m năm yyyy") in ``text``; day and month may lack
    the leading zero ("03/7/1982"). None when absent or not a real day."""
    match = _DATE.search(text) or _DATE_WORDS.search(fold(text))
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


_SHARE = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*%?")


def parse_share(text: str) -> decimal.Decimal | None:
    match = _SHARE.search(text)
    if not match:
        return None
    return decimal.Decimal(match.group(1).replace(",", "."))


# Words of a signature block that are not a name ("PHÓ GIÁM ĐỐC", "(Ký, ghi rõ họ tên)"). Matched
# with their accents: "Trương" is a surname, "trưởng" a title.
_POSITION_WORDS = re.compile(
    r"\b(giám đốc|chủ tịch|trưởng|phó|chánh|thủ trưởng|hiệu trưởng|ký|ghi rõ|dấu|chức vụ|họ tên)\b"
)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 7:
        return False
    if not all(w.isalpha() and w[0].isupper() for w in words):
        return False
    return not _POSITION_WORDS.search(text.lower())


def _title_value(text: str) -> str:
    text = text.strip().strip("\"“”'")
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


# --- Authors table -------------------------------------------------------------------------------

_COLUMN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("position", re.compile(r"\b(so tt|stt|tt|so thu tu)\b")),
    ("full_name", re.compile(r"\bho (va )?ten\b")),
    ("date_of_birth", re.compile(r"\bsinh\b")),
    ("workplace", re.compile(r"noi cong tac|thuong tru|don vi cong tac")),
    ("job_title", re.compile(r"chuc danh|chuc vu")),
    ("qualification", re.compile(r"trinh do")),
    ("share", re.compile(r"\bty le\b")),
    ("contribution", re.compile(r"noi dung|dong gop")),
)
# Circular 18/2013 annex I: the authors table's columns in their usual order.
_STANDARD_COLUMNS = ("position", *AUTHOR_COLUMNS)
_ROW_NUMBER = re.compile(r"^\d{1,3}\.?$")


def _is_authors_table(table: _Table) -> bool:
    head = " ".join(fold(cell) for row in table.rows[:3] for cell in row)
    return bool(re.search(r"\bho (va )?ten\b", head)) and ("ty le" in head or "sinh" in head)


def _column_map(header_rows: Sequence[Sequence[str]], width: int) -> dict[str, int]:
    texts = [" ".join(fold(row[i]) for row in header_rows if i < len(row)) for i in range(width)]
    taken: set[int] = set()
    columns: dict[str, int] = {}
    for name, pattern in _COLUMN_PATTERNS:
        for index, text in enumerate(texts):
            if index not in taken and pattern.search(text):
                columns[name] = index
                taken.add(index)
                break
    return columns


def _cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return " ".join(_clean(line) for line in row[index].split("\n") if line.strip())


def _parse_authors_table(table: _Table, result: ParsedDossier) -> list[str]:
    """Fill ``result.authors`` from the table; returns the row numbers as written in the file."""
    rows = [[cell for cell in row] for row in table.rows]
    first_data = next(
        (i for i, row in enumerate(rows) if row and _ROW_NUMBER.match(_clean(row[0])) and len(row) > 1), None
    )
    if first_data is None:
        return []
    width = max(len(row) for row in rows)
    columns = _column_map(rows[:first_data], width)
    if "full_name" not in columns or "share" not in columns:
        columns = {name: i for i, name in enumerate(_STANDARD_COLUMNS)}
        result.notes.append(
            _(
                "Không nhận ra tiêu đề cột của bảng tác giả; "
                "đã đọc theo thứ tự cột của mẫu (Số TT, Họ và tên, …)."
            )
        )
    numbers: list[str] = []
    for row in rows[first_data:]:
        name = _cell(row, columns.get("full_name"))
        if not name or fold(name) in {"tong", "tong cong", "cong"}:
            continue
        numbers.append(_cell(row, columns.get("position")).rstrip("."))
        born_text = _cell(row, columns.get("date_of_birth"))
        share_text = _cell(row, columns.get("share"))
        author: dict[str, Any] = {
            "full_name": name,
            "date_of_birth": parse_date(born_text) if born_text else None,
            "workplace": _cell(row, columns.get("workplace")),
            "job_title": _cell(row, columns.get("job_title")),
            "qualification": _cell(row, columns.get("qualification")),
            "share": parse_share(share_text) if share_text else None,
            "contribution": _cell(row, columns.get("contribution")),
            "is_lead": False,
        }
        if born_text and author["date_of_birth"] is None:
            result.notes.append(
                _("Ngày sinh “%(text)s” của tác giả %(name)s không đọc được.")
                % {"text": born_text, "name": name}
            )
        for key, limit in AUTHOR_LIMITS.items():
            if len(author[key]) > limit:
                result.notes.append(
                    _("“%(label)s” của tác giả %(name)s dài quá %(max)s ký tự, chưa được nhập.")
                    % {
                        "label": field_labels()[key] if key != "full_name" else _("Họ và tên"),
                        "name": name,
                        "max": limit,
                    }
                )
                author[key] = "" if key != "full_name" else author[key][:limit]
        result.authors.append(author)
    return numbers


def _choose_lead(result: ParsedDossier) -> None:
    authors = result.authors
    if not authors:
        return
    if len(authors) == 1:
        authors[0]["is_lead"] = True
        return
    representative = result.extras.get("representative", "")
    chosen: int | None = None
    if representative:
        matches = [i for i, a in enumerate(authors) if fold(a["full_name"]) == fold(representative)]
        if len(matches) == 1:
            chosen = matches[0]
            result.notes.append(
                _("Tác giả chính: %(name)s (người ký “Đại diện nhóm tác giả”).")
                % {"name": authors[chosen]["full_name"]}
            )
    if chosen is None:
        leading = [i for i, a in enumerate(authors) if "chu tri" in fold(a["contribution"])]
        if len(leading) == 1:
            chosen = leading[0]
            result.notes.append(
                _("Tác giả chính: %(name)s (nội dung đóng góp ghi “chủ trì”).")
                % {"name": authors[chosen]["full_name"]}
            )
    if chosen is None:
        shares = [a["share"] for a in authors]
        if all(s is not None for s in shares):
            top = max(shares)
            tied = [i for i, s in enumerate(shares) if s == top]
            chosen = tied[0]
            if len(tied) == 1:
                result.notes.append(
                    _("Tác giả chính: %(name)s (tỷ lệ đóng góp cao nhất).")
                    % {"name": authors[chosen]["full_name"]}
                )
            else:
                result.notes.append(
                    _(
                        "Tác giả chính: %(name)s (một trong các tác giả có tỷ lệ đóng góp cao nhất, "
                        "xếp đầu bảng) — vui lòng kiểm tra."
                    )
                    % {"name": authors[chosen]["full_name"]}
                )
    if chosen is None:
        result.notes.append(_("Không xác định được tác giả chính; vui lòng chọn trong bảng tác giả."))
        return
    authors[chosen]["is_lead"] = True


# --- Sections ------------------------------------------------------------------------------------


def _detect_layout(paragraphs: Sequence[str]) -> str:
    head = " ".join(fold(p) for p in paragraphs[:20])
    if "thuyet minh" in head and ("mo ta giai phap" in head or "ket qua thuc hien sang kien" in head):
        return LAYOUT_DESCRIPTION
    if "bao cao" in head and "hieu qua ap dung" in head:
        return LAYOUT_EFFECTIVENESS
    return LAYOUT_UNKNOWN


def _iter_paragraphs(blocks: Iterable[_Block], tables: list[_Table]) -> Iterator[str | _Table]:
    """Clean paragraphs; the authors table stays a table, any other table (a signature block
    laid out in columns) is read column by column."""
    for block in blocks:
        if isinstance(block, _Table):
            if _is_authors_table(block):
                tables.append(block)
                yield block
                continue
            width = max((len(row) for row in block.rows), default=0)
            for column in range(width):
                previous = None
                for row in block.rows:
                    if column >= len(row) or row[column] == previous:
                        continue  # a merged cell repeats across the columns it spans
                    previous = row[column]
                    for line in row[column].split("\n"):
                        if text := _clean(line):
                            yield text
        elif text := _clean(block):
            yield text


def parse_dossier(content: bytes, filename: str) -> ParsedDossier:
    """Read a .docx or .txt dossier. Raises ValidationError (for the user) when the file is
    not what its name says, is too large or cannot be read; otherwise returns what was found,
    with ``missing`` naming what was not and ``notes`` what was fixed or inferred."""
    kind = check_import_file(content, filename)
    notes: list[str] = []
    blocks = _docx_blocks(content) if kind == ".docx" else _txt_blocks(_decode_text(content, notes))
    tables: list[_Table] = []
    stream, joined_total = _joined_stream(list(_iter_paragraphs(blocks, tables)))
    paragraphs = [p for p in stream if isinstance(p, str)]
    result = ParsedDossier(layout=_detect_layout(paragraphs), notes=notes)
    if joined_total:
        result.notes.append(
            _("Đã nối %(count)s đoạn văn bị ngắt giữa câu (do ngắt trang trong tệp gốc).")
            % {"count": joined_total}
        )
    bodies, inline_values, signatures = _sections(stream)
    _take_inline_values(result, inline_values)
    _take_bodies(result, bodies, signatures)
    _take_authors(result, tables)
    _list_missing(result)
    return result


def _joined_stream(items: list[str | _Table]) -> tuple[list[str | _Table], int]:
    """The paragraphs and tables in order, with paragraphs broken by a page break joined
    again (between two tables at most); and how many were joined."""
    stream: list[str | _Table] = []
    run: list[str] = []
    joined_total = 0
    for item in [*items, None]:
        if isinstance(item, str):
            run.append(item)
            continue
        joined, count = _join_broken_paragraphs(run)
        joined_total += count
        stream.extend(joined)
        run = []
        if item is not None:
            stream.append(item)
    return stream, joined_total


Sections = tuple[dict[str, list[str]], dict[str, list[tuple[bool, str]]], dict[str, str]]


def _sections(stream: list[str | _Table]) -> Sections:
    """Each heading's paragraphs; the one-line answers (title, first-applied date) with
    whether they came from the form's numbered item; the names under the signature lines."""
    bodies: dict[str, list[str]] = {}
    inline_values: dict[str, list[tuple[bool, str]]] = {}
    signatures: dict[str, str] = {}
    current: str | None = None
    for item in stream:
        if isinstance(item, _Table):
            current = None
            continue
        found = _heading(item)
        item = item.lstrip(AUTO_NUMBER)
        if found is not None:
            key, inline, numbered = found
            current = key
            if key in {"title", "first_applied_on"}:
                inline_values.setdefault(key, []).append((numbered, inline))
                if inline:
                    # A one-line answer: later paragraphs belong to no field until the next heading.
                    current = f"_{key}_done"
            elif not key.startswith("_") and inline:
                bodies.setdefault(key, []).append(inline)
            continue
        if current in {"_confirmation", "_representative"}:
            target = "confirmer" if current == "_confirmation" else "representative"
            if target not in signatures and not item.startswith("(") and _looks_like_name(item):
                signatures[target] = item
            continue
        if current in {"title", "first_applied_on"}:
            # "1. Tên sáng kiến:" with the answer on the next line.
            inline_values.setdefault(current, []).append((True, item))
            current = f"_{current}_done"
            continue
        if current is None or current.startswith("_"):
            continue
        bodies.setdefault(current, []).append(item)
    return bodies, inline_values, signatures


def _take_inline_values(result: ParsedDossier, inline_values: dict[str, list[tuple[bool, str]]]) -> None:
    for key, candidates in inline_values.items():
        filled = [(numbered, value) for numbered, value in candidates if value]
        if not filled:
            continue
        # The numbered item of the form wins over a cover page's "Tên sáng kiến: …".
        filled.sort(key=lambda c: not c[0])
        value = filled[0][1]
        if key == "title":
            titles = {fold(_title_value(v)) for _, v in filled}
            if len(titles) > 1:
                result.notes.append(
                    _("Tệp ghi tên sáng kiến ở hai nơi khác nhau; đã dùng tên ở mục “Tên sáng kiến”.")
                )
            title = _title_value(value)
            if len(title) > TITLE_MAX:
                result.notes.append(
                    _("Tên sáng kiến đọc được dài quá %(max)s ký tự, chưa được nhập.") % {"max": TITLE_MAX}
                )
                continue
            result.fields["title"] = title
        elif key == "first_applied_on":
            day = parse_date(value)
            if day is None:
                result.notes.append(
                    _("Không đọc được ngày áp dụng lần đầu “%(text)s” (cần dạng ngày/tháng/năm).")
                    % {"text": value}
                )
                continue
            result.fields["first_applied_on"] = day
        else:
            result.fields[key] = value


def _take_bodies(result: ParsedDossier, bodies: dict[str, list[str]], signatures: dict[str, str]) -> None:
    for key, texts in bodies.items():
        text = "\n".join(texts).strip()
        if not text:
            continue
        if key in {"effectiveness", "replicability"}:
            result.extras[key] = text
        else:
            result.fields[key] = text
    result.extras.update(signatures)


def _take_authors(result: ParsedDossier, tables: list[_Table]) -> None:
    """The first table is the authors table: renumbered, lead chosen, shares checked."""
    numbers: list[str] = []
    if tables:
        numbers = _parse_authors_table(tables[0], result)
        if len(tables) > 1:
            result.notes.append(_("Tệp có nhiều bảng tác giả; chỉ bảng đầu tiên được nhập."))
    if numbers and numbers != [str(i) for i in range(1, len(numbers) + 1)]:
        result.notes.append(
            _("Số thứ tự trong bảng tác giả của tệp là %(old)s; đã đánh số lại %(new)s.")
            % {
                "old": ", ".join(n or "?" for n in numbers),
                "new": ", ".join(str(i) for i in range(1, len(numbers) + 1)),
            }
        )
    _choose_lead(result)
    total = result.shares_total
    if total is not None and total != 100:
        result.notes.append(
            _("Tổng tỷ lệ đóng góp trong tệp là %(total)s%%, chưa bằng 100%%.")
            % {"total": format(total.normalize(), "f")}
        )


def _list_missing(result: ParsedDossier) -> None:
    """What the layout expects and the file did not give (fields, authors' columns, the
    signatures)."""
    labels = field_labels()
    expected: tuple[str, ...] = (
        DESCRIPTION_FIELDS
        if result.layout == LAYOUT_DESCRIPTION
        else EFFECTIVENESS_FIELDS
        if result.layout == LAYOUT_EFFECTIVENESS
        else ("title", "first_applied_on")
    )
    result.missing.extend(labels[key] for key in expected if key not in result.fields)
    if not result.authors:
        result.missing.append(labels["authors"])
    for author in result.authors:
        for key in AUTHOR_COLUMNS[1:]:
            if author[key] in (None, ""):
                result.missing.append(
                    _("%(label)s của tác giả %(name)s") % {"label": labels[key], "name": author["full_name"]}
                )
    extras_expected = EXTRA_KEYS if result.layout == LAYOUT_EFFECTIVENESS else ("confirmer", "representative")
    if result.layout != LAYOUT_UNKNOWN:
        result.missing.extend(labels[key] for key in extras_expected if key not in result.extras)
