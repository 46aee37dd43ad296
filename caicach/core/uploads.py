"""Checking uploaded files before anything is stored.

The type is decided by the content, never by the name or the browser's claim: a PDF starts
with ``%PDF-``, a DOCX is a ZIP holding ``word/document.xml``, and so on. The name's extension
must then agree with what the content is, so an executable renamed ``.pdf`` (or a ZIP renamed
``.docx``) is refused. Files are stored under a random name; the original name is kept,
cleaned, for display and downloads only."""

from __future__ import annotations

import hashlib
import math
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

HEAD_BYTES = 16
MAX_NAME_LENGTH = 150


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
    """DOCX and XLSX are ZIP packages told apart by their main part. Only the central
    directory is read: nothing is extracted, so a "zip bomb" costs nothing here."""
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names and "word/vbaProject.bin" not in names:
        return DOCX
    if "xl/workbook.xml" in names and "xl/vbaProject.bin" not in names:
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
