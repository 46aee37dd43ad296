"""Files for the import tests: the seed documents 000 (effectiveness report) and 001
(description) as .txt — copies of ../shared/seeds, checked equal when that folder is present —
and the same documents rebuilt as .docx the way Word holds them: paragraphs with bold and
italic runs instead of Markdown stars, the authors table as a real table with merged header
cells, optionally the signatures side by side in a two-column table."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import docx
from docx.document import Document as DocxDocument

FIXTURES = Path(__file__).resolve().parent / "import_fixtures"
SHARED_SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SEED_000 = "seed_000_effectiveness_report.txt"
SEED_001 = "seed_001_description.txt"
SHARED_NAMES = {SEED_000: "000_0f70f0c41037c782.txt", SEED_001: "001_f51286a28348d762.txt"}

SIGNATURE_LINES = ("Xác nhận của cơ quan, đơn vị", "(Chữ ký, dấu)", "Phạm Văn Đà", "Đại diện nhóm tác giả")


def seed_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def seed_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _add_markdown_paragraph(document: DocxDocument, line: str) -> None:
    """ "**bold**", "*italic*" and "***…**" become runs with those properties."""
    paragraph = document.add_paragraph()
    bold = italic = False
    for token in re.split(r"(\*\*|\*)", line):
        if token == "**":
            bold = not bold
        elif token == "*":
            italic = not italic
        elif token:
            run = paragraph.add_run(token)
            run.bold = bold
            run.italic = italic


def _add_authors_table(document: DocxDocument, rows: list[list[str]]) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c in range(width):
            table.cell(r, c).text = row[c] if c < len(row) else ""
    # The two header rows of the form: "Tỷ lệ (%) và nội dung đóng góp" spans the last two
    # columns; the other headings span both rows.
    first, second = rows[0], rows[1] if len(rows) > 1 else []
    for c in range(width - 1):
        if first[c] if c < len(first) else "":
            next_empty = c + 1 >= len(first) or not first[c + 1]
            if next_empty and c + 1 < len(second) and second[c + 1]:
                table.cell(0, c).merge(table.cell(0, c + 1))
            elif c < len(second) and not second[c]:
                merged = table.cell(0, c).merge(table.cell(1, c))
                merged.text = first[c]


def docx_from_text(text: str, *, signatures_in_table: bool = False) -> bytes:
    """The document as Word would hold it. With ``signatures_in_table`` the closing
    signatures sit side by side in a two-column table, as most offices lay them out."""
    document = docx.Document()
    lines = text.split("\n")
    if signatures_in_table:
        start = lines.index(SIGNATURE_LINES[0])
        tail = [line for line in lines[start:] if line.strip()]
        lines = lines[:start]
    index = 0
    while index < len(lines):
        if "\t" in lines[index]:
            rows = []
            while index < len(lines) and "\t" in lines[index]:
                rows.append(lines[index].split("\t"))
                index += 1
            _add_authors_table(document, rows)
            continue
        if lines[index].strip():
            _add_markdown_paragraph(document, lines[index])
        index += 1
    if signatures_in_table:
        split = tail.index(SIGNATURE_LINES[3])
        table = document.add_table(rows=1, cols=2)
        for cell, part in zip(table.rows[0].cells, (tail[:split], tail[split:]), strict=True):
            cell.text = "\n".join(part)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


_EXPLICIT_NUMBER = re.compile(r"^(\d+(?:\.\d+)*\.)\s+")


def docx_with_word_numbering(text: str) -> bytes:
    """The document with its "1." … "7.3." drawn by Word's list numbering instead of typed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(docx_from_text(text)))
    for paragraph in document.paragraphs:
        match = _EXPLICIT_NUMBER.match(paragraph.text)
        if not match:
            continue
        for run in paragraph.runs:
            if run.text.startswith(match.group(0)):
                run.text = run.text[len(match.group(0)) :]
                break
        else:
            continue
        level = OxmlElement("w:ilvl")
        level.set(qn("w:val"), str(match.group(1).count(".") - 1))
        number = OxmlElement("w:numId")
        number.set(qn("w:val"), "1")
        numbering = OxmlElement("w:numPr")
        numbering.append(level)
        numbering.append(number)
        paragraph._p.get_or_add_pPr().append(numbering)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
