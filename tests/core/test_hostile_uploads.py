"""Hostile uploads: zip bombs and other packages built to exhaust a worker, and files wearing
an extension their content belies, at every upload field. Each is refused before a parser
sees it, with a Vietnamese message naming the limit, and nothing is created; a child process
shows the refusal costs next to no memory."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from caicach.core import spreadsheets, uploads
from caicach.core.models import AuditEvent, Job, Unit
from caicach.core.units.services import unit_import_xlsx
from caicach.initiatives.models import Campaign, Initiative, InitiativeAttachment
from caicach.workprogram.models import ProgramItem, WorkProgram
from caicach.workprogram.programs.imports import program_import_xlsx
from tests.conftest import PASSWORD, Org, People
from tests.initiatives.factories import SEED_000, docx_from_text, make_draft, open_campaign, seed_text
from tests.workprogram.factories import make_program

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOMB_INFLATED = 200 * MB
SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --- Building hostile packages --------------------------------------------------------------------


def real_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Mã", "Tên đơn vị"])
    sheet.append(["X1", "Xã Một"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def real_docx() -> bytes:
    return docx_from_text(seed_text(SEED_000))


def repacked(base: bytes, parts: dict[str, bytes | Callable[[Any], None]], *, extra: int = 0) -> bytes:
    """``base`` with some parts replaced (bytes, or a function writing a huge part in chunks,
    so the test never holds it in memory) and ``extra`` tiny parts added; maximum deflate."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info))
        for name, content in parts.items():
            if callable(content):
                with target.open(name, "w", force_zip64=True) as part:
                    content(part)
            else:
                target.writestr(name, content)
        for number in range(extra):
            target.writestr(f"customXml/item{number}.bin", b"x")
    return buffer.getvalue()


def repeated(size: int, head: bytes = b"", tail: bytes = b"") -> Callable[[Any], None]:
    """A part of ``size`` bytes of one repeated letter between ``head`` and ``tail``: one
    inline-string cell as long as the part, the costliest thing openpyxl could be fed."""

    def write(part: Any) -> None:
        part.write(head)
        chunk = b"A" * MB
        for _ in range(size // MB):
            part.write(chunk)
        part.write(tail)

    return write


def sheet_xml(rows: bytes, *, dimension: bytes = b"") -> bytes:
    declared = b'<dimension ref="' + dimension + b'"/>' if dimension else b""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="'
        + MAIN_NS
        + b'">'
        + declared
        + b"<sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


ONE_CELL_HEAD = b'<worksheet xmlns="' + MAIN_NS + b'"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
ONE_CELL_TAIL = b"</t></is></c></row></sheetData></worksheet>"

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + n, (b"&%c;" % (ord("a") + n)) * 10) for n in range(8))
    + b']><sst xmlns="'
    + MAIN_NS
    + b'" count="1" uniqueCount="1"><si><t>&i;</t></si></sst>'
)


def xlsx_bomb() -> bytes:
    """Small on disk, 200 MB inflated: the total is over the limit."""
    return repacked(real_xlsx(), {SHEET: repeated(BOMB_INFLATED, ONE_CELL_HEAD, ONE_CELL_TAIL)})


def xlsx_ratio_bomb() -> bytes:
    """30 MB inflated, under the total, but a thousand times its size on disk."""
    return repacked(real_xlsx(), {SHEET: repeated(30 * MB, ONE_CELL_HEAD, ONE_CELL_TAIL)})


def xlsx_many_entries() -> bytes:
    return repacked(real_xlsx(), {}, extra=1001)


def xlsx_many_rows() -> bytes:
    """20,001 rows counted as openpyxl counts them: by their number when they have one."""
    rows = b"<row><c><v>1</v></c></row>" * 10 + b'<row r="20001"><c><v>1</v></c></row>'
    return repacked(real_xlsx(), {SHEET: sheet_xml(rows)})


def xlsx_unnumbered_rows() -> bytes:
    return repacked(real_xlsx(), {SHEET: sheet_xml(b"<row><c><v>1</v></c></row>" * 20_001)})


def xlsx_far_cell() -> bytes:
    """One cell at the sheet's last corner: the read-only reader would pad a million rows
    of 16,384 cells to reach it."""
    return repacked(real_xlsx(), {SHEET: sheet_xml(b'<row r="1"><c r="XFD1048576"><v>1</v></c></row>')})


def xlsx_many_columns() -> bytes:
    return repacked(
        real_xlsx(), {SHEET: sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c><c r="AY1"><v>2</v></c></row>')}
    )


def xlsx_lying_dimension() -> bytes:
    """A sheet of one cell declaring itself A1:XFD1048576, which the reader pads to."""
    return repacked(
        real_xlsx(),
        {SHEET: sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c></row>', dimension=b"A1:XFD1048576")},
    )


def xlsx_billion_laughs() -> bytes:
    return repacked(real_xlsx(), {"xl/sharedStrings.xml": BILLION_LAUGHS})


def xlsx_deep_nesting() -> bytes:
    """Elements nested far deeper than any Office part: each level costs a parser memory."""
    return repacked(real_xlsx(), {"customXml/item1.xml": b"<a>" * 300 + b"</a>" * 300})


def docx_bomb() -> bytes:
    return repacked(real_docx(), {"word/media/image1.png": repeated(BOMB_INFLATED)})


def docx_ratio_bomb() -> bytes:
    return repacked(real_docx(), {"word/media/image1.png": repeated(30 * MB)})


def docx_many_entries() -> bytes:
    return repacked(real_docx(), {}, extra=1001)


def docx_billion_laughs() -> bytes:
    laughs = BILLION_LAUGHS.replace(b"sst", b"w:document").replace(
        b'xmlns="' + MAIN_NS + b'" count="1" uniqueCount="1"',
        b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
    )
    return repacked(real_docx(), {"word/document.xml": laughs})


TOTAL = "MB; tối đa 50 MB), không thể đọc."  # after "Tệp có nội dung giải nén quá lớn (200"
RATIO = "giải nén ra hơn 100 lần dung lượng tệp"
ENTRIES = "Tệp nén chứa quá nhiều thành phần (1"
ROWS = "Bảng tính có quá nhiều dòng: tối đa 20.000 dòng."
COLUMNS = "có quá nhiều cột: tối đa 50 cột."
DOCTYPE = "Tệp chứa khai báo DOCTYPE"
DAMAGED = "Tệp bị hỏng hoặc không đúng định dạng, không đọc được."

SPREADSHEET_BOMBS: list[tuple[str, Callable[[], bytes], str]] = [
    ("bomb", xlsx_bomb, TOTAL),
    ("ratio", xlsx_ratio_bomb, RATIO),
    ("entries", xlsx_many_entries, ENTRIES),
    ("rows", xlsx_many_rows, ROWS),
    ("unnumbered-rows", xlsx_unnumbered_rows, ROWS),
    ("far-cell", xlsx_far_cell, ROWS),
    ("columns", xlsx_many_columns, COLUMNS),
    ("billion-laughs", xlsx_billion_laughs, DOCTYPE),
    ("deep-nesting", xlsx_deep_nesting, DAMAGED),
]
DOCX_BOMBS: list[tuple[str, Callable[[], bytes], str]] = [
    ("bomb", docx_bomb, TOTAL),
    ("ratio", docx_ratio_bomb, RATIO),
    ("entries", docx_many_entries, ENTRIES),
    ("billion-laughs", docx_billion_laughs, DOCTYPE),
]
_BUILT: dict[Callable[[], bytes], bytes] = {}


def built(make: Callable[[], bytes]) -> bytes:
    """Each hostile file is built once for the whole module (the bombs take a second)."""
    if make not in _BUILT:
        _BUILT[make] = make()
    return _BUILT[make]


def ids(cases: list[tuple[str, Callable[[], bytes], str]]) -> list[str]:
    return [name for name, _make, _message in cases]


# --- The guard ----------------------------------------------------------------------------------


def test_the_bombs_are_small_files_that_would_inflate_past_any_worker() -> None:
    bomb = built(xlsx_bomb)
    assert len(bomb) < MB
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(SHEET).file_size >= BOMB_INFLATED


@pytest.mark.parametrize(("name", "make", "message"), SPREADSHEET_BOMBS, ids=ids(SPREADSHEET_BOMBS))
def test_the_guard_refuses_each_hostile_workbook_naming_the_limit(
    name: str, make: Callable[[], bytes], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        spreadsheets.check_workbook(io.BytesIO(built(make)), max_bytes=20 * MB)
    assert message in caught.value.messages[0]


def test_a_sheet_declaring_a_huge_dimension_is_refused_once_opened() -> None:
    with (
        pytest.raises(ValidationError) as caught,
        spreadsheets.first_sheet_rows(io.BytesIO(built(xlsx_lying_dimension)), max_bytes=20 * MB),
    ):
        pass  # pragma: no cover (refused on entering)
    assert ROWS in caught.value.messages[0]


def test_the_rows_are_bounded_again_while_streaming(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """Should a part ever escape the scan, the reader still stops at the limit."""
    monkeypatch.setattr(uploads, "check_package", lambda stream: None)
    settings.SPREADSHEET_MAX_ROWS = 3
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for number in range(5):
        sheet.append([number])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # The dimension openpyxl writes would refuse it at once: take it away.
    content = repacked(buffer.getvalue(), {})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        stripped = archive.read(SHEET).replace(b'<dimension ref="A1:A5"/>', b"")
    content = repacked(content, {SHEET: stripped})
    read: list[tuple[Any, ...]] = []
    with (
        pytest.raises(ValidationError) as caught,
        spreadsheets.first_sheet_rows(io.BytesIO(content), max_bytes=MB) as rows,
    ):
        read.extend(rows)
    assert caught.value.messages == [
        "Bảng tính có quá nhiều dòng: tối đa 3 dòng. Vui lòng chia thành nhiều tệp."
    ]
    assert len(read) == 3


def test_too_many_shared_strings_are_refused(settings: Any) -> None:
    settings.SPREADSHEET_MAX_ROWS = 2
    settings.SPREADSHEET_MAX_COLUMNS = 2
    strings = b'<sst xmlns="' + MAIN_NS + b'">' + b"<si><t>x</t></si>" * 5 + b"</sst>"
    with pytest.raises(ValidationError) as caught:
        uploads.check_package(io.BytesIO(repacked(real_xlsx(), {"xl/sharedStrings.xml": strings})))
    assert caught.value.code == "sheet_rows"


def test_limits_are_settings(settings: Any) -> None:
    settings.PACKAGE_MAX_ENTRIES = 5
    with pytest.raises(ValidationError) as caught:
        uploads.check_package(io.BytesIO(real_xlsx()))
    assert "tối đa 5)" in caught.value.messages[0]


def test_real_workbooks_and_documents_pass_the_guard() -> None:
    spreadsheets.check_workbook(io.BytesIO(real_xlsx()), max_bytes=MB)
    uploads.check_package(io.BytesIO(real_docx()))


# --- Every import, through its page ---------------------------------------------------------------


@pytest.fixture
def program(org: Org, people: People) -> WorkProgram:
    return make_program(org, people)


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return open_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science],
    )


def assert_refused_on_the_form(response: Any, message: str) -> None:
    assert response.status_code == 200
    errors = [str(error) for error in response.context["form"].errors.get("file", [])]
    assert any(message in error for error in errors), errors
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action__contains="import").exists()


@pytest.mark.parametrize(("name", "make", "message"), SPREADSHEET_BOMBS, ids=ids(SPREADSHEET_BOMBS))
def test_the_unit_import_page_refuses_each_hostile_workbook(
    client: Client, org: Org, people: People, name: str, make: Callable[[], bytes], message: str
) -> None:
    units = Unit.objects.count()
    client.force_login(people.admin)
    response = client.post(reverse("unit_import"), {"file": SimpleUploadedFile("don-vi.xlsx", built(make))})
    assert_refused_on_the_form(response, message)
    assert Unit.objects.count() == units


@pytest.mark.parametrize(("name", "make", "message"), SPREADSHEET_BOMBS, ids=ids(SPREADSHEET_BOMBS))
def test_the_work_program_import_page_refuses_each_hostile_workbook(
    client: Client, program: WorkProgram, name: str, make: Callable[[], bytes], message: str
) -> None:
    assert client.login(username="cvvanphong", password=PASSWORD)
    response = client.post(
        reverse("workprogram:program_import", args=[program.pk]),
        {"file": SimpleUploadedFile("chuong-trinh.xlsx", built(make))},
    )
    assert_refused_on_the_form(response, message)
    assert not ProgramItem.objects.exists()


@pytest.mark.parametrize(("name", "make", "message"), DOCX_BOMBS, ids=ids(DOCX_BOMBS))
def test_the_dossier_import_page_refuses_each_hostile_document(
    client: Client,
    org: Org,
    people: People,
    campaign: Campaign,
    name: str,
    make: Callable[[], bytes],
    message: str,
) -> None:
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("initiatives:initiative_import"),
        {
            "file": SimpleUploadedFile("bao-cao.docx", built(make)),
            "unit": org.science.pk,
            "campaign": campaign.pk,
        },
    )
    assert_refused_on_the_form(response, message)
    assert not Initiative.objects.exists()


def test_the_dossier_import_into_a_draft_refuses_a_bomb(client: Client, org: Org, people: People) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science)
    version = draft.version
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("initiatives:initiative_import_into", args=[draft.pk]),
        {"file": SimpleUploadedFile("bao-cao.docx", built(docx_bomb)), "version": draft.version},
    )
    assert_refused_on_the_form(response, TOTAL)
    draft.refresh_from_db()
    assert draft.version == version


@pytest.mark.parametrize(
    "make", [xlsx_bomb, xlsx_many_rows, xlsx_lying_dimension], ids=["bomb", "rows", "dimension"]
)
def test_the_import_jobs_check_the_file_again(
    org: Org, people: People, program: WorkProgram, make: Callable[[], bytes]
) -> None:
    """The services the jobs run refuse what the forms refuse: a file reaching them by
    another way is no cheaper to send."""
    units = Unit.objects.count()
    unit_result = unit_import_xlsx(actor=people.admin, file=io.BytesIO(built(make)))
    program_result = program_import_xlsx(
        actor=people.office_officer, program=program, file=io.BytesIO(built(make)), filename="x.xlsx"
    )
    for result in (unit_result, program_result):
        assert not result.ok and result.errors[0].row is None
    assert Unit.objects.count() == units and not ProgramItem.objects.exists()


# --- Memory -----------------------------------------------------------------------------------------


MEMORY_PROBE = textwrap.dedent(
    """
    import io, resource, sys
    import django
    import docx, openpyxl  # what an import loads anyway: before the baseline
    django.setup()
    from django.core.exceptions import ValidationError
    from caicach.core.units.services import _read_rows
    from caicach.initiatives.imports.parser import parse_dossier
    from caicach.workprogram.programs.imports import _read

    def peak_kb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # Warm up on a harmless workbook: modules, translations, the database-free settings.
    warm = io.BytesIO()
    openpyxl.Workbook().save(warm)
    _read_rows(io.BytesIO(warm.getvalue()))
    files = [open(path, "rb").read() for path in sys.argv[1:]]
    before = peak_kb()
    for content in files[:-1]:
        for read in (_read_rows, _read):
            rows, errors = read(io.BytesIO(content))
            assert errors and not rows, errors
    try:
        parse_dossier(files[-1], "bom.docx")
    except ValidationError:
        pass
    else:
        raise AssertionError("the docx bomb was read")
    print(peak_kb() - before)
    """
)


def test_refusing_the_bombs_keeps_the_worker_memory_flat(tmp_path: Path) -> None:
    """Run in a child process so its peak resident memory (ru_maxrss) is the import's own:
    the 200 MB bombs and the padding tricks through each import's reading path must not grow
    it by more than 100 MB (before the guard, the unit import grew the server by 11 GB)."""
    paths = []
    for make in (
        xlsx_bomb,
        xlsx_ratio_bomb,
        xlsx_far_cell,
        xlsx_lying_dimension,
        xlsx_billion_laughs,
        docx_bomb,
    ):
        path = tmp_path / f"{make.__name__}.bin"
        path.write_bytes(built(make))
        paths.append(str(path))
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "caicach.settings",
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("DATABASE_URL", None)  # the reading paths never touch the database
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, *paths],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert probe.returncode == 0, probe.stderr
    growth_kb = int(probe.stdout.strip().splitlines()[-1])
    assert growth_kb < 100 * 1024, f"peak memory grew by {growth_kb // 1024} MB"


# --- Disguised files at every upload field ----------------------------------------------------------


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def plain_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


def macro_package(main: str) -> bytes:
    """A macro-enabled package whose VBA project is not at its usual name: Office finds it by
    the content type the package declares."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/x/m.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
        package.writestr(main, "<x/>")
        package.writestr("x/m.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


DISGUISES: list[tuple[str, bytes]] = [
    ("exe", EXE),
    ("html", HTML),
    ("svg", SVG),
    ("zip", plain_zip("readme.txt")),
    ("zip-with-content-types", plain_zip("[Content_Types].xml", "payload.exe")),
    ("macro-workbook", plain_zip("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin")),
    ("macro-document", plain_zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")),
    ("renamed-macro-workbook", macro_package("xl/workbook.xml")),
    ("renamed-macro-document", macro_package("word/document.xml")),
]


@pytest.mark.parametrize(("kind", "content"), DISGUISES, ids=[kind for kind, _ in DISGUISES])
@pytest.mark.parametrize("extension", [".pdf", ".docx", ".xlsx", ".png", ".jpg"])
def test_an_attachment_whose_content_is_not_its_name_is_refused(
    client: Client, org: Org, people: People, kind: str, content: bytes, extension: str
) -> None:
    draft = make_draft(actor=people.unit_staff, unit=org.science)
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("initiatives:attachment_add", args=[draft.pk]),
        {"file": SimpleUploadedFile(f"tai-lieu{extension}", content), "description": ""},
    )
    assert response.status_code in (200, 302)
    assert not InitiativeAttachment.objects.exists()


@pytest.mark.parametrize(("kind", "content"), DISGUISES, ids=[kind for kind, _ in DISGUISES])
def test_the_spreadsheet_imports_refuse_a_disguised_xlsx_on_the_form(
    client: Client, people: People, program: WorkProgram, kind: str, content: bytes
) -> None:
    client.force_login(people.admin)
    response = client.post(reverse("unit_import"), {"file": SimpleUploadedFile("don-vi.xlsx", content)})
    assert_refused_on_the_form(response, "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")
    client.logout()
    assert client.login(username="cvvanphong", password=PASSWORD)
    response = client.post(
        reverse("workprogram:program_import", args=[program.pk]),
        {"file": SimpleUploadedFile("chuong-trinh.xlsx", content)},
    )
    assert_refused_on_the_form(response, "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")


@pytest.mark.parametrize(("kind", "content"), DISGUISES, ids=[kind for kind, _ in DISGUISES])
def test_the_dossier_import_refuses_a_disguised_docx_on_the_form(
    client: Client, org: Org, people: People, campaign: Campaign, kind: str, content: bytes
) -> None:
    client.force_login(people.unit_staff)
    response = client.post(
        reverse("initiatives:initiative_import"),
        {
            "file": SimpleUploadedFile("bao-cao.docx", content),
            "unit": org.science.pk,
            "campaign": campaign.pk,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors.get("file")
    assert not Initiative.objects.exists()


def test_a_pdf_carrying_a_page_is_stored_as_a_pdf_and_only_ever_downloaded(
    client: Client, org: Org, people: People
) -> None:
    """A polyglot (a real PDF header, a page after it) is a PDF to us: stored under a random
    name, served as application/pdf, as a download, never sniffed into a page."""
    draft = make_draft(actor=people.unit_staff, unit=org.science)
    client.force_login(people.unit_staff)
    client.post(
        reverse("initiatives:attachment_add", args=[draft.pk]),
        {"file": SimpleUploadedFile("ban-in.pdf", b"%PDF-1.4\n" + HTML), "description": ""},
    )
    attachment = InitiativeAttachment.objects.get()
    assert attachment.content_type == "application/pdf" and "ban-in" not in attachment.file.name
    response = client.get(reverse("initiatives:attachment_download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("hoa-don.pdf.exe", None),  # double extension ending in a program: refused
        ("hoa-don.exe.pdf", "hoa-don.exe.pdf"),  # a PDF whose name mentions .exe: a PDF
        ("hoa\x00don.pdf", "hoa don.pdf"),
        ("hoa-don\u202efdp.exe", None),  # right-to-left override hiding ".exe"
        ("..\\..\\windows\\hoa-don.pdf", "hoa-don.pdf"),
        (unicodedata.normalize("NFD", "Thuyết minh.pdf"), "Thuyết minh.pdf"),
    ],
)
def test_hostile_file_names_are_cleaned_or_refused(name: str, shown: str | None) -> None:
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n")
    if shown is None:
        with pytest.raises(ValidationError) as caught:
            uploads.validate_upload(upload)
        assert caught.value.code == "extension"
        return
    checked = uploads.validate_upload(upload)
    assert checked.display_name == shown
    assert unicodedata.is_normalized("NFC", checked.display_name)
    assert checked.stored_name.endswith(".pdf") and "hoa" not in checked.stored_name
