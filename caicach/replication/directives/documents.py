"""What a replication directive prints (Decree 30/2020 layout): seed 004's official letter —
the practices in section I (models) and II (solutions by group), the responsibilities in
section III generated from the assignments, the closing, the signer and "Nơi nhận", then the
appendix on how to implement each practice.

Documents speak Vietnamese whatever the user's language: the strings here are not
translated."""

from __future__ import annotations

from collections.abc import Sequence

from caicach.core import clock
from caicach.core.models import DocumentType, User
from caicach.core.numbering import document_symbol
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Run,
    Signature,
    bullet,
    closing_stop,
    committee_short,
    filename_for,
    is_committee,
    issuing_body_for,
    para,
    short_date,
    signature_as_signed,
)
from caicach.core.text import fold
from caicach.replication.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectivePractice,
    DirectiveSection,
    PracticeKind,
    ReportingCycle,
    TargetGroup,
)

KIND_WORDS = {
    PracticeKind.MODEL: "Mô hình",
    PracticeKind.SOLUTION: "Giải pháp",
    PracticeKind.WAY_OF_WORKING: "Cách làm hay",
}
SECTION_WORDS = {DirectiveSection.MODELS: "mô hình", DirectiveSection.SOLUTIONS: "giải pháp"}
CYCLE_WORDS = {
    ReportingCycle.MONTHLY: "hằng tháng",
    ReportingCycle.QUARTERLY: "hằng quý",
    ReportingCycle.HALF_YEARLY: "6 tháng",
    ReportingCycle.YEARLY: "hằng năm",
}
GROUP_SUBJECTS = {
    TargetGroup.DEPARTMENTS: "Các cơ quan hành chính cấp tỉnh",
    TargetGroup.DISTRICT_COMMITTEES: "UBND cấp huyện",
    TargetGroup.COMMUNE_COMMITTEES: "UBND cấp xã",
}
DEFAULT_CLOSING = "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện./."
SECTION_I = "I. Các mô hình sáng kiến trong công tác cải cách hành chính:"
SECTION_II = "II. Những giải pháp, cách làm hay trong việc thực hiện cải cách hành chính:"
SECTION_III = "III. Trách nhiệm thực hiện:"


def leader_signature(leader: User | None, *, for_committee: bool = True) -> Signature:
    """The Chairman signs for the committee; a Vice-chairman signs for the Chairman (Decree
    30/2020, Annex I, section IX). Before a leader signs, the block names no one."""
    position = fold(leader.position) if leader is not None else "chu tich"
    title = "CHỦ TỊCH" if position.startswith("chu tich") else "PHÓ CHỦ TỊCH"
    name = leader.full_name if leader is not None else ""
    return signature_as_signed(title=title, name=name, for_committee=for_committee)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _practice_sentence(listing: DirectivePractice) -> tuple[Run | str, ...]:
    practice = listing.practice
    origin = f" của {committee_short(practice.origin_name)}" if practice.origin_name else ""
    summary = closing_stop(practice.summary) if practice.summary.strip() else "."
    return (
        Run(
            f"{listing.label}. {KIND_WORDS.get(PracticeKind(practice.kind), 'Mô hình')} “{practice.name}”",
            bold=True,
        ),
        f"{origin}: {summary}" if summary != "." else f"{origin}.",
    )


def _group_number(listings: Sequence[DirectivePractice], index: int) -> str:
    label = listings[0].label
    return label.split(".")[0] if "." in label else str(index)


def solution_groups(listings: Sequence[DirectivePractice]) -> list[tuple[str, list[DirectivePractice]]]:
    """The solutions in their groups, in order of first appearance."""
    groups: dict[str, list[DirectivePractice]] = {}
    for listing in listings:
        if listing.section == DirectiveSection.SOLUTIONS:
            groups.setdefault(listing.group_title, []).append(listing)
    return list(groups.items())


def _references(assignment: Assignment, labels: dict[int, DirectivePractice]) -> str:
    """ "mô hình 1, 2, 3 tại phần I và giải pháp 1.1, 1.2 tại phần II"."""
    parts: list[str] = []
    listed = [labels[p.pk] for p in assignment.practices.all() if p.pk in labels]
    for section, numeral in ((DirectiveSection.MODELS, "I"), (DirectiveSection.SOLUTIONS, "II")):
        rows = sorted(
            (row for row in listed if row.section == section), key=lambda row: (row.position, row.id)
        )
        if rows:
            numbers = ", ".join(row.label for row in rows)
            parts.append(f"{SECTION_WORDS[section]} {numbers} tại phần {numeral}")
    return " và ".join(parts) or "các mô hình, giải pháp nêu trên"


def _subject(assignment: Assignment) -> str:
    if assignment.target_group == TargetGroup.UNIT and assignment.target_unit is not None:
        return committee_short(assignment.target_unit.name)
    if assignment.target_group == TargetGroup.COMMUNES_OF and assignment.target_unit is not None:
        return f"UBND các xã thuộc {committee_short(assignment.target_unit.name)}"
    return GROUP_SUBJECTS.get(TargetGroup(assignment.target_group), "Các cơ quan, đơn vị")


def assignment_sentence(assignment: Assignment, labels: dict[int, DirectivePractice], committee: str) -> str:
    """Section III's line for one assignment, unless Home Affairs wrote its own."""
    if assignment.text.strip():
        return closing_stop(assignment.text)
    refs = _references(assignment, labels)
    subject = _subject(assignment)
    due = f", hoàn thành trước ngày {short_date(assignment.due_on)}" if assignment.due_on else ""
    if assignment.role == AssignmentRole.STUDY:
        partners = [committee_short(unit.name) for unit in assignment.coordinating_units.all()]
        with_whom = (
            f" với {', '.join(partners)} và các cơ quan có liên quan"
            if partners
            else " với các cơ quan có liên quan"
        )
        return (
            f"{subject} chủ trì, phối hợp{with_whom} nghiên cứu {refs} văn bản này, tham mưu {committee} "
            f"triển khai, áp dụng trên địa bàn{due}."
        )
    where = "tại cơ quan, đơn vị"
    if assignment.include_subordinate_communes:
        where = "tại cơ quan, đơn vị và tại UBND cấp xã trên địa bàn"
    return f"{subject} nghiên cứu {refs} văn bản này để triển khai áp dụng {where}{due}."


def _coordinator_sentence(directive: Directive, committee: str) -> str:
    cycle = CYCLE_WORDS.get(ReportingCycle(directive.reporting_cycle), "định kỳ")
    return (
        f"{directive.coordinator_unit.name} theo dõi, đôn đốc, kiểm tra việc nhân rộng; hướng dẫn chế độ "
        f"báo cáo {cycle} về kết quả thực hiện; tổng hợp khó khăn, vướng mắc, báo cáo đề xuất {committee} "
        "xem xét xử lý đối với các cơ quan, đơn vị không triển khai thực hiện hoặc triển khai chưa hiệu quả."
    )


def _has_method(listing: DirectivePractice) -> bool:
    practice = listing.practice
    return any(
        text.strip()
        for text in (practice.implementation_steps, practice.conditions, practice.cost, practice.contact)
    )


def _appendix(
    directive: Directive, listings: Sequence[DirectivePractice], reference: str
) -> tuple[Block, ...]:
    """ "Phụ lục: cách thức thực hiện các mô hình", from the implementation fields of each
    listed practice that has them."""
    described = [listing for listing in listings if _has_method(listing)]
    if not described:
        return ()
    dated = f" ngày {short_date(directive.issued_on)}" if directive.issued_on else ""
    attached = f"(Kèm theo văn bản số {reference}{dated} của {committee_short(directive.issuing_unit.name)})"
    blocks: list[Block] = [
        para(Run("PHỤ LỤC", bold=True), align="center", indent=False),
        para(Run("CÁCH THỨC THỰC HIỆN CÁC MÔ HÌNH, GIẢI PHÁP", bold=True), align="center", indent=False),
        para(Run(attached, italic=True), align="center", indent=False),
    ]
    for index, listing in enumerate(described, start=1):
        practice = listing.practice
        kind = KIND_WORDS.get(PracticeKind(practice.kind), "Mô hình")
        blocks.append(Heading(f"{index}. {kind} “{practice.name}”", 2))
        if practice.origin_name:
            blocks.append(para(f"Đơn vị xây dựng: {practice.origin_name}."))
        parts = [
            (title, text)
            for title, text in (
                ("Cách thức thực hiện:", practice.implementation_steps),
                ("Điều kiện áp dụng:", practice.conditions),
                ("Kinh phí:", practice.cost),
                ("Đầu mối liên hệ:", practice.contact),
            )
            if text.strip()
        ]
        for letter, (title, text) in zip("abcd", parts, strict=False):
            blocks.append(Heading(f"{letter}) {title}", 3))
            blocks += [bullet(closing_stop(line.lstrip("-–•+ ").strip())) for line in _lines(text)]
    return tuple(blocks)


def directive_spec(
    directive: Directive,
    listings: Sequence[DirectivePractice],
    assignments: Sequence[Assignment],
    *,
    signer: User | None = None,
) -> DocumentSpec:
    """The directive as printed. Expects the directive with its issuing, coordinator and
    registered units loaded, ``listings`` with their practices and ``assignments`` with their
    practices, units and coordinating units (``queries.listings`` / ``queries.assignments``).
    ``signer``: the leader about to sign a draft (the issued one prints its own signer)."""
    committee_unit = directive.issuing_unit
    committee = committee_short(committee_unit.name)
    registered = directive.registered_document
    labels = {row.practice_id: row for row in listings}
    models = [row for row in listings if row.section == DirectiveSection.MODELS]
    day = directive.issued_on
    symbol = (
        registered.symbol
        if registered is not None
        else document_symbol(
            committee_unit, directive.document_type, drafting_unit=directive.coordinator_unit
        )
    )
    reference = registered.reference if registered is not None else f"      /{symbol}"
    appendix = _appendix(directive, listings, reference)
    body: list[Block] = [para(line) for line in _lines(directive.legal_basis)]
    body += [para(line) for line in _lines(directive.preamble)]
    if models:
        body.append(Heading(SECTION_I, 1))
        body += [para(*_practice_sentence(row)) for row in models]
        if appendix:
            body.append(
                para(
                    Run("(Kèm phụ lục cách thức thực hiện các mô hình)", italic=True),
                    align="center",
                    indent=False,
                )
            )
    groups = solution_groups(listings)
    if groups:
        body.append(Heading(SECTION_II if models else SECTION_II.replace("II.", "I.", 1), 1))
        for index, (title, rows) in enumerate(groups, start=1):
            if title.strip():
                body.append(Heading(f"{_group_number(rows, index)}. {title.strip().rstrip(':')}:", 2))
            body += [para(*_practice_sentence(row)) for row in rows]
    numeral = "III." if models and groups else "II."
    if assignments or directive.coordinator_unit_id:
        body.append(Heading(SECTION_III.replace("III.", numeral, 1), 1))
        number = 0
        for number, assignment in enumerate(assignments, start=1):
            body.append(para(f"{number}. {assignment_sentence(assignment, labels, committee)}"))
        body.append(para(f"{number + 1}. {_coordinator_sentence(directive, committee)}"))
    closing = directive.closing.strip() or DEFAULT_CLOSING
    closing_lines = _lines(closing)
    closing_lines[-1] = (
        closing_lines[-1] if closing_lines[-1].endswith("./.") else closing_lines[-1].rstrip(".") + "./."
    )
    body += [para(line) for line in closing_lines]

    if directive.signer_title:
        signature = signature_as_signed(
            title=directive.signer_title,
            name=directive.signer_name,
            authority=directive.signer_authority,
            for_committee=is_committee(committee_unit),
        )
    else:
        signature = leader_signature(signer, for_committee=is_committee(committee_unit))
    keeper = directive.coordinator_unit.document_symbol or committee_short(directive.coordinator_unit.name)
    recipients = tuple(_lines(directive.recipients)) or (
        f"Như mục {numeral.rstrip('.')};",
        f"Lưu: VT, {keeper}.",
    )
    letter = directive.document_type == DocumentType.OFFICIAL_LETTER
    title = directive.title.strip()
    excerpt = title if title.lower().startswith("v/v") else f"V/v {title[:1].lower()}{title[1:]}"
    place = committee_unit.place_name or (committee_unit.parent.place_name if committee_unit.parent else "")
    return DocumentSpec(
        issuing_body=issuing_body_for(committee_unit),
        title="" if letter else "KẾ HOẠCH",
        subtitle="" if letter else title,
        excerpt=excerpt if letter else "",
        place=place,
        issued_on=day,
        year=day.year if day else clock.today().year,
        document_type=directive.document_type,
        symbol=symbol,
        number=registered.number if registered is not None else None,
        body=tuple(body),
        signature=signature,
        recipients=recipients,
        filename_hint="nhan rong mo hinh",
        appendix=appendix,
    )


def directive_filename(spec: DocumentSpec, fmt: str) -> str:
    return filename_for(spec, "pdf" if fmt == "pdf" else "docx")
