"""Uploads are judged by their content: real PDF, DOCX, XLSX, PNG and JPEG files pass; an
executable or a plain ZIP wearing an office extension does not; sizes are bounded; the
user's file name is cleaned for display and never used on disk."""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from caicach.core.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    safe_display_name,
    too_large_message,
    validate_upload,
)


def real_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Sang kien")
    page.save()
    return buffer.getvalue()


def real_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Thuyết minh sáng kiến")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Tỷ lệ"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def real_image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def plain_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Thuyết minh.pdf", real_pdf, PDF),
        ("Đơn yêu cầu.docx", real_docx, DOCX),
        ("Bảng tính.xlsx", real_xlsx, XLSX),
        ("ảnh.png", lambda: real_image("PNG"), PNG),
        ("ảnh chụp.JPG", lambda: real_image("JPEG"), JPEG),
        ("ảnh chụp.jpeg", lambda: real_image("JPEG"), JPEG),
    ],
)
def test_real_files_of_each_allowed_kind_are_accepted(name: str, content: object, kind: object) -> None:
    data = content()  # type: ignore[operator]
    checked = validate_upload(SimpleUploadedFile(name, data, content_type="application/octet-stream"))
    assert checked.kind is kind
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.display_name == name
    assert checked.stored_name.endswith(kind.extensions[0])  # type: ignore[attr-defined]
    assert name.split(".")[0] not in checked.stored_name


def test_the_browser_claimed_type_is_ignored() -> None:
    checked = validate_upload(SimpleUploadedFile("a.pdf", real_pdf(), content_type="text/html"))
    assert checked.content_type == "application/pdf"


def test_an_executable_renamed_pdf_is_refused() -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("hoa-don.pdf", exe))
    assert caught.value.code == "type"
    assert "Loại tệp không được chấp nhận" in caught.value.messages[0]


def test_a_zip_renamed_docx_without_a_document_part_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(
            SimpleUploadedFile("thuyet-minh.docx", plain_zip("[Content_Types].xml", "readme.txt"))
        )
    assert caught.value.code == "type"


def test_a_macro_enabled_document_is_refused() -> None:
    macro = plain_zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("thuyet-minh.docx", macro))


def test_a_pdf_named_docx_is_refused_as_disguised() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("don.docx", real_pdf()))
    assert caught.value.code == "extension"
    assert "không khớp với nội dung tệp (PDF)" in caught.value.messages[0]


def test_a_docx_named_xlsx_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("bang.xlsx", real_docx()))
    assert caught.value.code == "extension"


def test_an_html_page_or_text_is_refused() -> None:
    for data in (b"<html><script>alert(1)</script></html>", b"plain text"):
        with pytest.raises(ValidationError):
            validate_upload(SimpleUploadedFile("x.pdf", data))


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_oversized_file_is_refused_before_it_is_read() -> None:
    data = real_pdf() + b"\n%" + b"x" * 2048
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("lon.pdf", data))
    assert caught.value.code == "too_large"
    assert caught.value.messages[0].endswith("Dung lượng tối đa là 1 KB.")


def test_the_size_limit_comes_from_settings_and_is_shown_in_megabytes() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("a.pdf", real_pdf()), max_bytes=100)
    assert caught.value.code == "too_large"
    with override_settings(UPLOAD_MAX_BYTES=20 * 1024 * 1024):
        big = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
        with pytest.raises(ValidationError, match="tối đa là 20 MB"):
            validate_upload(big)


MB = 1024 * 1024


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [
        # 20.04 MB used to read "(20 MB). Dung lượng tối đa là 20 MB": the size now shows the
        # decimals it takes to differ from the limit, rounded up.
        (20 * MB + 40_000, 20 * MB, "Tệp quá lớn (20,04 MB). Dung lượng tối đa là 20 MB."),
        (int(20.4 * MB), 20 * MB, "Tệp quá lớn (20,4 MB). Dung lượng tối đa là 20 MB."),
        (20 * MB + 1, 20 * MB, "Tệp quá lớn (20,01 MB). Dung lượng tối đa là 20 MB."),
        (21 * MB, 20 * MB, "Tệp quá lớn (21 MB). Dung lượng tối đa là 20 MB."),
        (1025, 1024, "Tệp quá lớn (1,01 KB). Dung lượng tối đa là 1 KB."),
    ],
)
def test_the_size_limit_message_never_contradicts_itself(size: int, limit: int, expected: str) -> None:
    assert too_large_message(size, limit) == expected


def test_every_oversized_upload_says_a_size_above_the_limit() -> None:
    with override_settings(UPLOAD_MAX_BYTES=20 * MB):
        big = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * (20 * MB + 30_000))
        with pytest.raises(ValidationError) as caught:
            validate_upload(big)
    assert caught.value.messages[0] == "Tệp quá lớn (20,03 MB). Dung lượng tối đa là 20 MB."


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("rong.pdf", b""))
    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\don.pdf", "don.pdf"),
        ("C:\\Users\\cb\\Desktop\\Thuyết minh.pdf", "Thuyết minh.pdf"),
        ("bad\x00name\r\n.pdf", "bad name.pdf"),
        ('a<b>:"c"|d?*.pdf', "a b c d.pdf"),
        ("..", "tep-dinh-kem.pdf"),
        ("", "tep-dinh-kem.pdf"),
        ("thuyet-minh", "thuyet-minh.pdf"),
        ("\u202egpj.pdf", "gpj.pdf"),
    ],
)
def test_names_are_cleaned_for_display(given: str, shown: str) -> None:
    assert safe_display_name(given, fallback_extension=".pdf") == shown


def test_a_path_traversal_name_never_reaches_the_disk_name() -> None:
    checked = validate_upload(SimpleUploadedFile("../../../../tmp/evil.pdf", real_pdf()))
    assert checked.display_name == "evil.pdf"
    assert "/" not in checked.stored_name
    assert ".." not in checked.stored_name
    assert len(checked.stored_name) == 32 + len(".pdf")


def test_decomposed_names_are_composed_and_long_names_keep_their_extension() -> None:
    decomposed = unicodedata.normalize("NFD", "Thuyết minh sáng kiến.pdf")
    assert safe_display_name(decomposed) == "Thuyết minh sáng kiến.pdf"
    long_name = "Báo cáo " * 40 + ".pdf"
    cleaned = safe_display_name(long_name)
    assert cleaned.endswith(".pdf")
    assert len(cleaned) <= 150
