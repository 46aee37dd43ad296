"""Formula payloads typed into titles and names come back from every export as text: no cell
of any XLSX is a formula, formula-like text is quote-prefixed (its value unchanged), a CSV
cell carries a leading apostrophe, and numbers and dates stay numbers and dates."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from caicach.core import exports
from caicach.core.models import Job, JobStatus, Unit
from caicach.core.units.services import unit_import_xlsx
from caicach.workprogram.models import WorkProgram
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit
from tests.initiatives.factories import complete_draft, dossier, province_campaign, send
from tests.workprogram.factories import make_bare_program, make_item

pytestmark = pytest.mark.django_db

PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+2",
    "@SUM(1)",
    "\t=1",
    "\r=1",
)
TODAY = datetime.date(2024, 5, 20)


def cells_of(content: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(content: bytes, payloads: tuple[str, ...] = PAYLOADS) -> list[Any]:
    """No cell is a formula; every payload is there, as text, exactly, quote-prefixed."""
    cells = cells_of(content)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    for cell in texts:
        if exports.is_formula_like(cell.value):
            assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    found = {cell.value for cell in texts}
    for payload in payloads:
        assert any(payload in value for value in found), payload
    return cells


# --- The writer itself ------------------------------------------------------------------------------


@pytest.mark.parametrize("write_only", [False, True], ids=["workbook", "write-only"])
def test_the_writer_keeps_text_as_text_and_numbers_and_dates_as_they_are(write_only: bool) -> None:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("x") if write_only else workbook.active
    day = datetime.date(2024, 5, 20)
    sheet.append(exports.row(sheet, [*PAYLOADS, 42, 1.5, day, None, "Sở Nội vụ"]))  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = assert_no_formula(buffer.getvalue())
    values = [cell.value for cell in cells]
    assert values[: len(PAYLOADS)] == list(PAYLOADS)
    number, fraction, date, empty, plain = cells[len(PAYLOADS) :]
    assert (number.value, number.data_type) == (42, "n") and (fraction.value, fraction.data_type) == (
        1.5,
        "n",
    )
    assert date.is_date and date.value.date() == day
    assert empty.value is None
    assert plain.value == "Sở Nội vụ" and not plain.quotePrefix


def test_control_characters_do_not_break_an_export() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(exports.row(sheet, ["Đề án\x01 số\x0b 1"]))  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert cells_of(buffer.getvalue())[0].value == "Đề án số 1"


def test_a_csv_cell_gets_a_leading_apostrophe_and_numbers_stay_bare() -> None:
    listing = io.StringIO()
    exports.CsvWriter(listing).writerow([*PAYLOADS, 3, "Sở Nội vụ", "a=b"])
    (row,) = csv.reader(io.StringIO(listing.getvalue()))
    assert row == [*("'" + payload for payload in PAYLOADS), "3", "Sở Nội vụ", "a=b"]


# --- Every export ---------------------------------------------------------------------------------


def test_the_unit_export_writes_hostile_names_as_text_and_reimports_them(
    client: Client, org: Org, people: People
) -> None:
    for number, payload in enumerate(PAYLOADS):
        make_unit(f"F{number}", name=payload, short_name=payload, parent=org.province, valid_from=TODAY)
    client.force_login(people.admin)
    response = client.get(reverse("unit_export"))
    cells = assert_no_formula(response.content)
    valid_from = [cell for cell in cells if cell.column == 6 and cell.row > 1 and cell.value is not None]
    assert valid_from and all(cell.is_date for cell in valid_from)

    result = unit_import_xlsx(actor=people.admin, file=SimpleUploadedFile("don-vi.xlsx", response.content))

    assert result.ok, result.errors
    names = dict(Unit.objects.filter(code__startswith="F").values_list("code", "name"))
    # The import trims the cells it reads: only the payloads with leading blanks change.
    kept = {f"F{n}": payload for n, payload in enumerate(PAYLOADS) if payload == payload.strip()}
    assert {code: names[code] for code in kept} == kept


@pytest.fixture
def hostile_program(org: Org, people: People) -> Iterator[WorkProgram]:
    with on_day(TODAY):
        program = make_bare_program(org.province, year=2024)
        for number, payload in enumerate(PAYLOADS):
            lead = make_unit(f"L{number}", name=payload, parent=org.province)
            make_item(program, lead, datetime.date(2024, 2, 1), title=payload, leader=people.leader)
        yield program


def test_the_kpi_exports_write_item_titles_and_unit_names_as_text(
    client: Client, hostile_program: WorkProgram, people: People
) -> None:
    client.force_login(people.office_officer)
    pk = hostile_program.pk
    unfinished = client.get(reverse("workprogram:kpi_unfinished", kwargs={"pk": pk}) + "?month=5&format=xlsx")
    assert unfinished.status_code == 200
    cells = assert_no_formula(unfinished.content)
    numbers = [cell for cell in cells if cell.column == 1 and isinstance(cell.value, int)]
    assert len(numbers) == len(PAYLOADS) and all(cell.data_type == "n" for cell in numbers)

    by_unit = client.get(reverse("workprogram:kpi", kwargs={"pk": pk}) + "?format=xlsx")
    cells = assert_no_formula(by_unit.content)
    due = [cell for cell in cells if cell.column == 3 and isinstance(cell.value, int)]
    assert due and all(cell.data_type == "n" for cell in due)

    reports = client.get(reverse("workprogram:report_list", kwargs={"pk": pk}) + "?format=xlsx")
    assert_no_formula(reports.content)


def test_the_import_template_lists_hostile_unit_names_as_text(
    client: Client, hostile_program: WorkProgram, people: People
) -> None:
    client.force_login(people.office_officer)
    response = client.get(reverse("workprogram:program_import_template", kwargs={"pk": hostile_program.pk}))
    assert response.status_code == 200
    assert_no_formula(response.content)


def test_the_dossier_export_writes_titles_and_authors_as_text_and_stays_streamed(
    client: Client, org: Org, people: People
) -> None:
    campaign = province_campaign(org, people)
    for payload in PAYLOADS:
        dossier(campaign, org.science, title=payload, authors=[(payload, "100", None)])
    client.force_login(people.reform_officer)
    response = client.post(reverse("initiatives:initiative_export") + f"?campaign={campaign.pk}")
    assert response.status_code == 200
    cells = assert_no_formula(response.content)
    numbers = [cell for cell in cells if cell.column == 1 and cell.row > 1]
    assert len(numbers) == len(PAYLOADS) and all(cell.data_type == "n" for cell in numbers)


def test_the_campaign_zip_lists_hostile_titles_behind_an_apostrophe(
    client: Client, org: Org, people: People, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = province_campaign(org, people)
    payloads = PAYLOADS[:3]
    for payload in payloads:
        send(
            complete_draft(
                author=people.unit_staff, unit=org.science, campaign=campaign, data={"title": payload}
            ),
            people,
        )
    client.force_login(people.reform_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("initiatives:campaign_dossiers_zip", kwargs={"pk": campaign.pk}))
    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    with zipfile.ZipFile(media / job.result_file) as archive:
        listing = archive.read("danh-sach-ho-so.csv").decode("utf-8-sig")
    _header, *rows = csv.reader(io.StringIO(listing))
    assert sorted(row[3] for row in rows) == sorted("'" + payload for payload in payloads)
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert all(not row[5].startswith(exports.FORMULA_TRIGGERS) for row in rows)
