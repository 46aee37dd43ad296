"""Reading an uploaded spreadsheet: the one way every import opens a workbook.

A file is judged before openpyxl parses it (``check_workbook``: its size, its content really
an .xlsx, its zip directory and XML parts within ``core.uploads.check_package``'s limits), so a
form refuses a bad file at once with a message naming the limit, and the background job that
imports it checks the same again. Rows are then streamed from openpyxl's read-only mode and
bounded again as they come: nothing reads a whole sheet into memory behind the caller's back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from caicach.core import uploads


def not_xlsx_message() -> str:
    return _("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")


def check_workbook(file: IO[bytes], *, max_bytes: int) -> None:
    """Refuse, before parsing, a file over ``max_bytes``, one that is not an .xlsx by its
    content (a renamed CSV, page, document or macro workbook), or a package whose parsing
    would cost past the limits. Raises ValidationError with a Vietnamese message."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    if size > max_bytes:
        raise ValidationError(uploads.too_large_message(size, max_bytes), code="too_large")
    if uploads.sniff(file) is not uploads.XLSX:
        raise ValidationError(not_xlsx_message(), code="type")
    uploads.check_package(file)


@contextmanager
def first_sheet_rows(file: IO[bytes], *, max_bytes: int) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The first sheet's rows as tuples of values (formulas as their cached results), streamed.
    ValidationError is raised on entering for a refused file, and while iterating for a sheet
    past the row or column limit or damaged further down."""
    from openpyxl import load_workbook

    limits = uploads.PackageLimits.from_settings()
    check_workbook(file, max_bytes=max_bytes)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises assorted errors (zip, XML, key) on damaged files
        raise ValidationError(not_xlsx_message(), code="type") from exc
    try:
        if not workbook.worksheets:
            raise ValidationError(not_xlsx_message(), code="type")
        sheet = workbook.worksheets[0]
        # The declared dimension is what the read-only reader pads every row and the sheet
        # to: one saying A1:XFD1048576 would make it yield a million rows of 16,384 cells.
        if (sheet.max_row or 0) > limits.rows:
            raise ValidationError(uploads.too_many_rows_message(limits.rows), code="sheet_rows")
        if (sheet.max_column or 0) > limits.columns:
            raise ValidationError(uploads.too_many_columns_message(1, limits.columns), code="sheet_columns")
        yield _bounded_rows(sheet.iter_rows(values_only=True), limits)
    finally:
        workbook.close()


def _bounded_rows(
    rows: Iterator[tuple[Any, ...]], limits: uploads.PackageLimits
) -> Iterator[tuple[Any, ...]]:
    number = 0
    while True:
        try:
            row = next(rows, None)
        except Exception as exc:  # a part that parsed on the scan but not as a sheet
            raise ValidationError(not_xlsx_message(), code="type") from exc
        if row is None:
            return
        number += 1
        if number > limits.rows:
            raise ValidationError(uploads.too_many_rows_message(limits.rows), code="sheet_rows")
        if len(row) > limits.columns:
            raise ValidationError(
                uploads.too_many_columns_message(number, limits.columns), code="sheet_columns"
            )
        yield row
