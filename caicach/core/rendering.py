"""Official documents in the Decree 30/2020/NĐ-CP layout (Annex I), from one typed spec.

Callers describe *what* a document says (``DocumentSpec``); this module alone decides how it
looks: A4, margins 20/20/30/15 mm, Times New Roman, the issuing body and national motto
header, "Số: 05/KH-UBND", the italic place-date line, the title, the body, the signature
block and "Nơi nhận:". DOCX comes from python-docx; PDF from LibreOffice converting that
DOCX (the same file a clerk would print) or, where LibreOffice is not installed, from a
reportlab rendering of the same spec.
"""

from __future__ import annotations

import datetime
import functools
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from xml.sax.saxutils import escape

from django.conf import settings

from caicach.core.document_numbers import padded_number, reference
from caicach.core.text import fold, nfc

if TYPE_CHECKING:
    from caicach.core.models import Unit

logger = logging.getLogger(__name__)

FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"

# Decree 30/2020, Annex I, section II: page and type sizes (mm / pt).
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
HEADER_LEFT_MM = 62.0
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM
FIRST_LINE_INDENT_MM = 12.7
SIZE_BODY = 14
SIZE_HEADER = 13
SIZE_MOTTO = 12
SIZE_RECIPIENTS_LABEL = 12
SIZE_RECIPIENTS = 11
SIZE_TABLE = 13

Align = Literal["left", "center", "right", "justify"]
Format = Literal["docx", "pdf"]


class RenderingError(Exception):
    """A document could not be produced (LibreOffice failed, bad spec)."""


class RenderingUnavailable(RenderingError):
    """This server can make no PDF at all: neither LibreOffice nor a usable serif font."""


# --- The spec -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with its own emphasis inside a paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


Inline = str | Run


@dataclass(frozen=True)
class Heading:
    """A numbered heading; ``text`` carries its own number ("I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích", "a) Phần trình bày:"). Level 1 and 2 are bold, level 3 italic."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    content: tuple[Inline, ...]
    align: Align = "justify"
    indent: bool = True


@dataclass(frozen=True)
class Bullet:
    """A "- " item, the way Vietnamese administrative texts list points."""

    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A bordered table with a bold header row (e.g. the authors of an initiative)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...] = ()


Block = Heading | Paragraph | Bullet | Table


def para(*parts: Inline, align: Align = "justify", indent: bool = True) -> Paragraph:
    return Paragraph(content=tuple(parts), align=align, indent=indent)


def bullet(*parts: Inline) -> Bullet:
    return Bullet(content=tuple(parts))


@dataclass(frozen=True)
class IssuingBody:
    """Top-left of the header. ``superior`` (regular caps) is the body the issuer belongs to,
    ``name`` (bold caps, may hold a line break) the issuer: "UBND TỈNH TÂY NINH" / "SỞ NỘI VỤ",
    or no superior and "ỦY BAN NHÂN DÂN\\nHUYỆN CHÂU THÀNH"."""

    name: str
    superior: str = ""


@dataclass(frozen=True)
class Signature:
    """``authority``: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"… one per line (empty when the
    head signs in their own right); ``title``: "PHÓ CHỦ TỊCH"; ``name``: the signer;
    ``note``: the italic line under the title on a form ("(Chữ ký, dấu)", "(Ký và ghi rõ họ
    tên)"). ``capitals``: False for a form's sentence-case heading ("Xác nhận của cơ quan,
    đơn vị", seed 001)."""

    title: str
    name: str = ""
    authority: str = ""
    note: str = ""
    capitals: bool = True

    @property
    def heading_lines(self) -> tuple[str, ...]:
        lines = [line.strip() for line in self.authority.split("\n") if line.strip()]
        if self.title.strip():
            lines.append(self.title.strip())
        return tuple(_upper(line) if self.capitals else nfc(line) for line in lines)


@dataclass(frozen=True)
class DocumentSpec:
    issuing_body: IssuingBody
    title: str
    place: str
    issued_on: datetime.date | None = None
    # A draft shows "ngày    tháng    năm 2024": the year comes from here when not yet dated.
    year: int | None = None
    subtitle: str = ""
    document_type: str = ""  # "KH", "QĐ"… (Decree 30/2020, Annex III)
    symbol: str = ""  # "KH-UBND"
    number: int | None = None  # None: not yet numbered (a draft)
    body: tuple[Block, ...] = ()
    signature: Signature | None = None
    recipients: tuple[str, ...] = ()
    # Forms (applications, descriptions) are not administrative documents: no number line,
    # no recipients list.
    numbered: bool = True
    with_recipients: bool = True
    filename_hint: str = ""
    # An official letter (công văn) has no title: its subject ("V/v …") sits under its number
    # (Decree 30/2020, Annex I, point 5b).
    excerpt: str = ""
    # A second signature on the left, where an administrative document has its recipients:
    # the council secretary beside the chair, the unit's confirmation beside the authors.
    left_signature: Signature | None = None
    # A form a person files under their own name (Circular 18/2013, annex I; seed 001) has
    # no agency header, only the national motto; its place and date sit over the signature.
    agency_header: bool = True
    # An appendix (phụ lục) printed after the signature and "Nơi nhận", from a new page: it
    # carries its own heading ("PHỤ LỤC", what it is attached to) as its first blocks.
    appendix: tuple[Block, ...] = ()

    def __post_init__(self) -> None:
        # An issued document carries its date: a numbered one without it would print
        # "ngày … tháng … năm" under a real number. Drafts (no number yet) may be undated.
        if self.numbered and self.number is not None and self.issued_on is None:
            raise ValueError(f"A numbered document ({self.number_line}) needs its issue date.")

    @property
    def date_over_signature(self) -> bool:
        return not self.agency_header

    @property
    def number_line(self) -> str:
        if self.number is None:
            return nfc(f"Số: {' ' * 6}/{self.symbol}")
        return nfc(f"Số: {reference(self.number, self.symbol)}")

    @property
    def place_date_line(self) -> str:
        if self.issued_on is not None:
            return place_date_line(self.place, self.issued_on)
        year = self.year if self.year is not None else ""
        return nfc(f"{self.place}, ngày      tháng      năm {year}")


@dataclass(frozen=True)
class RenderedDocument:
    content: bytes
    filename: str
    content_type: str


# --- Dates and names --------------------------------------------------------------------------------


def date_parts(day: datetime.date) -> tuple[str, str, str]:
    """Decree 30/2020, Annex I: a day below 10 and the months January and February take a
    leading zero ("05", "02"); other months do not ("5", "12")."""
    return f"{day.day:02d}", f"{day.month:02d}" if day.month <= 2 else str(day.month), str(day.year)


def place_date_line(place: str, day: datetime.date) -> str:
    """'Châu Thành, ngày 05 tháng 02 năm 2026'."""
    d, m, y = date_parts(day)
    return nfc(f"{place}, ngày {d} tháng {m} năm {y}")


def short_date(day: datetime.date) -> str:
    """'15/5/2024', '02/02/2024': dates inside the text follow the same padding rule."""
    d, m, y = date_parts(day)
    return f"{d}/{m}/{y}"


_COMMITTEE = "ỦY BAN NHÂN DÂN"
_COMMITTEE_FOLDED = ["uy", "ban", "nhan", "dan"]


def _upper(value: str) -> str:
    return nfc(value).upper()


def _committee_at(words: Sequence[str]) -> int | None:
    """Where "Ủy ban nhân dân" starts among ``words``, whatever its spelling: both "Ủy" and
    "Uỷ" are in use (and in upper or lower case), so words are compared folded."""
    folded = [fold(word) for word in words]
    size = len(_COMMITTEE_FOLDED)
    for start in range(len(folded) - size + 1):
        if folded[start : start + size] == _COMMITTEE_FOLDED:
            return start
    return None


def committee_locality(name: str) -> str | None:
    """The place a committee is named after: "Ủy ban nhân dân huyện Châu Thành" (or "Uỷ ban
    …") -> "huyện Châu Thành"; None for a unit whose name does not start with the committee."""
    words = nfc(name).split()
    if _committee_at(words) != 0 or len(words) <= len(_COMMITTEE_FOLDED):
        return None
    return " ".join(words[len(_COMMITTEE_FOLDED) :])


def committee_short(name: str) -> str:
    """The customary abbreviation inside a text and in a superior's header line: "Ủy ban nhân
    dân huyện Châu Thành" / "Uỷ ban nhân dân …" -> "UBND huyện Châu Thành", "Văn phòng Ủy ban
    nhân dân tỉnh" -> "Văn phòng UBND tỉnh". Other names come back unchanged (NFC)."""
    words = nfc(name).split()
    start = _committee_at(words)
    if start is None:
        return nfc(name)
    return " ".join([*words[:start], "UBND", *words[start + len(_COMMITTEE_FOLDED) :]])


def issuing_body_for(unit: Unit) -> IssuingBody:
    """The header lines for a unit: a committee names itself on two lines ("ỦY BAN NHÂN DÂN" /
    "HUYỆN CHÂU THÀNH"); a department or office sits under its committee ("UBND TỈNH TÂY NINH"
    / "SỞ NỘI VỤ")."""
    locality = committee_locality(unit.name)
    if locality is not None:
        return IssuingBody(name=f"{_COMMITTEE}\n{_upper(locality)}")
    superior = ""
    if unit.parent_id is not None and unit.parent is not None:
        superior = _upper(committee_short(unit.parent.name))
    return IssuingBody(name=_upper(unit.name), superior=superior)


def is_committee(unit: Unit) -> bool:
    """A People's Committee (its documents are signed in its name: "TM. ỦY BAN NHÂN DÂN")."""
    return committee_locality(unit.name) is not None


_ON_BEHALF = "TM. ỦY BAN NHÂN DÂN"
_DEPUTY = "PHÓ "


def signature_as_signed(
    *, title: str, name: str = "", authority: str = "", for_committee: bool = False
) -> Signature:
    """The signature block as offices sign (Decree 30/2020, Annex I, section IX), derived
    from the signer's title: a committee's document is signed "TM. ỦY BAN NHÂN DÂN"; its
    chairman signs in his title ("CHỦ TỊCH"), a vice-chairman for the chairman ("KT. CHỦ
    TỊCH" / "PHÓ CHỦ TỊCH"); a deputy head of any body signs for the head ("KT. GIÁM ĐỐC" /
    "PHÓ GIÁM ĐỐC"). Lines already given in ``authority`` are kept, never repeated."""
    heading = _upper(title.strip())
    lines = [_upper(line.strip()) for line in authority.split("\n") if line.strip()]
    # "KT. CHỦ TỊCH" given where only the title belongs in the block: keep it once.
    lines = [line for line in lines if line != heading]

    def has(prefix: str) -> bool:
        return any(line.startswith(prefix) for line in lines)

    if heading.startswith(_DEPUTY) and not has("KT.") and not has("TL.") and not has("TUQ."):
        lines.append(f"KT. {heading[len(_DEPUTY) :]}")
    if for_committee and not has("TM."):
        lines.insert(0, _ON_BEHALF)
    return Signature(title=heading, name=nfc(name.strip()), authority="\n".join(lines))


_SENTENCE_END = (".", "!", "?", ":", ";", "…", "./.")


def sentences(*parts: str) -> str:
    """Parts joined into one text where each ends as a sentence does: "các cơ quan" +
    "Mỗi cơ quan …" reads "các cơ quan. Mỗi cơ quan …", never run together; a part already
    ending in a stop keeps its stop, and no ".." appears where a part brought its own."""
    out: list[str] = []
    for raw in parts:
        part = " ".join(nfc(raw).split())
        if not part:
            continue
        if out and not out[-1].endswith(_SENTENCE_END):
            out[-1] += "."
        out.append(part)
    return " ".join(out)


def closing_stop(text: str) -> str:
    """``text`` ending with exactly one full stop ("…hạn trình." not "…hạn trình..")."""
    text = nfc(text).rstrip()
    if text.endswith("./."):
        return text
    return text.rstrip(".").rstrip() + "." if text else text


def filename_for(spec: DocumentSpec, fmt: Format) -> str:
    """An ASCII file name a clerk recognises: 'KH-05-2024-phat-dong-sang-kien.docx'."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(spec.filename_hint or spec.subtitle or spec.title)).split()
    slug = "-".join(words[:4]) or "van-ban"
    parts: list[str] = []
    if spec.document_type:
        parts.append(fold(spec.document_type).upper().replace(" ", ""))
        if spec.numbered and spec.number is not None:
            year = spec.issued_on.year if spec.issued_on else spec.year
            parts.append(padded_number(spec.number))
            if year:
                parts.append(str(year))
        elif spec.numbered:
            parts.append("du-thao")
    parts.append(slug)
    return "-".join(parts) + f".{fmt}"


# --- DOCX -----------------------------------------------------------------------------------------

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph as DocxParagraph


def _set_run_font(rpr_owner: Any) -> None:
    """Times New Roman for every script slot: without eastAsia/cs LibreOffice falls back to
    the theme font for Vietnamese letters it classifies as complex."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme_slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_slot), None)


def _add_run(
    paragraph: DocxParagraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> None:
    from docx.shared import Pt

    run = paragraph.add_run(nfc(text))
    run.font.name = FONT
    _set_run_font(run._r)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run.underline = underline


_ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 3}


def _format(
    paragraph: DocxParagraph,
    *,
    align: Align = "left",
    first_line_mm: float = 0,
    before: float = 0,
    after: float = 0,
    line: float = 1.0,
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    fmt = paragraph.paragraph_format
    fmt.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt.first_line_indent = Mm(first_line_mm) if first_line_mm else None
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line


def _short_rule(paragraph: DocxParagraph, *, cell_mm: float, line_mm: float) -> None:
    """The short solid line under the issuing body and under the motto (Annex I): a top
    border on an empty, tiny paragraph, narrowed by indents to ``line_mm``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    side = max((cell_mm - line_mm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_before = Pt(5)
    fmt.space_after = Pt(4)
    # An exact small height keeps the rule tight under the text without overlapping it; the
    # paragraph mark is shrunk too, or it would reserve a full 14 pt line.
    fmt.line_spacing = Pt(4)
    mark_size = OxmlElement("w:sz")
    mark_size.set(qn("w:val"), "4")
    mark = OxmlElement("w:rPr")
    mark.append(mark_size)
    paragraph._p.get_or_add_pPr().append(mark)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders,
        "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
        "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
    )  # fmt: skip


def _fixed_table(document: DocxDocument, rows: int, widths_mm: Sequence[float], *, grid: bool) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.style = document.styles["Table Grid"] if grid else None
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    # No row of ours may break across pages: a signature block's title, signing space and
    # name must stay together (Decree 30/2020, Annex I), and a split table row is unreadable.
    for row in table.rows:
        row_properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        row_properties.append(cant_split)
    return table


def _cell_paragraph(cell: _Cell, first: list[bool]) -> DocxParagraph:
    """The cell's own empty first paragraph, then new ones."""
    paragraph: DocxParagraph
    if first[0]:
        first[0] = False
        paragraph = cell.paragraphs[0]
    else:
        paragraph = cell.add_paragraph()
    return paragraph


def _add_inline(paragraph: DocxParagraph, parts: Iterable[Inline], *, size: float) -> None:
    for part in parts:
        if isinstance(part, Run):
            _add_run(
                paragraph, part.text, size=size, bold=part.bold, italic=part.italic, underline=part.underline
            )
        else:
            _add_run(paragraph, part, size=size)


def _page_number_header(section: Any) -> None:
    """Page numbers centred at the top from page 2 (Annex I): a PAGE field in the header
    of every page but the first."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    paragraph = section.header.paragraphs[0]
    _format(paragraph, align="center")

    def field_run(kind: str | None = None, instruction: str | None = None, text: str | None = None) -> None:
        run = paragraph.add_run(text or "")
        run.font.name = FONT
        _set_run_font(run._r)
        run.font.size = Pt(SIZE_HEADER)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        if instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)

    field_run(kind="begin")
    field_run(instruction=" PAGE ")
    field_run(kind="separate")
    field_run(text="2")
    field_run(kind="end")


def _setup_document(document: DocxDocument) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZE_BODY)
    _set_run_font(normal.element)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    # The document defaults point at theme fonts (Calibri/Cambria): overwrite them too, so
    # styles that do not inherit from Normal (table styles, header) stay in Times New Roman.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is not None:
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is None:
                    fonts = OxmlElement("w:rFonts")
                    rpr.insert(0, fonts)
                for key in list(fonts.attrib):
                    del fonts.attrib[key]
                for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                    fonts.set(qn(slot), FONT)


def _motto(cell: _Cell, first: list[bool], cell_mm: float) -> None:
    p = _cell_paragraph(cell, first)
    _format(p, align="center")
    _add_run(p, NATIONAL_NAME, size=SIZE_MOTTO, bold=True)
    p = _cell_paragraph(cell, first)
    _format(p, align="center")
    _add_run(p, NATIONAL_MOTTO, size=SIZE_HEADER, bold=True)
    _short_rule(_cell_paragraph(cell, first), cell_mm=cell_mm, line_mm=64)


def _header(document: DocxDocument, spec: DocumentSpec) -> None:
    if not spec.agency_header:
        # A person's form: the national motto alone, centred over the page.
        table = _fixed_table(document, 1, (TEXT_WIDTH_MM,), grid=False)
        _motto(table.rows[0].cells[0], [True], TEXT_WIDTH_MM)
        return
    table = _fixed_table(document, 2 if spec.numbered else 1, (HEADER_LEFT_MM, HEADER_RIGHT_MM), grid=False)
    left, right = table.rows[0].cells
    left_first, right_first = [True], [True]

    if spec.issuing_body.superior:
        p = _cell_paragraph(left, left_first)
        _format(p, align="center")
        _add_run(p, spec.issuing_body.superior, size=SIZE_HEADER)
    for line in spec.issuing_body.name.split("\n"):
        p = _cell_paragraph(left, left_first)
        _format(p, align="center")
        _add_run(p, line, size=SIZE_HEADER, bold=True)
    _short_rule(_cell_paragraph(left, left_first), cell_mm=HEADER_LEFT_MM, line_mm=22)
    _motto(right, right_first, HEADER_RIGHT_MM)

    if spec.numbered:
        number_cell, date_cell = table.rows[1].cells
        p = number_cell.paragraphs[0]
        _format(p, align="center", before=6)
        _add_run(p, spec.number_line, size=SIZE_HEADER)
        if spec.excerpt:
            p = number_cell.add_paragraph()
            _format(p, align="center")
            _add_run(p, spec.excerpt, size=SIZE_MOTTO)
        p = date_cell.paragraphs[0]
        _format(p, align="center", before=6)
        _add_run(p, spec.place_date_line, size=SIZE_BODY, italic=True)
    else:
        # A form still carries its place and date, on the right under the motto.
        p = _cell_paragraph(right, right_first)
        _format(p, align="center", before=6)
        _add_run(p, spec.place_date_line, size=SIZE_BODY, italic=True)


def _title(document: DocxDocument, spec: DocumentSpec) -> None:
    if not spec.title:  # an official letter: its subject is under the number
        _format(document.add_paragraph(), before=6)
        return
    p = document.add_paragraph()
    _format(p, align="center", before=18)
    _add_run(p, _upper(spec.title), size=SIZE_BODY, bold=True)
    if spec.subtitle:
        p = document.add_paragraph()
        _format(p, align="center")
        _add_run(p, spec.subtitle, size=SIZE_BODY, bold=True)
    _short_rule(document.add_paragraph(), cell_mm=TEXT_WIDTH_MM, line_mm=40)
    spacer = document.add_paragraph()
    _format(spacer, after=0, line=1.0)


def _body(document: DocxDocument, blocks: Sequence[Block]) -> None:
    from docx.shared import Mm

    for block in blocks:
        if isinstance(block, Heading):
            p = document.add_paragraph()
            _format(p, align="justify", first_line_mm=FIRST_LINE_INDENT_MM, before=6)
            _add_run(p, block.text, size=SIZE_BODY, bold=block.level <= 2, italic=block.level >= 3)
        elif isinstance(block, Paragraph):
            p = document.add_paragraph()
            indent = FIRST_LINE_INDENT_MM if block.indent else 0
            _format(p, align=block.align, first_line_mm=indent, before=6)
            _add_inline(p, block.content, size=SIZE_BODY)
        elif isinstance(block, Bullet):
            p = document.add_paragraph()
            _format(p, align="justify", first_line_mm=FIRST_LINE_INDENT_MM, before=6)
            _add_inline(p, ("- ", *block.content), size=SIZE_BODY)
        else:
            columns = len(block.header)
            widths = block.widths_mm or tuple(TEXT_WIDTH_MM / columns for _ in range(columns))
            table = _fixed_table(document, 1 + len(block.rows), widths, grid=True)
            for index, text in enumerate(block.header):
                cell_p = table.rows[0].cells[index].paragraphs[0]
                _format(cell_p, align="center")
                _add_run(cell_p, text, size=SIZE_TABLE, bold=True)
            for row_index, row in enumerate(block.rows, start=1):
                for index, text in enumerate(row):
                    cell_p = table.rows[row_index].cells[index].paragraphs[0]
                    _format(cell_p, align="left")
                    _add_run(cell_p, text, size=SIZE_TABLE)
            after = document.add_paragraph()
            after.paragraph_format.left_indent = Mm(0)


def _keep_last_paragraph_with_signature(document: DocxDocument) -> None:
    """The signature never opens a page alone: the last body paragraph keeps with it."""
    for paragraph in reversed(document.paragraphs):
        paragraph.paragraph_format.keep_with_next = True
        if paragraph.text.strip():
            break


def _heading_height(signature: Signature | None) -> int:
    """Lines above the signing space: two signatures side by side are padded to the same
    height, so the names stand level."""
    if signature is None:
        return 0
    return len(signature.heading_lines) + (1 if signature.note else 0)


def _signature_block(
    cell: _Cell, signature: Signature, *, date_line: str | None = None, height: int = 0
) -> None:
    """One signature: (the place-date line of a form, or an empty line level with it,) the
    authority and title in bold, the italic note, room for the signature and the seal, the
    name."""
    first = [True]
    if date_line is not None:
        p = _cell_paragraph(cell, first)
        _format(p, align="center", before=6)
        if date_line:
            _add_run(p, date_line, size=SIZE_BODY, italic=True)
    for line in signature.heading_lines:
        opening = first[0]
        p = _cell_paragraph(cell, first)
        _format(p, align="center", before=6 if opening else 0)
        _add_run(p, line, size=SIZE_BODY, bold=True)
    if signature.note:
        p = _cell_paragraph(cell, first)
        _format(p, align="center")
        _add_run(p, signature.note, size=SIZE_BODY, italic=True)
    for _ in range(max(height - _heading_height(signature), 0) + 4):  # room to sign and seal
        _format(_cell_paragraph(cell, first), align="center")
    if signature.name:
        p = _cell_paragraph(cell, first)
        _format(p, align="center")
        _add_run(p, signature.name, size=SIZE_BODY, bold=True)


def _recipients(cell: _Cell, recipients: Sequence[str]) -> None:
    p = cell.paragraphs[0]
    _format(p, align="left", before=6)
    _add_run(p, "Nơi nhận:", size=SIZE_RECIPIENTS_LABEL, bold=True, italic=True)
    for line in recipients:
        text = line.strip()
        p = cell.add_paragraph()
        _format(p, align="left")
        _add_run(p, text if text.startswith("-") else f"- {text}", size=SIZE_RECIPIENTS)


def _signature(document: DocxDocument, spec: DocumentSpec) -> None:
    """The signature row (never split, kept with the closing paragraph): the recipients or a
    second signature on the left, the signer on the right. With both a second signature and
    recipients, the recipients take a row of their own under the signatures."""
    _keep_last_paragraph_with_signature(document)
    recipients = spec.recipients if spec.with_recipients else ()
    two_rows = spec.left_signature is not None and bool(recipients)
    table = _fixed_table(document, 2 if two_rows else 1, (TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2), grid=False)
    left, right = table.rows[0].cells
    dated = spec.date_over_signature and spec.signature is not None
    height = max(_heading_height(spec.signature), _heading_height(spec.left_signature))
    if spec.left_signature is not None:
        # Level with the signer on the right, under the date line when there is one.
        _signature_block(left, spec.left_signature, date_line="" if dated else None, height=height)
    elif recipients:
        _recipients(left, recipients)
    if two_rows:
        _recipients(table.rows[1].cells[0], recipients)
    if spec.signature is not None:
        _signature_block(
            right, spec.signature, date_line=spec.place_date_line if dated else None, height=height
        )


def render_docx(spec: DocumentSpec) -> bytes:
    """The document as DOCX bytes, in the Decree 30/2020 layout."""
    import docx

    document = docx.Document()
    _setup_document(document)
    core = document.core_properties
    core.title = nfc(f"{spec.title} {spec.subtitle}".strip())[:255]
    core.author = nfc(spec.issuing_body.name.replace("\n", " "))[:255]
    core.language = "vi-VN"
    _header(document, spec)
    _title(document, spec)
    _body(document, spec.body)
    _signature(document, spec)
    if spec.appendix:
        document.add_paragraph().paragraph_format.page_break_before = True
        _body(document, spec.appendix)
    _page_number_header(document.sections[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF through LibreOffice -------------------------------------------------------------------


def soffice_binary() -> str | None:
    """The LibreOffice executable, or None when this machine has none."""
    return shutil.which(settings.SOFFICE_BINARY)


def render_pdf(docx_bytes: bytes, *, timeout: float | None = None) -> bytes:
    """Convert DOCX to PDF with LibreOffice. Each call gets its own throw-away user profile:
    two conversions sharing one profile lock each other out (the second silently exits)."""
    binary = soffice_binary()
    if binary is None:
        raise RenderingUnavailable(
            f"LibreOffice ({settings.SOFFICE_BINARY}) is not installed on this server."
        )
    limit = timeout if timeout is not None else float(getattr(settings, "SOFFICE_TIMEOUT", 120))
    with tempfile.TemporaryDirectory(prefix="caicach-soffice-") as workdir:
        work = Path(workdir)
        source = work / "document.docx"
        source.write_bytes(docx_bytes)
        outdir = work / "out"
        outdir.mkdir()
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        try:
            completed = subprocess.run(command, capture_output=True, timeout=limit, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RenderingError(f"LibreOffice did not finish the conversion within {limit:.0f} s.") from exc
        except OSError as exc:
            raise RenderingUnavailable(f"LibreOffice could not be started: {exc}") from exc
        result = outdir / "document.pdf"
        if completed.returncode != 0 or not result.exists():
            detail = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip()[-500:]
            raise RenderingError(
                f"LibreOffice failed to convert the document (exit {completed.returncode}): {detail}"
            )
        return result.read_bytes()


# --- PDF through reportlab (no LibreOffice) --------------------------------------------------

# Serif families able to draw every Vietnamese letter, best match for Times New Roman first.
_Names = tuple[str, ...]
_FONT_CANDIDATES: tuple[tuple[str, _Names, _Names, _Names, _Names], ...] = (
    ("Times New Roman", ("times.ttf", "times new roman.ttf", "timesnewroman.ttf"),
     ("timesbd.ttf", "times new roman bold.ttf"), ("timesi.ttf", "times new roman italic.ttf"),
     ("timesbi.ttf", "times new roman bold italic.ttf")),
    ("Liberation Serif", ("liberationserif-regular.ttf",), ("liberationserif-bold.ttf",),
     ("liberationserif-italic.ttf",), ("liberationserif-bolditalic.ttf",)),
    ("DejaVu Serif", ("dejavuserif.ttf",), ("dejavuserif-bold.ttf",), ("dejavuserif-italic.ttf",),
     ("dejavuserif-bolditalic.ttf",)),
    ("FreeSerif", ("freeserif.ttf",), ("freeserifbold.ttf",), ("freeserifitalic.ttf",),
     ("freeserifbolditalic.ttf",)),
)  # fmt: skip

_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)


@dataclass(frozen=True)
class SerifFont:
    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str = field(default="")


# Letters a font must draw to be usable: old Liberation 1.x files, still shipped beside 2.x
# on Debian, lack the Vietnamese precomposed letters and would print blanks.
_VIETNAMESE_PROBE = "ĐđƠơƯưẠảẤầẫỦỆỘỜỮỹ"


def _covers_vietnamese(path: str) -> bool:
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        glyphs = TTFontFile(path).charToGlyph
    except Exception:  # an unreadable or non-TrueType file: not a candidate
        return False
    return all(ord(ch) in glyphs for ch in _VIETNAMESE_PROBE)


@functools.cache
def find_serif_font() -> SerifFont | None:
    """A Vietnamese-capable serif TrueType family installed on this machine, or None."""
    extra = getattr(settings, "DOCUMENT_FONT_DIRS", [])
    found: dict[str, list[str]] = {}
    for directory in (*extra, *_FONT_DIRS):
        root = os.path.expanduser(str(directory))
        if not os.path.isdir(root):
            continue
        for dirpath, _dirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                found.setdefault(name.lower(), []).append(os.path.join(dirpath, name))

    def first_usable(names: tuple[str, ...]) -> str:
        return next((path for n in names for path in found.get(n, []) if _covers_vietnamese(path)), "")

    for family, regular, bold, italic, bold_italic in _FONT_CANDIDATES:
        regular_path = first_usable(regular)
        if regular_path:
            bold_path = first_usable(bold) or regular_path
            return SerifFont(
                family=family,
                regular=regular_path,
                bold=bold_path,
                italic=first_usable(italic) or regular_path,
                bold_italic=first_usable(bold_italic) or bold_path,
            )
    return None


@functools.cache
def _register_reportlab_font(font: SerifFont) -> str:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = "CaicachSerif"
    for suffix, path, bold, italic in (
        ("", font.regular, 0, 0),
        ("-Bold", font.bold, 1, 0),
        ("-Italic", font.italic, 0, 1),
        ("-BoldItalic", font.bold_italic, 1, 1),
    ):
        pdfmetrics.registerFont(TTFont(base + suffix, path))
        addMapping(base, bold, italic, base + suffix)
    return base


def reportlab_font() -> str:
    """The registered reportlab name of this machine's Vietnamese serif family. Raises
    ``RenderingUnavailable`` when there is none: a PDF with blank letters is worse than none."""
    serif = find_serif_font()
    if serif is None:
        raise RenderingUnavailable(
            "No Vietnamese-capable serif font (Times New Roman, Liberation Serif, DejaVu Serif)."
        )
    return _register_reportlab_font(serif)


def _markup(parts: Iterable[Inline]) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, Run):
            text = escape(nfc(part.text))
            if part.underline:
                text = f"<u>{text}</u>"
            if part.italic:
                text = f"<i>{text}</i>"
            if part.bold:
                text = f"<b>{text}</b>"
            out.append(text)
        else:
            out.append(escape(nfc(part)))
    return "".join(out)


def render_pdf_from_spec(spec: DocumentSpec) -> bytes:
    """The same document drawn by reportlab, for servers without LibreOffice."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, KeepTogether, PageBreak, SimpleDocTemplate, Spacer
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportlab.platypus import Table as PdfTable

    font = reportlab_font()
    alignments = {"left": TA_LEFT, "center": TA_CENTER, "right": 2, "justify": TA_JUSTIFY}

    def style(size: float, align: str = "center", indent: float = 0, before: float = 0) -> ParagraphStyle:
        return ParagraphStyle(
            f"s{size}{align}{indent}{before}", fontName=font, fontSize=size, leading=size * 1.2,
            alignment=alignments[align], firstLineIndent=indent, spaceBefore=before,
        )  # fmt: skip

    def text(value: str, size: float, *, bold: bool = False, italic: bool = False, **kw: Any) -> Any:
        markup = escape(nfc(value)).replace("\n", "<br/>")
        if italic:
            markup = f"<i>{markup}</i>"
        if bold:
            markup = f"<b>{markup}</b>"
        return PdfParagraph(markup, style(size, **kw))

    def rule(width_mm: float) -> Any:
        return HRFlowable(
            width=width_mm * mm,
            thickness=0.6,
            color=colors.black,
            spaceBefore=4,
            spaceAfter=4,
            hAlign="CENTER",
        )

    cell_style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                  ("RIGHTPADDING", (0, 0), (-1, -1), 2)]  # fmt: skip
    left: list[Any] = []
    if spec.issuing_body.superior:
        left.append(text(spec.issuing_body.superior, SIZE_HEADER))
    left += [text(spec.issuing_body.name, SIZE_HEADER, bold=True), rule(22)]
    right: list[Any] = [
        text(NATIONAL_NAME, SIZE_MOTTO, bold=True),
        text(NATIONAL_MOTTO, SIZE_HEADER, bold=True),
        rule(64),
    ]
    rows: list[list[Any]] = [[left, right]]
    if spec.numbered:
        number: Any = text(spec.number_line, SIZE_HEADER)
        if spec.excerpt:
            number = [number, text(spec.excerpt, SIZE_MOTTO)]
        rows.append([number, text(spec.place_date_line, SIZE_BODY, italic=True)])
    elif not spec.date_over_signature:
        right.append(text(spec.place_date_line, SIZE_BODY, italic=True, before=4))
    header_widths = [HEADER_LEFT_MM * mm, HEADER_RIGHT_MM * mm]
    if not spec.agency_header:  # a person's form: the motto alone
        rows, header_widths = [[right]], [TEXT_WIDTH_MM * mm]
    story: list[Any] = [
        PdfTable(rows, colWidths=header_widths, style=[*cell_style, ("ALIGN", (0, 0), (-1, -1), "CENTER")])
    ]

    if spec.title:
        story += [Spacer(1, 6 * mm), text(_upper(spec.title), SIZE_BODY, bold=True)]
        if spec.subtitle:
            story.append(text(spec.subtitle, SIZE_BODY, bold=True))
        story += [rule(40), Spacer(1, 3 * mm)]
    else:
        story.append(Spacer(1, 6 * mm))

    indent = FIRST_LINE_INDENT_MM * mm

    def add_blocks(story: list[Any], blocks: Sequence[Block]) -> None:
        for block in blocks:
            add_block(story, block)

    def add_block(story: list[Any], block: Block) -> None:
        if isinstance(block, Heading):
            story.append(
                text(block.text, SIZE_BODY, bold=block.level <= 2, italic=block.level >= 3, align="justify",
                     indent=indent, before=6)
            )  # fmt: skip
        elif isinstance(block, Paragraph):
            story.append(
                PdfParagraph(
                    _markup(block.content), style(SIZE_BODY, block.align, indent if block.indent else 0, 6)
                )
            )
        elif isinstance(block, Bullet):
            story.append(
                PdfParagraph(_markup(("- ", *block.content)), style(SIZE_BODY, "justify", indent, 6))
            )
        else:
            columns = len(block.header)
            widths = block.widths_mm or tuple(TEXT_WIDTH_MM / columns for _ in range(columns))
            data = [[text(h, SIZE_TABLE, bold=True) for h in block.header]]
            data += [[text(c, SIZE_TABLE, align="left") for c in row] for row in block.rows]
            story += [
                Spacer(1, 2 * mm),
                PdfTable(data, colWidths=[w * mm for w in widths], repeatRows=1,
                         style=[*cell_style, ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]),
                Spacer(1, 2 * mm),
            ]  # fmt: skip

    add_blocks(story, spec.body)

    def recipients_block() -> list[Any]:
        block = [text("Nơi nhận:", SIZE_RECIPIENTS_LABEL, bold=True, italic=True, align="left", before=6)]
        for line in spec.recipients:
            item = line.strip()
            block.append(text(item if item.startswith("-") else f"- {item}", SIZE_RECIPIENTS, align="left"))
        return block

    def signature_block(signature: Signature, date_line: str | None = None) -> list[Any]:
        block: list[Any] = []
        if date_line is not None:
            block.append(text(date_line or " ", SIZE_BODY, italic=True, before=6))
        for line in signature.heading_lines:
            block.append(text(line, SIZE_BODY, bold=True, before=6 if not block else 0))
        if signature.note:
            block.append(text(signature.note, SIZE_BODY, italic=True))
        block.append(Spacer(1, (24 + 6 * max(height - _heading_height(signature), 0)) * mm))
        if signature.name:
            block.append(text(signature.name, SIZE_BODY, bold=True))
        return block

    recipients = bool(spec.with_recipients and spec.recipients)
    sign_rows: list[list[Any]] = [[[], []]]
    dated = spec.date_over_signature and spec.signature is not None
    height = max(_heading_height(spec.signature), _heading_height(spec.left_signature))
    if spec.left_signature is not None:
        sign_rows[0][0] = signature_block(spec.left_signature, "" if dated else None)
        if recipients:
            sign_rows.append([recipients_block(), []])
    elif recipients:
        sign_rows[0][0] = recipients_block()
    if spec.signature is not None:
        sign_rows[0][1] = signature_block(spec.signature, spec.place_date_line if dated else None)
    # The signature never opens a page alone, nor splits: it travels with the last body block.
    closing = story.pop() if spec.body else Spacer(1, 0)
    story.append(
        KeepTogether([closing, Spacer(1, 4 * mm), PdfTable(sign_rows,
                      colWidths=[TEXT_WIDTH_MM / 2 * mm] * 2, style=cell_style)])
    )  # fmt: skip
    if spec.appendix:
        story.append(PageBreak())
        add_blocks(story, spec.appendix)

    def later_pages(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, SIZE_HEADER)
        centre = (MARGIN_LEFT_MM + TEXT_WIDTH_MM / 2) * mm
        canvas.drawCentredString(centre, A4[1] - 12 * mm, str(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_LEFT_MM * mm, rightMargin=MARGIN_RIGHT_MM * mm,
        topMargin=MARGIN_TOP_MM * mm, bottomMargin=MARGIN_BOTTOM_MM * mm,
        title=nfc(f"{spec.title} {spec.subtitle}".strip()),
        author=nfc(spec.issuing_body.name.replace("\n", " ")),
    )  # fmt: skip
    document.build(story, onLaterPages=later_pages)
    return buffer.getvalue()


# --- One-page awards (certificates, merit papers) -----------------------------------------------


@dataclass(frozen=True)
class AwardPen:
    """What an award's content is drawn with: the page's font in one style per call, so the
    caller says what the award reads and this module how it looks."""

    font: str
    width: float  # usable width in points

    def text(
        self, value: str, size: float, *, bold: bool = False, italic: bool = False, align: Align = "center",
        color: str = "", after: float = 0,
    ) -> Any:  # fmt: skip
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph as PdfParagraph

        markup = escape(nfc(value)).replace("\n", "<br/>")
        if italic:
            markup = f"<i>{markup}</i>"
        if bold:
            markup = f"<b>{markup}</b>"
        alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}[align]
        style = ParagraphStyle(
            f"award{size}{align}{after}{color}", fontName=self.font, fontSize=size, leading=size * 1.25,
            alignment=alignment, textColor=colors.HexColor(color) if color else colors.black,
            spaceAfter=after,
        )  # fmt: skip
        return PdfParagraph(markup, style)

    def labelled(self, label: str, value: str, size: float = 15) -> Any:
        """'Đơn vị: <b>Sở Nội vụ</b>' on one centred line."""
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph as PdfParagraph

        style = ParagraphStyle(
            f"labelled{size}", fontName=self.font, fontSize=size, leading=size * 1.25, alignment=TA_CENTER,
            spaceAfter=5,
        )  # fmt: skip
        return PdfParagraph(f"{escape(nfc(label))} <b>{escape(nfc(value))}</b>", style)

    def rule(self, width_mm: float) -> Any:
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import HRFlowable

        return HRFlowable(
            width=width_mm * mm,
            thickness=0.6,
            color=colors.black,
            spaceBefore=5,
            spaceAfter=2,
            hAlign="CENTER",
        )

    def columns(self, cells: Sequence[Any], shares: Sequence[float], *, valign: str = "TOP") -> Any:
        """Side-by-side blocks, ``shares`` of the width each, without padding."""
        from reportlab.platypus import Table as PdfTable

        style = [("VALIGN", (0, 0), (-1, -1), valign), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                 ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (0, 0), (-1, -1), "CENTER")]  # fmt: skip
        return PdfTable([list(cells)], colWidths=[self.width * share for share in shares], style=style)

    def fixed_height(self, blocks: Sequence[Any], height_mm: float) -> Any:
        """``blocks`` centred in a box of fixed height, shrunk if they would not fit: what comes
        after stays in place however long the text."""
        from reportlab.lib.units import mm
        from reportlab.platypus import KeepInFrame
        from reportlab.platypus import Table as PdfTable

        height = height_mm * mm
        return PdfTable(
            [[KeepInFrame(self.width, height, list(blocks), mode="shrink")]], colWidths=[self.width],
            rowHeights=[height],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
        )  # fmt: skip


AWARD_MARGIN_MM = 18


def award_header(pen: AwardPen, body: IssuingBody) -> Any:
    """The issuing body on the left, the national name and motto on the right, each underlined."""
    left: list[Any] = []
    if body.superior:
        left.append(pen.text(body.superior, 12))
    left += [pen.text(body.name, 12, bold=True), pen.rule(22)]
    right = [pen.text(NATIONAL_NAME, 12, bold=True), pen.text(NATIONAL_MOTTO, 13, bold=True), pen.rule(60)]
    return pen.columns([left, right], [0.42, 0.58])


def render_award_pdf(
    content: Callable[[AwardPen], list[Any]], *, title: str, author: str, border: str = "#8b1a1a"
) -> bytes:
    """One landscape A4 page inside a double border: ``content(pen)`` gives its blocks (start
    with ``award_header``). Everything shrinks to fit one frame: an award never spills onto a
    second page, however long the title or the list of names. Raises ``RenderingUnavailable``
    without a Vietnamese serif font."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepInFrame, SimpleDocTemplate

    page_width, page_height = landscape(A4)
    pen = AwardPen(font=reportlab_font(), width=page_width - 2 * AWARD_MARGIN_MM * mm)

    def frame(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(border))
        canvas.setLineWidth(3)
        canvas.rect(8 * mm, 8 * mm, page_width - 16 * mm, page_height - 16 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(11 * mm, 11 * mm, page_width - 22 * mm, page_height - 22 * mm)
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=(page_width, page_height), leftMargin=AWARD_MARGIN_MM * mm,
        rightMargin=AWARD_MARGIN_MM * mm, topMargin=15 * mm, bottomMargin=13 * mm, author=nfc(author),
        title=nfc(title),
    )  # fmt: skip
    story = KeepInFrame(pen.width, page_height - 28 * mm, content(pen), mode="shrink")
    document.build([story], onFirstPage=frame)
    return buffer.getvalue()


# --- One entry point --------------------------------------------------------------------------------


def render(spec: DocumentSpec, fmt: Format = "docx") -> RenderedDocument:
    """The document in ``fmt``. PDF prefers LibreOffice (the DOCX exactly as Word would print
    it); without it — or if it fails — reportlab draws the same spec. Raises
    ``RenderingUnavailable`` when this server can make no PDF at all."""
    filename = filename_for(spec, fmt)
    if fmt == "docx":
        return RenderedDocument(render_docx(spec), filename, DOCX_CONTENT_TYPE)
    if fmt != "pdf":
        raise ValueError(f"Unknown document format {fmt!r}")
    if soffice_binary() is not None:
        try:
            return RenderedDocument(render_pdf(render_docx(spec)), filename, PDF_CONTENT_TYPE)
        except RenderingError:
            logger.exception("LibreOffice conversion failed; drawing the PDF with reportlab instead")
    return RenderedDocument(render_pdf_from_spec(spec), filename, PDF_CONTENT_TYPE)
