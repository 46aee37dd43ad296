"""What the monthly reporting prints: the Office's summary report on the work program for a
month (Báo cáo tình hình thực hiện Chương trình công tác tháng M/YYYY), compiled from the
items and the units' reports, in the Decree 30/2020 layout."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from caicach.core.models import DocumentType
from caicach.core.months import month_label
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Table,
    bullet,
    closing_stop,
    committee_short,
    issuing_body_for,
    para,
    short_date,
    signature_as_signed,
)
from caicach.workprogram.models import MonthlySummary
from caicach.workprogram.reports.kpis import Figures, UnfinishedItem

if TYPE_CHECKING:  # the data comes from reports, which renders this document when issuing
    from caicach.workprogram.reports.queries import SummaryData, UnitText


def percent_text(value: Decimal | None) -> str:
    """'50,5%' (a decimal comma, as Vietnamese writes it); '—' when there is nothing to divide."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + "%"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _figures_row(label: str, figures: Figures) -> tuple[str, ...]:
    return (
        label,
        str(figures.due),
        str(figures.submitted),
        str(figures.issued),
        str(figures.not_submitted),
        str(figures.overdue),
        percent_text(figures.submitted_percent),
        percent_text(figures.issued_percent),
    )


def _names(units: list[str]) -> str:
    return ", ".join(units)


def _quotes(entries: list[UnitText], none_text: str) -> list[Block]:
    if not entries:
        return [para(none_text)]
    blocks: list[Block] = []
    for entry in entries:
        lines = _lines(entry.text)
        blocks.append(bullet(f"{entry.unit.name}: {lines[0]}"))
        blocks += [para(line) for line in lines[1:]]
    return blocks


def _opening(summary: MonthlySummary, data: SummaryData, month: str) -> list[Block]:
    program, office = data.program, summary.issuing_unit
    basis = "Thực hiện "
    if program.decision_number:
        basis += f"Quyết định số {program.decision_number}"
        if program.decision_date:
            basis += f" ngày {short_date(program.decision_date)}"
        basis += f" của {committee_short(program.issuing_unit.name)} ban hành {program.title}; "
    else:
        basis += f"{program.title}; "
    return [
        para(
            f"{basis}trên cơ sở báo cáo của các cơ quan, đơn vị, {committee_short(office.name)} báo cáo "
            f"tình hình thực hiện Chương trình công tác tháng {month} như sau:"
        )
    ]


def _who_reported(data: SummaryData, month: str) -> list[Block]:
    """I. Which units reported on time, late, or not at all."""
    counts = data.counts
    body: list[Block] = [
        Heading("I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ"),
        para(
            f"Tháng {month} có {counts.expected} cơ quan, đơn vị phải báo cáo (hạn gửi đến hết ngày "
            f"{short_date(data.due_date)}); {counts.on_time} đơn vị gửi báo cáo đúng hạn, {counts.late} "
            f"đơn vị gửi muộn, {counts.missing + counts.pending} đơn vị chưa gửi báo cáo."
        ),
    ]
    late = [unit.name for unit in data.units_in("late")]
    if late:
        body.append(bullet(f"Đơn vị gửi báo cáo muộn: {_names(late)}."))
    missing = [unit.name for unit in data.units_in("missing") + data.units_in("pending")]
    if missing:
        body.append(bullet(f"Đơn vị chưa gửi báo cáo: {_names(missing)}."))
    return body


def _overall_results(data: SummaryData, month: str) -> list[Block]:
    """II.1. The month's and the year's figures."""
    ytd = data.year_to_date
    header = (
        "Kỳ",
        "Phải trình",
        "Đã trình",
        "Đã ban hành",
        "Chưa trình",
        "Quá hạn",
        "Tỷ lệ đã trình",
        "Tỷ lệ ban hành",
    )
    return [
        Heading("1. Kết quả chung", level=2),
        para(
            f"Lũy kế từ đầu năm đến hết tháng {month}, tổng số nội dung phải trình là {ytd.due}; đã trình "
            f"{ytd.submitted} nội dung (đạt {percent_text(ytd.submitted_percent)}), trong đó đã ban hành "
            f"{ytd.issued} nội dung (đạt {percent_text(ytd.issued_percent)}); chưa trình {ytd.not_submitted} "
            f"nội dung, trong đó {ytd.overdue} nội dung quá hạn. Số liệu tính đến ngày "
            f"{short_date(data.as_of)}."
        ),
        Table(
            header=header,
            rows=(_figures_row(f"Tháng {month}", data.month), _figures_row("Lũy kế từ đầu năm", ytd)),
            widths_mm=(32, 18, 18, 20, 18, 18, 20.5, 20.5),
        ),
    ]


def _results_by_unit(data: SummaryData) -> list[Block]:
    """II.2. Each lead unit's figures since January."""
    heading = Heading("2. Kết quả theo cơ quan chủ trì (lũy kế từ đầu năm)", level=2)
    unit_rows = tuple(
        (
            str(number),
            row.unit_name,
            str(row.due),
            str(row.submitted),
            str(row.issued),
            str(row.not_submitted),
            str(row.overdue),
            percent_text(row.submitted_percent),
        )
        for number, row in enumerate(sorted(data.unit_rows, key=lambda r: r.unit_code), start=1)
    )
    if not unit_rows:
        return [heading, para("Chưa có nội dung nào đến hạn trình.")]
    header = ("STT", "Cơ quan chủ trì", "Phải trình", "Đã trình", "Đã ban hành", "Chưa trình", "Quá hạn",
              "Tỷ lệ đã trình")  # fmt: skip
    return [heading, Table(header=header, rows=unit_rows, widths_mm=(11, 48, 17, 17, 19, 17, 16, 20))]


def _delay_explanation(entry: UnfinishedItem) -> str:
    if entry.reported_in is not None and (entry.delay_cause or entry.remedy):
        parts = [f"Nguyên nhân: {entry.delay_cause or '—'}", f"Giải pháp: {entry.remedy or '—'}"]
        if entry.expected_date is not None:
            parts.append(f"Dự kiến hoàn thành: {short_date(entry.expected_date)}")
        # The unit's own text may end with its stop: one full stop, never "..".
        return " ".join(closing_stop(part) for part in parts)
    return "Đơn vị chưa báo cáo nguyên nhân."


def _delayed_items(data: SummaryData) -> list[Block]:
    """II.3. Items past their month, with the lead unit's cause, remedy and new date."""
    heading = Heading("3. Các nội dung chậm trình", level=2)
    if not data.delayed:
        return [heading, para("Không có nội dung chậm trình.")]
    rows = tuple(
        (str(number), entry.item.title, unit_name, f"Tháng {month_label(entry.item.due_month)}",
         _delay_explanation(entry))
        for number, (unit_name, entry) in enumerate(data.delayed, start=1)
    )  # fmt: skip
    header = ("STT", "Nội dung, đề án", "Cơ quan chủ trì", "Thời hạn trình",
              "Nguyên nhân, giải pháp và thời gian dự kiến")  # fmt: skip
    return [heading, Table(header=header, rows=rows, widths_mm=(11, 52, 30, 20, 52))]


def monthly_summary_spec(summary: MonthlySummary, data: SummaryData) -> DocumentSpec:
    """The summary of ``data.period``. Expects ``issuing_unit__parent`` and
    ``registered_document`` loaded on ``summary``."""
    program = data.program
    office = summary.issuing_unit
    month = month_label(data.period)
    body: list[Block] = [*_opening(summary, data, month), *_who_reported(data, month)]
    body.append(Heading("II. KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH CÔNG TÁC"))
    body += [*_overall_results(data, month), *_results_by_unit(data), *_delayed_items(data)]
    assessment = _lines(summary.assessment)
    if assessment:
        body.append(Heading("4. Đánh giá chung", level=2))
        body += [para(line) for line in assessment]
    body.append(Heading("III. KHÓ KHĂN, VƯỚNG MẮC"))
    body += _quotes(data.difficulties, "Các cơ quan, đơn vị không phản ánh khó khăn, vướng mắc.")
    body.append(Heading("IV. KIẾN NGHỊ, ĐỀ XUẤT"))
    body += _quotes(data.recommendations, "Các cơ quan, đơn vị không có kiến nghị, đề xuất.")
    body.append(
        para(
            f"Trên đây là báo cáo tình hình thực hiện Chương trình công tác tháng {month} của "
            f"{committee_short(office.name)}./."
        )
    )

    registered = summary.registered_document
    return DocumentSpec(
        issuing_body=issuing_body_for(office),
        title="Báo cáo",  # the document speaks Vietnamese whatever the UI language
        subtitle=f"Tình hình thực hiện Chương trình công tác tháng {month}",
        place=program.issuing_unit.place_name or office.place_name,
        issued_on=summary.issued_on,
        year=data.period.year if summary.issued_on is None else None,
        document_type=DocumentType.REPORT.value,
        symbol=registered.symbol if registered else document_symbol(office, DocumentType.REPORT.value),
        number=registered.number if registered else None,
        body=tuple(body),
        signature=signature_as_signed(
            title=summary.signer_title, name=summary.signer_name, authority=summary.signer_authority
        ),
        recipients=tuple(_lines(summary.recipients)),
        filename_hint=f"ctct thang {data.period.month} {data.period.year}",  # CTCT: chương trình công tác
    )
