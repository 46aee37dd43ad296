"""Checking uploaded files before anything is stored.

The type is decided by the content, never by the name or the browser's claim: a PDF starts
with ``%PDF-``, a DOCX is a ZIP holding ``word/document.xml``, and so on. The name's extension
must then agree with what the content is, so an executable renamed ``.pdf`` (or a ZIP renamed
``.docx``) is refused. Files are stored under a random name; the original name is kept,
cleaned, for display and downloads only."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

HEAD_BYTES = 16
MAX_NAME_LENGTH = 150
# A part inflating to less than this is not judged by its ratio: a small part of repeated
# markup (an empty style list, a sheet of formatted empty cells) may compress a few hundred
# times and costs nothing; the total limit still bounds many such parts.
RATIO_GRACE_BYTES = 1024 * 1024
SCAN_CHUNK = 64 * 1024
# The content-types part lists a few dozen types; a larger one is not Office's.
CONTENT_TYPES_MAX_BYTES = 256 * 1024
# Office XML nests a few dozen levels (tables in tables included); millions of nested
# elements cost every XML parser memory per level, whatever the zip's limits allowed.
MAX_XML_DEPTH = 256
# Rows and cells of a sheet, in the transitional and the strict SpreadsheetML namespaces.
SPREADSHEET_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
    }
)
_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,8})(\d*)$")


@dataclass(frozen=True)
class FileKind:
    code: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the canonical one, used for the stored name
    label: str


PDF = FileKind("pdf", "application/pdf", (".pdf",), "PDF")
DOCX = FileKind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "Word (DOCX)",
)
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel (XLSX)"
)
PNG = FileKind("png", "image/png", (".png",), "PNG")
JPEG = FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg"), "JPEG")

DEFAULT_KINDS: tuple[FileKind, ...] = (PDF, DOCX, XLSX, PNG, JPEG)


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    size: int
    sha256: str
    display_name: str  # the user's name, cleaned (NFC, no path, no control characters)
    stored_name: str  # random, with the canonical extension: what goes on disk

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def _zip_kind(stream: IO[bytes]) -> FileKind | None:
    """DOCX and XLSX are ZIP packages told apart by their main part; one carrying macros is
    neither. Only the central directory and the small content-types part are read: nothing
    else is extracted, so a "zip bomb" costs nothing here."""
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = package.getinfo("[Content_Types].xml")
            if types.file_size > CONTENT_TYPES_MAX_BYTES:
                return None
            declared = package.read(types).lower()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None
    # Macros are found by the content types the package declares, not only by the usual
    # part name: Office runs a VBA project whatever its part is called.
    if (
        b"macroenabled" in declared
        or b"vbaproject" in declared
        or any(n.endswith("vbaProject.bin") for n in names)
    ):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(stream: IO[bytes]) -> FileKind | None:
    """What the content is, among the kinds we know; None for anything else."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    kind: FileKind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(stream)
    stream.seek(0)
    return kind


def safe_display_name(name: str, *, fallback_extension: str = "") -> str:
    """The user's file name fit to show and to offer back on download: NFC, the last path
    component only (browsers on Windows may send "C:\\...\\x.pdf"; anyone may send
    "../../x"), no control or format characters, no characters Windows forbids, bounded
    length keeping the extension. Never used as a path on disk."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} or ch in '<>:"|?*' else ch for ch in name
    )
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:10] or fallback_extension.lstrip(".")
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") or "tep-dinh-kem"
    return f"{stem}.{extension}" if extension else stem


def human_size(size: int, *, digits: int = 1, round_up: bool = False) -> str:
    """1536 -> "1,5 KB", 20971520 -> "20 MB" (Vietnamese decimal comma). ``round_up`` rounds
    to the shown precision upwards, so a size just over a limit never reads as the limit."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            scale = 10**digits
            scaled = size * scale / factor
            shown = (math.ceil(scaled) if round_up else round(scaled)) / scale
            value = f"{shown:.{digits}f}".rstrip("0").rstrip(".")
            return f"{value.replace('.', ',')} {unit}"
    return f"{size} B"


def too_large_message(size: int, limit: int) -> str:
    """The one message for a file over the limit. The size is shown with as many decimals as
    it takes to differ from the limit ("20,04 MB" against "20 MB"), rounded up past the first
    decimal so it never reads as the limit: a message saying "Tệp quá lớn (20 MB). Dung lượng
    tối đa là 20 MB" contradicts itself."""
    maximum = human_size(limit)
    shown = human_size(size)
    for digits in (2, 3):
        if shown != maximum:
            break
        shown = human_size(size, digits=digits, round_up=True)
    if shown == maximum:
        shown, maximum = f"{size:,} B".replace(",", "."), f"{limit:,} B".replace(",", ".")
    return _("Tệp quá lớn (%(size)s). Dung lượng tối đa là %(max)s.") % {"size": shown, "max": maximum}


def validate_upload(
    upload: UploadedFile,
    *,
    kinds: tuple[FileKind, ...] = DEFAULT_KINDS,
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Check ``upload`` and describe it; raises ValidationError (Vietnamese) when it is empty,
    too large, of a kind not in ``kinds`` or named with an extension its content belies."""
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    size = upload.size or 0
    if size <= 0:
        raise ValidationError(_("Tệp tải lên rỗng."), code="empty")
    if size > limit:
        raise ValidationError(too_large_message(size, limit), code="too_large")
    allowed = ", ".join(kind.label for kind in kinds)
    stream = upload.file
    assert stream is not None
    kind = sniff(stream)
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("Loại tệp không được chấp nhận. Chỉ nhận các tệp: %(allowed)s.") % {"allowed": allowed},
            code="type",
        )
    display_name = safe_display_name(upload.name or "", fallback_extension=kind.extensions[0])
    extension = "." + display_name.rpartition(".")[2].lower() if "." in display_name else ""
    if extension not in kind.extensions:
        raise ValidationError(
            _("Phần mở rộng của tên tệp “%(name)s” không khớp với nội dung tệp (%(kind)s).")
            % {"name": display_name, "kind": kind.label},
            code="extension",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        kind=kind,
        size=size,
        sha256=digest.hexdigest(),
        display_name=display_name,
        stored_name=f"{secrets.token_hex(16)}{kind.extensions[0]}",
    )


# --- Office packages that are parsed ------------------------------------------------------------


@dataclass(frozen=True)
class PackageLimits:
    """What parsing one uploaded package may cost (the ``PACKAGE_*`` and ``SPREADSHEET_*``
    settings): the zip's entries, their inflated size and ratio, and a sheet's rows and
    columns."""

    entries: int
    inflated_bytes: int
    ratio: int
    rows: int
    columns: int

    @classmethod
    def from_settings(cls) -> PackageLimits:
        return cls(
            entries=settings.PACKAGE_MAX_ENTRIES,
            inflated_bytes=settings.PACKAGE_MAX_INFLATED_BYTES,
            ratio=settings.PACKAGE_MAX_RATIO,
            rows=settings.SPREADSHEET_MAX_ROWS,
            columns=settings.SPREADSHEET_MAX_COLUMNS,
        )


def damaged_package_message() -> str:
    return _("Tệp bị hỏng hoặc không đúng định dạng, không đọc được.")


def too_many_rows_message(limit: int) -> str:
    return _("Bảng tính có quá nhiều dòng: tối đa %(max)s dòng. Vui lòng chia thành nhiều tệp.") % {
        "max": f"{limit:,}".replace(",", ".")
    }


def too_many_columns_message(row: int, limit: int) -> str:
    return _("Dòng %(row)s của bảng tính có quá nhiều cột: tối đa %(max)s cột.") % {"row": row, "max": limit}


def check_package(stream: IO[bytes]) -> None:
    """Refuse (ValidationError, Vietnamese, naming the limit) an Office package whose parsing
    would cost past the limits of ``PackageLimits``, before any parser sees it.

    The zip's central directory is judged first: number of entries, total inflated size, each
    part's and the whole file's inflation ratio. Python's zipfile never inflates a part past
    the size its directory declares (and checks the CRC), so the declared sizes bound what
    openpyxl or python-docx can ever read. Then every XML part is read once, streaming, by
    expat: a DOCTYPE is refused (the Open Packaging Conventions, ISO/IEC 29500-2, forbid DTD
    declarations in a package's XML; an entity declared there is how "billion laughs"
    inflates past any zip limit), nesting is bounded, and a sheet's rows and cells are
    counted from their references, the way openpyxl places them, so a single cell at
    XFD1048576 cannot make the reader pad a million rows."""
    limits = PackageLimits.from_settings()
    stream.seek(0, 2)
    packed = stream.tell()
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
            _check_directory(entries, packed, limits)
            for entry in entries:
                with package.open(entry) as part:
                    _scan_part(part, limits)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        # Encrypted parts (RuntimeError), unknown compression (NotImplementedError), a bad CRC,
        # a damaged header (ValueError, EOFError).
        raise ValidationError(damaged_package_message(), code="damaged") from exc
    finally:
        stream.seek(0)


def _check_directory(entries: list[zipfile.ZipInfo], packed: int, limits: PackageLimits) -> None:
    if len(entries) > limits.entries:
        raise ValidationError(
            _("Tệp nén chứa quá nhiều thành phần (%(count)s; tối đa %(max)s), không thể đọc.")
            % {"count": len(entries), "max": limits.entries},
            code="package_entries",
        )
    inflated = sum(entry.file_size for entry in entries)
    if inflated > limits.inflated_bytes:
        raise ValidationError(
            _("Tệp có nội dung giải nén quá lớn (%(size)s; tối đa %(max)s), không thể đọc.")
            % {"size": human_size(inflated), "max": human_size(limits.inflated_bytes)},
            code="package_inflated",
        )
    bomb = ValidationError(
        _(
            "Tệp nén với tỷ lệ bất thường (giải nén ra hơn %(max)s lần dung lượng tệp): có thể là "
            "tệp độc hại (“bom nén”), không thể đọc."
        )
        % {"max": limits.ratio},
        code="package_ratio",
    )
    for entry in entries:
        if (
            entry.file_size > RATIO_GRACE_BYTES
            and entry.file_size > max(entry.compress_size, 1) * limits.ratio
        ):
            raise bomb
    if inflated > RATIO_GRACE_BYTES and inflated > max(packed, 1) * limits.ratio:
        raise bomb


class _PartScan:
    """One XML part read by expat: refuses a DOCTYPE, follows a sheet's row and cell
    references."""

    def __init__(self, limits: PackageLimits) -> None:
        self.limits = limits
        self.row = 0
        self.column = 0
        self.strings = 0
        self.depth = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.StartDoctypeDeclHandler = self.doctype

    def doctype(self, *_args: object) -> None:
        raise ValidationError(
            _("Tệp chứa khai báo DOCTYPE, không được phép trong tệp Office, không thể đọc."),
            code="package_dtd",
        )

    def end(self, _name: str) -> None:
        self.depth -= 1

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise ValidationError(damaged_package_message(), code="damaged")
        namespace, _sep, local = name.rpartition(" ")
        if namespace not in SPREADSHEET_NAMESPACES:
            return
        if local == "row":
            reference = attributes.get("r", "")
            self.row = int(reference) if reference.isdigit() else self.row + 1
            self.column = 0
            if self.row > self.limits.rows:
                raise ValidationError(too_many_rows_message(self.limits.rows), code="sheet_rows")
        elif local == "c":
            column, row = _cell_position(attributes.get("r", ""))
            self.column = column or self.column + 1
            if row > self.limits.rows:
                raise ValidationError(too_many_rows_message(self.limits.rows), code="sheet_rows")
            if self.column > self.limits.columns:
                raise ValidationError(
                    too_many_columns_message(row or self.row, self.limits.columns), code="sheet_columns"
                )
        elif local == "si":
            # A workbook cannot use more distinct strings than it has cells; openpyxl keeps
            # every one of them in memory.
            self.strings += 1
            if self.strings > self.limits.rows * self.limits.columns:
                raise ValidationError(too_many_rows_message(self.limits.rows), code="sheet_rows")


def _cell_position(reference: str) -> tuple[int, int]:
    """ "AB12" -> (28, 12); (0, 0) for what is not a reference."""
    match = _CELL_REFERENCE.match(reference)
    if match is None:
        return 0, 0
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return column, int(match.group(2) or 0)


def _scan_part(part: IO[bytes], limits: PackageLimits) -> None:
    """Parts whose content is XML (whatever their name says: openpyxl follows the package's
    relationships, not the names) are read through; pictures and other binaries are not."""
    chunk = part.read(SCAN_CHUNK)
    head = chunk.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not (head.startswith(b"<") or chunk.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return
    scan = _PartScan(limits)
    try:
        while chunk:
            scan.parser.Parse(chunk, False)
            chunk = part.read(SCAN_CHUNK)
        scan.parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ValidationError(damaged_package_message(), code="damaged") from exc
