"""Finding dossiers: the filters of the initiatives list, the accent- and case-insensitive
search, and the same filtered set as an Excel workbook."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from caicach.core import clock, exports
from caicach.core import search as fulltext
from caicach.core.models import User
from caicach.core.pagination import LIST_CAP
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.models import Initiative

# Bigger exports are built in the background (tasks/lists.py) rather than in the request.
EXPORT_INLINE_LIMIT = 2000
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class InitiativeFilters:
    """What the list is narrowed to. ``year`` is the year the dossier was first sent
    (``first_submitted_at``) or, for one never sent, the year it was created."""

    text: str = ""
    campaign_id: int | None = None
    unit_id: int | None = None
    reform_field_id: int | None = None
    target_index_id: int | None = None
    status: str = ""
    year: int | None = None
    level: str = ""


def search(initiatives: QuerySet[Initiative], text: str) -> QuerySet[Initiative]:
    """Dossiers whose title, authors or text hold every word of ``text``, accents and case
    ignored ("nang cao hieu qua" finds "Nâng cao hiệu quả"): ``caicach.core.search`` over
    the folded ``search_text`` the dossier services keep; a title typed with its own
    diacritics ranks first."""
    return fulltext.search(initiatives, text, exact_fields=EXACT_FIELDS)


def apply_filters(initiatives: QuerySet[Initiative], filters: InitiativeFilters) -> QuerySet[Initiative]:
    return search(_narrowed(initiatives, filters), filters.text)


def _narrowed(initiatives: QuerySet[Initiative], filters: InitiativeFilters) -> QuerySet[Initiative]:
    """``filters`` but the search text."""
    if filters.campaign_id is not None:
        initiatives = initiatives.filter(campaign_id=filters.campaign_id)
    if filters.unit_id is not None:
        initiatives = initiatives.filter(unit_id=filters.unit_id)
    # One value per many-to-many filter: the join cannot repeat a dossier.
    if filters.reform_field_id is not None:
        initiatives = initiatives.filter(reform_fields=filters.reform_field_id)
    if filters.target_index_id is not None:
        initiatives = initiatives.filter(target_indices=filters.target_index_id)
    if filters.status:
        initiatives = initiatives.filter(status=filters.status)
    if filters.year is not None:
        initiatives = initiatives.filter(
            Q(first_submitted_at__year=filters.year)
            | Q(first_submitted_at__isnull=True, created_at__year=filters.year)
        )
    if filters.level:
        initiatives = initiatives.filter(recognition__recognised=True, recognition__level=filters.level)
    return initiatives


# The columns the list and the export show: a dossier's thirty text fields stay on disk
# (at 200,000 dossiers they were most of what a page read).
ROW_COLUMNS = (
    "title",
    "kind",
    "status",
    "submitted_at",
    "created_at",
    "unit__name",
    "unit__short_name",
    "campaign__title",
    "recognition__recognised",
    "recognition__level",
)


def initiative_rows(user: User | AnonymousUser, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """The dossiers ``user`` may see (``initiatives_for``, the twin of the view rule),
    narrowed by ``filters``, newest first, with what the list and the export show."""
    rows = apply_filters(_visible_rows(user), filters)
    if fulltext.terms(filters.text):
        return fulltext.ranked(rows, *NEWEST_FIRST)
    return rows.order_by(*NEWEST_FIRST)


NEWEST_FIRST = ("-created_at", "-pk")  # initiative_newest_idx


def _visible_rows(user: User | AnonymousUser) -> QuerySet[Initiative]:
    visible = initiatives_for(user).select_related(None).select_related("unit", "campaign", "recognition")
    return visible.only(*ROW_COLUMNS)


def initiative_page_rows(
    user: User | AnonymousUser, filters: InitiativeFilters
) -> QuerySet[Initiative] | fulltext.Tiered[Initiative]:
    """What the list pages through: ``initiative_rows``, but a search as its tiers (the title
    as typed, the phrase, every word), each newest first and each its own LIMITed query
    (``caicach.core.search.Tiered``), so a common phrase's first page does not rank every
    match. The export keeps ``initiative_rows``: relevance inside the tiers, one query."""
    if not fulltext.terms(filters.text):
        return initiative_rows(user, filters)
    rows = _narrowed(_visible_rows(user), filters)
    return fulltext.Tiered(rows, filters.text, exact_fields=EXACT_FIELDS, then=NEWEST_FIRST)


EXACT_FIELDS = ("title",)  # a title typed with its own diacritics ranks first


def page_options(filters: InitiativeFilters, *, search_cap: int) -> tuple[int, tuple[str, ...]]:
    """The cap and the order the list's pages are counted with (``initiative_page_rows``): a
    search's tiers choose their own plan, and a thousand matches are enough to count."""
    if fulltext.terms(filters.text):
        return search_cap, ()
    return LIST_CAP, NEWEST_FIRST


def _percent(share: Decimal) -> str:
    text = f"{share.normalize():f}"
    return text.replace(".", ",")


def authors_cell(initiative: Initiative) -> str:
    """ "Nguyễn Văn A (60%); Trần Thị B (40%)" from the prefetched authors table."""
    return "; ".join(f"{a.full_name} ({_percent(a.share)}%)" for a in initiative.authorships.all())


def recognition_level(initiative: Initiative) -> str:
    """The recognition level's label, or "" (no recognition, or not recognised)."""
    try:
        recognition = initiative.recognition
    except Initiative.recognition.RelatedObjectDoesNotExist:
        return ""
    return recognition.get_level_display() if recognition.recognised else ""


EXPORT_COLUMNS = (
    ("STT", 6),
    ("Tên sáng kiến", 60),
    ("Loại", 22),
    ("Đơn vị", 36),
    ("Đợt phát động", 40),
    ("Tác giả (tỷ lệ đóng góp)", 48),
    ("Trạng thái", 26),
    ("Ngày gửi", 12),
    ("Cấp công nhận", 14),
)


def export_xlsx(initiatives: QuerySet[Initiative], *, progress: Callable[[int], None] | None = None) -> bytes:
    """The rows of ``initiatives`` (already filtered and ordered) as a workbook, read in
    chunks with their authors prefetched per chunk and written in openpyxl's write-only
    mode, so memory stays flat whatever the number of rows (200,000 dossiers included).
    Labels are Vietnamese whatever the user's language, so every export reads the same."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sáng kiến")
    for index, (_, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(value: Any, number_format: str = "") -> Cell:
        return exports.cell(sheet, value, number_format=number_format, alignment=wrap)

    sheet.append(exports.row(sheet, [title for title, _ in EXPORT_COLUMNS], font=Font(bold=True)))
    with translation.override("vi"):
        for number, initiative in enumerate(initiatives.iterator(chunk_size=EXPORT_CHUNK), start=1):
            sent = initiative.submitted_at
            sheet.append(
                [
                    cell(number),
                    cell(initiative.title),
                    cell(initiative.get_kind_display()),
                    cell(initiative.unit.name),
                    cell(initiative.campaign.title if initiative.campaign else ""),
                    cell(authors_cell(initiative)),
                    cell(initiative.get_status_display()),
                    cell(timezone.localtime(sent).date() if sent else None, "DD/MM/YYYY"),
                    cell(recognition_level(initiative)),
                ]
            )
            if progress is not None and number % EXPORT_CHUNK == 0:
                progress(number)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(day: datetime.date | None = None) -> str:
    return f"Danh sách sáng kiến {(day or clock.today()):%d-%m-%Y}.xlsx"
