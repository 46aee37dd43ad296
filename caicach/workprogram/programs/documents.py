"""What the work program prints: the lead unit's Tờ trình asking to adjust the program, and
the committee's notice of the leader's decision on it (Decree 30/2020 layout).

Documents speak Vietnamese whatever the user's language: the strings here are not
translated."""

from __future__ import annotations

from caicach.core.models import DocumentType, Unit, UnitKind, User
from caicach.core.months import month_label
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Run,
    Signature,
    Table,
    committee_short,
    issuing_body_for,
    para,
    short_date,
    signature_as_signed,
)
from caicach.core.text import fold
from caicach.workprogram.models import (
    AdjustmentKind,
    AdjustmentRequest,
    RequestStatus,
    SubmissionKind,
    adjustment_subject,
)
from caicach.workprogram.programs.queries import unit_heads

# The title the head of each kind of unit signs with (Decree 30/2020, Annex I, section IX).
HEAD_TITLES = {
    UnitKind.DEPARTMENT: "GIÁM ĐỐC",
    UnitKind.OFFICE: "CHÁNH VĂN PHÒNG",
    UnitKind.DISTRICT_DIVISION: "TRƯỞNG PHÒNG",
    UnitKind.COMMUNE_DIVISION: "TRƯỞNG PHÒNG",
}
COMMITTEE_KINDS = (UnitKind.PROVINCE_COMMITTEE, UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE)


def _place(unit: Unit) -> str:
    if unit.place_name:
        return unit.place_name
    parent = unit.parent if unit.parent_id else None
    return parent.place_name if parent is not None and parent.place_name else ""


def _unit_signature(unit: Unit, signer: User | None = None) -> Signature:
    """The head of the lead unit signs the Tờ trình: a committee's on behalf of it. ``signer``:
    the head who approved it (or filed it); before that, the unit's head when it has one."""
    if signer is not None:
        if unit.kind in COMMITTEE_KINDS:
            return _leader_signature(signer)
        name = signer.full_name
    else:
        heads = list(unit_heads([unit.pk]).order_by("pk")[:2])
        name = heads[0].full_name if len(heads) == 1 else ""
    if unit.kind in COMMITTEE_KINDS:
        return signature_as_signed(title="CHỦ TỊCH", name=name, for_committee=True)
    return signature_as_signed(title=HEAD_TITLES.get(UnitKind(unit.kind), "THỦ TRƯỞNG ĐƠN VỊ"), name=name)


def _leader_signature(leader: User | None) -> Signature:
    """The Chairman signs for the committee; a Vice-chairman signs for the Chairman."""
    name = leader.full_name if leader is not None else ""
    position = fold(leader.position) if leader is not None else ""
    title = "CHỦ TỊCH" if position.startswith("chu tich") else "PHÓ CHỦ TỊCH"
    return signature_as_signed(title=title, name=name, for_committee=True)


def _leader_words(leader: User | None, committee: Unit) -> str:
    position = fold(leader.position) if leader is not None else ""
    role = "Chủ tịch" if position.startswith("chu tich") else "Phó Chủ tịch"
    name = f" {leader.full_name}" if leader is not None and leader.full_name else ""
    return f"{role} {committee_short(committee.name)}{name}"


def _program_basis(request: AdjustmentRequest) -> str:
    program = request.program
    committee = committee_short(program.issuing_unit.name)
    if program.decision_number and program.decision_date:
        return (
            f"Căn cứ Quyết định số {program.decision_number} ngày {short_date(program.decision_date)} "
            f"của {committee} ban hành {program.title};"
        )
    return f"Căn cứ {program.title} của {committee};"


def _proposal_rows(request: AdjustmentRequest) -> tuple[tuple[str, ...], ...]:
    item = request.item if request.kind != AdjustmentKind.ADD else None
    proposed_month = month_label(request.proposed_month) if request.proposed_month else "Giữ nguyên"
    if item is None:
        kind = SubmissionKind(request.proposed_data.get("submission_kind", SubmissionKind.COMMITTEE))
        return (("Nội dung đề nghị bổ sung", request.proposed_title),
                ("Hình thức trình", _vietnamese_kind(kind)),
                ("Thời gian trình đề nghị", proposed_month))  # fmt: skip
    rows: list[tuple[str, ...]] = [
        ("Nội dung trong chương trình", item.title),
        ("Thời gian trình theo chương trình", month_label(item.original_due_month)),
        ("Thời gian trình hiện tại", month_label(item.due_month)),
    ]
    if request.kind == AdjustmentKind.CHANGE:
        rows.append(("Nội dung đề nghị điều chỉnh", request.proposed_title or "Giữ nguyên"))
        rows.append(("Thời gian trình đề nghị", proposed_month))
    elif request.kind == AdjustmentKind.POSTPONE:
        rows.append(("Thời gian trình đề nghị", proposed_month))
    else:
        rows.append(("Đề nghị", "Rút khỏi chương trình công tác"))
    return tuple(rows)


def _vietnamese_kind(kind: SubmissionKind) -> str:
    return {
        SubmissionKind.COMMITTEE: "Trình UBND tỉnh",
        SubmissionKind.CHAIRMAN: "Trình Chủ tịch UBND tỉnh",
        SubmissionKind.PARTY_COMMITTEE: "Trình Ban cán sự đảng UBND tỉnh",
    }[kind]


def request_spec(request: AdjustmentRequest) -> DocumentSpec:
    """The lead unit's Tờ trình: what it asks, the allowed reason it names, the reason
    explained, the necessity and the impact on steering (seed 001). Expects the objects of
    ``queries.request_detail_queryset`` loaded."""
    unit = request.lead_unit
    program = request.program
    committee = program.issuing_unit
    committee_name = committee_short(committee.name)
    subject = adjustment_subject(request)
    body: list[Block] = [
        para(f"Kính gửi: {committee.name}.", align="center", indent=False),
        para(_program_basis(request)),
        para(f"{unit.name} kính trình {committee_name} xem xét, {subject} như sau:"),
        Heading("I. NỘI DUNG ĐỀ NGHỊ"),
        Table(header=("Nội dung", "Đề nghị"), rows=_proposal_rows(request), widths_mm=(60, 105)),
        Heading("II. LÝ DO ĐIỀU CHỈNH"),
        para("Lý do: ", Run(request.reason.label, bold=True), "."),
        *[para(line) for line in _lines(request.explanation)],
        Heading("III. SỰ CẦN THIẾT"),
        *[para(line) for line in _lines(request.necessity)],
        Heading("IV. TÁC ĐỘNG ĐẾN CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
        *[para(line) for line in _lines(request.impact)],
        para(f"{unit.name} kính trình {committee_name} xem xét, quyết định./."),
    ]
    registered = request.request_document
    symbol = registered.symbol if registered else document_symbol(unit, DocumentType.SUBMISSION.value)
    return DocumentSpec(
        issuing_body=issuing_body_for(unit),
        title="Tờ trình",
        subtitle=f"Về việc {subject} trong {program.title}",
        place=_place(unit),
        issued_on=registered.issued_on if registered else None,
        year=program.year,
        document_type=DocumentType.SUBMISSION.value,
        symbol=symbol,
        number=registered.number if registered else None,
        body=tuple(body),
        signature=_unit_signature(unit, request.signed_by),
        recipients=(
            "Như trên;",
            f"Văn phòng {committee_name};",
            f"Lưu: VT, {unit.document_symbol or unit.short_name or unit.code}.",
        ),
        filename_hint=f"to trinh {subject}",
    )


def decision_spec(request: AdjustmentRequest) -> DocumentSpec:
    """The committee's notice of the leader's decision on the Tờ trình, with their note.
    Only a decided request has one."""
    if request.status not in (RequestStatus.APPROVED, RequestStatus.REJECTED):
        raise ValueError("An undecided request has no decision to print")
    program = request.program
    committee = program.issuing_unit
    committee_name = committee_short(committee.name)
    leader = request.leader or request.decided_by
    unit = request.lead_unit
    subject = adjustment_subject(request)
    submission = request.request_document
    seen = (
        f"Xét Tờ trình số {submission.reference} ngày {short_date(submission.issued_on)} của {unit.name} "
        f"về việc {subject};"
        if submission
        else f"Xét đề nghị của {unit.name} về việc {subject};"
    )
    approved = request.status == RequestStatus.APPROVED
    body: list[Block] = [
        para(seen),
        para(f"{_leader_words(leader, committee)} có ý kiến như sau:"),
    ]
    if approved:
        outcome = f"1. Chấp thuận {subject} của {unit.name}"
        if request.kind in (AdjustmentKind.POSTPONE, AdjustmentKind.ADD, AdjustmentKind.CHANGE) and (
            request.proposed_month
        ):
            outcome += f"; thời gian trình: tháng {month_label(request.proposed_month)}"
        body.append(para(outcome + "."))
    else:
        body.append(para(f"1. Không chấp thuận {subject} của {unit.name}."))
    number = 2
    if request.decision_note:
        body += [
            para(f"{number}. {line}" if i == 0 else line)
            for i, line in enumerate(_lines(request.decision_note))
        ]
        number += 1
    if approved:
        body.append(
            para(
                f"{number}. Văn phòng {committee_name} cập nhật {program.title}; {unit.name} "
                "tổ chức thực hiện, bảo đảm chất lượng, đúng tiến độ."
            )
        )
    else:
        body.append(
            para(
                f"{number}. {unit.name} tiếp tục thực hiện theo {program.title}, bảo đảm chất lượng, "
                "đúng tiến độ."
            )
        )
    body.append(para(f"{committee_name} thông báo để {unit.name} biết, thực hiện./."))
    registered = request.decision_document
    symbol = registered.symbol if registered else document_symbol(committee, DocumentType.NOTICE.value)
    return DocumentSpec(
        issuing_body=issuing_body_for(committee),
        title="Thông báo",
        subtitle=f"Ý kiến của {_leader_words(leader, committee)} về việc {subject}",
        place=_place(committee),
        issued_on=registered.issued_on if registered else None,
        year=program.year,
        document_type=DocumentType.NOTICE.value,
        symbol=symbol,
        number=registered.number if registered else None,
        body=tuple(body),
        signature=_leader_signature(leader),
        recipients=(
            f"{unit.name};",
            f"Văn phòng {committee_name};",
            f"Lưu: VT, {committee.document_symbol or committee.code}.",
        ),
        filename_hint=f"thong bao y kien {subject}",
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
