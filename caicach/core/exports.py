"""Writing exported tables, XLSX and CSV: the one writer every export uses, so that text a
user typed (a dossier title, an item, a unit's name) never comes back as a live formula.

Text starting with ``= + - @``, a tab or a carriage return is what a spreadsheet takes for a
formula (OWASP, "CSV Injection"): ``=HYPERLINK(...)`` leaks data when clicked, ``=cmd|...``
runs a program on older Excel. The two formats are neutralised differently:

- XLSX has cell types: text is always written as a string cell (openpyxl would otherwise
  write any text starting with "=" as a formula) and, when it starts with one of those
  characters, marked with Excel's own "quote prefix" — what Excel stores when a user types
  ``'=1`` — so the cell stays text even once edited, while its value is exactly what the
  user typed: sorting, searching and re-importing the file (the unit list round-trips) see
  the real text, and no stray apostrophe shows.
- CSV has no types: such a value is prefixed with a single quote, as OWASP advises; the
  quote is visible, and it is the only thing every spreadsheet program honours.

Numbers, dates and empty cells are written as they are, so columns stay numeric."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def cell(
    sheet: Any,
    value: Any,
    *,
    number_format: str = "",
    font: Font | None = None,
    alignment: Alignment | None = None,
    fill: PatternFill | None = None,
) -> Cell:
    """A cell of ``sheet`` (write-only or not) holding ``value``, text written as text. Append
    it with ``sheet.append`` (or a list of them: ``row``)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    written = WriteOnlyCell(sheet)
    if isinstance(value, str):
        # Control characters are refused by XML (openpyxl raises): one pasted into a title
        # must not make the whole export fail.
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        written.value = text
        written.data_type = "s"
        if is_formula_like(text):
            written.quotePrefix = True
    else:
        written.value = value
    if number_format:
        written.number_format = number_format
    if font is not None:
        written.font = font
    if alignment is not None:
        written.alignment = alignment
    if fill is not None:
        written.fill = fill
    return written


def row(
    sheet: Any,
    values: Iterable[Any],
    *,
    font: Font | None = None,
    alignment: Alignment | None = None,
    fill: PatternFill | None = None,
) -> list[Cell]:
    """The cells of one row, each through ``cell``: ``sheet.append(exports.row(sheet, [...]))``."""
    return [cell(sheet, value, font=font, alignment=alignment, fill=fill) for value in values]


def csv_value(value: Any) -> Any:
    """``value`` fit for a CSV cell: formula-like text behind a single quote."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` whose rows go through ``csv_value``."""

    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow([csv_value(value) for value in values])
