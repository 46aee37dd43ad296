"""Home Affairs' periodic report to the committee on replication (Báo cáo kết quả nhân
rộng), in the Decree 30/2020 layout: the figures per practice, the assessment, the units
that do not implement or implement poorly (seed 004, III.6) and the proposals.

Documents speak Vietnamese whatever the user's language: the strings here are not
translated."""

from __future__ import annotations

from caicach.core.models import DocumentType
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Table,
    bullet,
    committee_short,
    filename_for,
    issuing_body_for,
    para,
    signature_as_signed,
)
from caicach.replication.models import AdoptionStatus, ReplicationSummary
from caicach.replication.monitoring.queries import SummaryData

REASONS = {
    "missing_last": "không báo cáo kỳ vừa qua",
    "not_started_long": "chưa triển khai sau thời gian quy định",
    "stopped": "đã dừng triển khai",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _period(summary: ReplicationSummary) -> str:
    return f"từ ngày {summary.period_start:%d/%m/%Y} đến ngày {summary.period_end:%d/%m/%Y}"


def _laggard_lines(data: SummaryData) -> list[Block]:
    if not data.laggards:
        return [para("Không có cơ quan, đơn vị nào chưa triển khai hoặc triển khai chưa hiệu quả.")]
    by_unit: dict[str, list[str]] = {}
    for laggard in data.laggards:
        why = [text for flag, text in REASONS.items() if getattr(laggard, flag)]
        status = laggard.latest_status
        said = f"báo cáo gần nhất: {AdoptionStatus(status).label.lower()}" if status else "chưa có báo cáo"
        by_unit.setdefault(laggard.unit_name, []).append(
            f"{laggard.practice_name} ({', '.join(why)}; {said})"
        )
    return [bullet(f"{unit}: {'; '.join(items)}.") for unit, items in by_unit.items()]


def summary_spec(summary: ReplicationSummary, data: SummaryData) -> DocumentSpec:
    """The report as printed; expects ``summary`` with its issuing unit (and parent) and
    registered document loaded."""
    office = summary.issuing_unit
    committee = committee_short(data.committee.name)
    period = _period(summary)
    body: list[Block] = [
        para(
            f"Thực hiện chỉ đạo của Chủ tịch {committee} về triển khai nhân rộng, áp dụng các mô hình "
            f"sáng kiến, cách làm hay trong công tác cải cách hành chính, {committee_short(office.name)} "
            f"báo cáo kết quả thực hiện {period} như sau:"
        ),
        Heading("I. KẾT QUẢ TRIỂN KHAI"),
        para(
            f"Có {data.units_obliged} cơ quan, đơn vị được giao triển khai; {data.units_reporting} cơ quan, "
            "đơn vị đã gửi báo cáo kết quả trong kỳ."
        ),
    ]
    if summary.directive is not None and summary.directive.registered_document is not None:
        body.append(para(f"Văn bản chỉ đạo: số {summary.directive.registered_document.reference}."))
    if data.figures:
        body.append(
            Table(
                header=(
                    "TT",
                    "Mô hình, giải pháp",
                    "Số đơn vị được giao",
                    "Đã báo cáo trong kỳ",
                    "Đã áp dụng",
                    "Tỷ lệ áp dụng",
                ),
                rows=tuple(
                    (
                        str(number),
                        row.practice.name,
                        str(row.obliged),
                        str(row.reported),
                        str(row.adopted),
                        "" if row.rate is None else f"{row.rate}%",
                    )
                    for number, row in enumerate(data.figures, start=1)
                ),
                widths_mm=(10, 68, 22, 22, 18, 20),
            )
        )
    assessment = _lines(summary.assessment)
    body.append(Heading("II. ĐÁNH GIÁ CHUNG"))
    body += [para(line) for line in assessment] or [
        para("Các cơ quan, đơn vị cơ bản triển khai theo chỉ đạo.")
    ]
    body.append(Heading("III. CƠ QUAN, ĐƠN VỊ CHƯA TRIỂN KHAI HOẶC TRIỂN KHAI CHƯA HIỆU QUẢ"))
    body += _laggard_lines(data)
    body.append(Heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
    body += [para(line) for line in _lines(summary.proposals)] or [para("Không có đề xuất, kiến nghị.")]
    body.append(
        para(f"Trên đây là báo cáo kết quả nhân rộng các mô hình, giải pháp, cách làm hay {period}./.")
    )
    registered = summary.registered_document
    return DocumentSpec(
        issuing_body=issuing_body_for(office),
        title="Báo cáo",
        subtitle="Kết quả nhân rộng các mô hình, giải pháp, cách làm hay trong công tác cải cách hành chính",
        place=data.committee.place_name or office.place_name,
        issued_on=summary.issued_on,
        year=summary.period_end.year if summary.issued_on is None else None,
        document_type=DocumentType.REPORT.value,
        symbol=registered.symbol if registered else document_symbol(office, DocumentType.REPORT.value),
        number=registered.number if registered else None,
        body=tuple(body),
        signature=signature_as_signed(
            title=summary.signer_title, name=summary.signer_name, authority=summary.signer_authority
        ),
        recipients=tuple(_lines(summary.recipients)),
        filename_hint=f"ket qua nhan rong {summary.period_end:%m %Y}",
    )


def summary_filename(spec: DocumentSpec, fmt: str) -> str:
    return filename_for(spec, "pdf" if fmt == "pdf" else "docx")
