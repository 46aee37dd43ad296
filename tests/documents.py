"""The one place the suite reads a generated document as a clerk does: its text, its text
faults, and the PDF LibreOffice prints from it (is the signature on one page, with the body?).

Tests that need LibreOffice skip cleanly where it is not installed; the Decree 30 checker
lives in ``tests/decree30.py``.
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections.abc import Sequence

import docx
import pytest
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from pypdf import PdfReader

from caicach.core import rendering

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


def docx_text(content: bytes) -> str:
    """Every paragraph of the document in reading order, tables (header, signature) included,
    one line per paragraph line."""
    document = docx.Document(io.BytesIO(content))
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(DocxParagraph(child, document).text)
        elif tag == "tbl":
            for row in DocxTable(child, document).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                        continue
                    seen.add(id(cell._tc))
                    lines += [p.text for p in cell.paragraphs]
    return "\n".join(unicodedata.normalize("NFC", line) for text in lines for line in text.split("\n"))


# Words that open a sentence and are never written with a capital inside one: after a
# lower-case word with no stop between, two sentences were run together.
_SENTENCE_OPENERS = ("Mỗi", "Các", "Những", "Trên đây", "Trong", "Thực hiện", "Căn cứ", "Đề nghị", "Việc")
_RUN_TOGETHER = re.compile(r"[a-zà-ỹđ] (?:" + "|".join(_SENTENCE_OPENERS) + r")\b")
_UNDATED = re.compile(r"ngày\s*(?:\s{2,}|\.{2,}|…)\s*tháng\s*(?:\s{2,}|\.{2,}|…|\d{1,2})\s*năm")


def text_faults(text: str, *, issued: bool = True) -> list[str]:
    """What a clerk would have to retype: a doubled stop (".."; an ellipsis "..." or a dotted
    line to fill in by hand is fine), two sentences run together, and — on an issued
    document — a date line left blank."""
    faults: list[str] = []
    for line in text.splitlines():
        if re.search(r"(?<!\.)\.\.(?![./])", line):
            faults.append(f"doubled stop: {line!r}")
        match = _RUN_TOGETHER.search(line)
        if match:
            faults.append(f"sentences run together ({match.group(0)!r}): {line!r}")
        if issued and _UNDATED.search(line):
            faults.append(f"undated: {line!r}")
    return faults


def assert_clean_text(content: bytes, *, issued: bool = True) -> None:
    assert text_faults(docx_text(content), issued=issued) == []


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, NFC, whitespace collapsed."""
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def pdf_text(content: bytes) -> str:
    """The whole PDF's text, NFC, whitespace collapsed."""
    return " ".join(pdf_pages(content))


def printed(content: bytes) -> list[str]:
    """The pages LibreOffice prints from a DOCX (skips the test without LibreOffice)."""
    if rendering.soffice_binary() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return pdf_pages(rendering.render_pdf(content))


def assert_signature_with_body(
    pages: Sequence[str], *, heading: Sequence[str], name: str, closing: str
) -> None:
    """The page holding the signer's name also holds every line of the signature's heading
    (authority, title) and the end of the body (``closing``, a few words of the last
    paragraph): the signer's name never lands alone on a page."""
    holding = [index for index, page in enumerate(pages) if name in page]
    assert holding, f"{name!r} is on no page"
    page = pages[holding[-1]]
    for line in heading:
        assert line in page, f"{line!r} is not on the page of {name!r}: {page[-400:]!r}"
    assert closing in page, f"the body's end {closing!r} is not on the page of {name!r}: {page[-400:]!r}"
