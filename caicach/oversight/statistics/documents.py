"""The periodic report on task performance for the committee's regular meeting (Báo cáo tình
hình thực hiện nhiệm vụ được giao), in the Decree 30/2020 layout: the statistics table, the
overdue tasks by lead unit, and the work program's figures and unfinished items as the work
program counts them."""

from __future__ import annotations

from collections.abc import Sequence

from caicach.core.models import DocumentType
from caicach.core.months import month_label
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Signature,
    Table,
    bullet,
    committee_short,
    issuing_body_for,
    para,
    short_date,
    signature_as_signed,
)
from caicach.oversight.models import TaskReport
from caicach.oversight.statistics.queries import Figures, ReportData, Row, rate_text
from caicach.replication.directives.documents import leader_signature
from caicach.workprogram.reports.documents import percent_text

FIGURE_HEADER = ("Giao", "Đúng hạn", "Quá hạn (đã xong)", "Quá hạn (chưa xong)", "Chưa đến hạn", "Gia hạn",
                 "Tỷ lệ đúng hạn")  # fmt: skip
WIDTHS = (12, 39, 14, 16, 17, 17, 16, 14, 20)  # 165 mm: the text width


def _in_sentence(label: str) -> str:
    """ "Quý IV/2024" inside a sentence: "quý IV/2024" (only the first letter lowered)."""
    return label[:1].lower() + label[1:]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _cells(figures: Figures) -> tuple[str, ...]:
    return (
        str(figures.assigned),
        str(figures.done_on_time),
        str(figures.done_late),
        str(figures.overdue),
        str(figures.not_yet_due),
        str(figures.extended),
        rate_text(figures.on_time_rate).replace("\u00a0", " "),
    )


def _table(rows: Sequence[Row], total: Figures, first: str) -> Table:
    body = [(str(n), row.label, *_cells(row)) for n, row in enumerate(rows, start=1)]
    body.append(("", "Tổng cộng", *_cells(total)))
    return Table(header=("STT", first, *FIGURE_HEADER), rows=tuple(body), widths_mm=WIDTHS)


def _results(data: ReportData, committee: str) -> list[Block]:
    total = data.total
    blocks: list[Block] = [
        Heading("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO"),
        para(
            f"Trong kỳ báo cáo ({_in_sentence(data.period.label)}), tổng số nhiệm vụ {committee}, Chủ tịch "
            f"{committee} giao có thời hạn trong kỳ là {total.assigned} nhiệm vụ (không kể "
            f"{total.cancelled} nhiệm vụ đã hủy); đã hoàn thành đúng hạn {total.done_on_time} nhiệm vụ, "
            f"hoàn thành quá hạn {total.done_late} nhiệm vụ, quá hạn chưa hoàn thành {total.overdue} "
            f"nhiệm vụ, chưa đến hạn {total.not_yet_due} nhiệm vụ; {total.extended} nhiệm vụ được gia "
            f"hạn. Tỷ lệ hoàn thành đúng hạn đạt {rate_text(total.on_time_rate).replace(chr(160), ' ')}. "
            f"Số liệu tính đến ngày {short_date(data.as_of)}, theo thời hạn ban đầu của nhiệm vụ."
        ),
        Heading("1. Kết quả theo cơ quan chủ trì", level=2),
    ]
    if data.units:
        blocks.append(_table(data.units, total, "Cơ quan chủ trì"))
    else:
        blocks.append(para("Không có nhiệm vụ nào có thời hạn trong kỳ."))
    if data.sources:
        blocks.append(Heading("2. Kết quả theo nguồn giao nhiệm vụ", level=2))
        blocks.append(_table(data.sources, total, "Nguồn giao"))
    return blocks


def _overdue(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading("II. CÁC NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH")]
    if not data.overdue:
        return [*blocks, para("Không có nhiệm vụ quá hạn.")]
    for group in data.overdue:
        blocks.append(para(f"{group.unit_name}: {len(group.tasks)} nhiệm vụ.", indent=True))
        for task in group.tasks:
            origin = f" (Văn bản số {task.source_reference})" if task.source_reference else ""
            extended = (
                f", đã gia hạn đến ngày {short_date(task.deadline)}"
                if task.deadline != task.original_deadline
                else ""
            )
            content = task.content.strip().rstrip(".;")
            blocks.append(
                bullet(f"{content}{origin}; thời hạn {short_date(task.original_deadline)}{extended}.")
            )
    return blocks


def _program(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading("III. TÌNH HÌNH THỰC HIỆN CHƯƠNG TRÌNH CÔNG TÁC")]
    if data.program is None or data.program_total is None or data.program_month is None:
        return [*blocks, para("Không có chương trình công tác của năm báo cáo.")]
    figures = data.program_total
    month = month_label(data.program_month)
    blocks.append(
        para(
            f"Lũy kế từ đầu năm đến hết tháng {month}, {data.program.title} có {figures.due} nội dung phải "
            f"trình; đã trình {figures.submitted} nội dung (đạt {percent_text(figures.submitted_percent)}), "
            f"trong đó đã ban hành {figures.issued} nội dung; chưa trình {figures.not_submitted} nội dung, "
            f"trong đó {figures.overdue} nội dung quá hạn."
        )
    )
    if not data.unfinished:
        return [*blocks, para("Không có nội dung chưa hoàn thành.")]
    blocks.append(para("Các nội dung chưa hoàn thành theo cơ quan chủ trì:"))
    rows = []
    number = 0
    for group in data.unfinished:
        for entry in group.items:
            number += 1
            state = "Quá hạn" if entry.is_overdue else "Trong hạn"
            rows.append(
                (
                    str(number),
                    entry.item.title,
                    group.unit_name,
                    f"Tháng {month_label(entry.item.due_month)}",
                    state,
                )
            )
    blocks.append(
        Table(
            header=("STT", "Nội dung, đề án", "Cơ quan chủ trì", "Thời hạn trình", "Tình trạng"),
            rows=tuple(rows),
            widths_mm=(12, 70, 39, 24, 20),
        )
    )
    return blocks


def report_signature(report: TaskReport) -> Signature:
    if report.registered_document_id is not None:
        return signature_as_signed(
            title=report.signer_title, name=report.signer_name, authority=report.signer_authority
        )
    return leader_signature(report.signer, for_committee=True)


def task_report_spec(report: TaskReport, data: ReportData) -> DocumentSpec:
    """Expects ``committee__parent`` and ``registered_document`` loaded on ``report``."""
    committee = report.committee
    short = committee_short(committee.name)
    body: list[Block] = [
        para(
            f"Thực hiện Quy chế làm việc của {short}, trên cơ sở theo dõi, đôn đốc của Văn phòng, {short} "
            f"báo cáo tình hình thực hiện nhiệm vụ do {short}, Chủ tịch {short} giao "
            f"({_in_sentence(data.period.label)}) như sau:"
        ),
        *_results(data, short),
        *_overdue(data),
        *_program(data),
    ]
    assessment = _lines(report.assessment)
    if assessment:
        body.append(Heading("IV. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ"))
        body += [para(line) for line in assessment]
    body.append(para(f"Trên đây là báo cáo tình hình thực hiện nhiệm vụ được giao của {short}./."))
    registered = report.registered_document
    return DocumentSpec(
        issuing_body=issuing_body_for(committee),
        title="Báo cáo",
        subtitle=f"Tình hình thực hiện nhiệm vụ được giao ({_in_sentence(data.period.label)})",
        place=committee.place_name,
        issued_on=report.issued_on,
        year=data.period.end.year if report.issued_on is None else None,
        document_type=DocumentType.REPORT.value,
        symbol=registered.symbol if registered else document_symbol(committee, DocumentType.REPORT.value),
        number=registered.number if registered else None,
        body=tuple(body),
        signature=report_signature(report),
        recipients=tuple(_lines(report.recipients)),
        filename_hint=f"bao cao nhiem vu {data.period.start:%d-%m-%Y} {data.period.end:%d-%m-%Y}",
    )
