"""What a meeting's documents print (Decree 30/2020 layout):

- the invitation (Giấy mời, GM): whom the committee invites (its members, the invited units
  at the level asked), when (hour, weekday, date), where, who chairs, the agenda numbered
  with each item's lead unit, and the request to send the right level;
- the conclusion notice (Thông báo kết luận, TB): the chair's conclusions, one numbered
  point each with its lead unit, coordinating units and deadline.

Documents speak Vietnamese whatever the user's language: the strings here are not
translated."""

from __future__ import annotations

import datetime
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
from caicach.deliberation.models import (
    AgendaItem,
    AttendeeLevel,
    ConclusionPoint,
    Invitee,
    Meeting,
    MeetingDocument,
    MeetingDocumentKind,
    MeetingKind,
)

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
LEVEL_WORDS = {
    AttendeeLevel.HEAD.value: "Thủ trưởng",
    AttendeeLevel.DEPUTY.value: "Lãnh đạo",
    AttendeeLevel.OTHER.value: "Đại diện",
}
MEETING_WORDS = {
    MeetingKind.REGULAR.value: "phiên họp thường kỳ",
    MeetingKind.THEMATIC.value: "phiên họp chuyên đề",
    MeetingKind.PARTY_COMMITTEE.value: "cuộc họp Ban cán sự đảng",
    MeetingKind.WORKING_SESSION.value: "buổi làm việc",
}
DRAFT_MARK = "DỰ THẢO"
INVITATION_REQUEST = (
    "Đề nghị Thủ trưởng các cơ quan, đơn vị dự họp đúng thành phần; trường hợp vắng mặt phải "
    "ủy quyền cho cấp phó dự họp và báo cáo người chủ trì (qua Văn phòng). Tài liệu phiên họp "
    "được gửi trên hệ thống trước phiên họp."
)
NOTICE_CLOSING = "Văn phòng thông báo để các cơ quan, đơn vị biết, thực hiện./."


def signer_signature(signer: User | None, *, office: bool, for_committee: bool) -> Signature:
    """The block of whoever signs. A leader signs for the committee (Chairman: "TM. ỦY BAN
    NHÂN DÂN / CHỦ TỊCH"; a Vice-chairman "KT. CHỦ TỊCH"); the Chief of the Office signs by
    order of the Chairman ("TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG"), his deputy also "KT. CHÁNH VĂN
    PHÒNG" (Decree 30/2020, Annex I, section IX). Before a signer is chosen, the Chairman."""
    name = signer.full_name if signer is not None else ""
    position = fold(signer.position) if signer is not None else "chu tich"
    if office:
        deputy = position.startswith("pho")
        return signature_as_signed(
            title="PHÓ CHÁNH VĂN PHÒNG" if deputy else "CHÁNH VĂN PHÒNG",
            name=name,
            authority="TL. CHỦ TỊCH" + ("\nKT. CHÁNH VĂN PHÒNG" if deputy else ""),
        )
    title = "CHỦ TỊCH" if position.startswith("chu tich") else "PHÓ CHỦ TỊCH"
    return signature_as_signed(title=title, name=name, for_committee=for_committee)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _when(meeting: Meeting) -> str:
    hour = f"{meeting.starts_at:%H} giờ {meeting.starts_at:%M}, " if meeting.starts_at else ""
    return f"{hour}{WEEKDAYS[meeting.date.weekday()]}, ngày {short_date(meeting.date)}"


def _chair_words(meeting: Meeting) -> str:
    chair = meeting.chair
    if chair is None:
        return "Lãnh đạo Ủy ban nhân dân"
    position = chair.position.strip() or "Chủ tịch"
    # "Chủ tịch UBND tỉnh" already names the committee: never "… UBND tỉnh UBND tỉnh Tây Ninh".
    if "ubnd" not in fold(position) and "uy ban" not in fold(position):
        position = f"{position} {committee_short(meeting.committee.name)}"
    return f"Đồng chí {chair.full_name}, {position}"


def _lower_first(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:]


def _invitee_line(invitee: Invitee) -> str:
    return f"{LEVEL_WORDS.get(invitee.expected_level, 'Thủ trưởng')} {invitee.unit.name};"


def _signature(
    document: MeetingDocument, signer: User | None, *, office: bool, for_committee: bool
) -> Signature:
    if document.signer_title:
        return signature_as_signed(
            title=document.signer_title,
            name=document.signer_name,
            authority=document.signer_authority,
            for_committee=for_committee and not document.signer_authority.startswith("TL."),
        )
    return signer_signature(signer, office=office, for_committee=for_committee and not office)


def _frame(meeting: Meeting, document: MeetingDocument, type_code: str) -> tuple[str, int | None, str]:
    registered = document.registered_document
    symbol = registered.symbol if registered is not None else document_symbol(meeting.committee, type_code)
    return (
        symbol,
        (registered.number if registered is not None else None),
        (registered.reference if registered is not None else f"      /{symbol}"),
    )


def _draft_mark(document: MeetingDocument) -> list[Block]:
    if document.registered_document_id is not None:
        return []
    return [para(Run(DRAFT_MARK, bold=True), align="center", indent=False)]


# Who a meeting of each kind invites as a body, before the invited units: the whole committee,
# or the Party committee's members. A leaders' working session invites only the units concerned.
WHOLE_BODY_INVITED: dict[str, tuple[str, ...]] = {
    MeetingKind.REGULAR: ("Các thành viên Ủy ban nhân dân;",),
    MeetingKind.THEMATIC: ("Các thành viên Ủy ban nhân dân;",),
    MeetingKind.PARTY_COMMITTEE: ("Các đồng chí Ủy viên Ban cán sự đảng Ủy ban nhân dân;",),
}
NO_INVITEE_LINE = "Lãnh đạo các cơ quan có nội dung tại buổi làm việc;"


def invitation_spec(
    meeting: Meeting,
    document: MeetingDocument,
    agenda: Sequence[AgendaItem],
    invitees: Sequence[Invitee],
    *,
    office_signs: bool,
) -> DocumentSpec:
    """The invitation as printed. ``agenda``: the items not withdrawn, with their lead units;
    ``invitees`` with their units; ``office_signs``: the signer is the Office's Chief."""
    committee = meeting.committee
    short = committee_short(committee.name)
    symbol, number, _reference = _frame(meeting, document, DocumentType.INVITATION)
    what = MEETING_WORDS.get(meeting.kind, "phiên họp")
    body: list[Block] = _draft_mark(document)
    body.append(para(f"{short} trân trọng kính mời:"))
    invited = [*WHOLE_BODY_INVITED.get(meeting.kind, ()), *(_invitee_line(invitee) for invitee in invitees)]
    if not invited:  # a leaders' working session with no unit ticked yet
        invited = [NO_INVITEE_LINE]
    invited[-1] = invited[-1].rstrip(";") + "."
    body += [para(f"- {line}") for line in invited]
    body.append(para(Run("Dự: ", bold=True), f"{meeting.title}."))
    body.append(para(Run("Thời gian: ", bold=True), f"{_when(meeting)}."))
    if meeting.place.strip():
        body.append(para(Run("Địa điểm: ", bold=True), closing_stop(meeting.place)))
    body.append(para(Run("Chủ trì: ", bold=True), f"{_chair_words(meeting)}."))
    body.append(para(Run("Nội dung:", bold=True)))
    for number_, item in enumerate(agenda, start=1):
        body.append(
            para(f"{number_}. {item.title.strip().rstrip('.;')} (cơ quan chủ trì: {item.lead_unit.name}).")
        )
    body.append(para(INVITATION_REQUEST))
    extra = _lines(document.summary)
    body += [para(line) for line in extra]
    closing = f"Kính mời các đồng chí đến dự {what} đúng giờ./."
    body.append(para(closing))
    recipients = tuple(_lines(document.recipients)) or ("Như trên;", "Lưu: VT, VP.")
    day = document.issued_on
    return DocumentSpec(
        issuing_body=issuing_body_for(committee),
        title="GIẤY MỜI",
        subtitle=meeting.title,
        place=committee.place_name or (committee.parent.place_name if committee.parent else ""),
        issued_on=day,
        year=day.year if day else meeting.date.year,
        document_type=DocumentType.INVITATION,
        symbol=symbol,
        number=number,
        body=tuple(body),
        signature=_signature(
            document, document.signer, office=office_signs, for_committee=is_committee(committee)
        ),
        recipients=recipients,
        filename_hint=f"giay moi {meeting.date:%d %m}",
    )


def _point_blocks(number: int, point: ConclusionPoint) -> list[Block]:
    blocks: list[Block] = [para(f"{number}. {closing_stop(point.content)}")]
    details: list[str] = []
    if point.lead_unit is not None:
        details.append(f"Cơ quan chủ trì: {point.lead_unit.name}")
    partners = [unit.name for unit in point.coordinating_units.all()]
    if partners:
        details.append(f"cơ quan phối hợp: {', '.join(partners)}")
    if point.deadline is not None:
        details.append(f"thời hạn hoàn thành: trước ngày {short_date(point.deadline)}")
    if details:
        text = "; ".join(details)
        blocks.append(para(Run(text[:1].upper() + text[1:] + ".", italic=True)))
    return blocks


def conclusion_spec(
    meeting: Meeting,
    document: MeetingDocument,
    points: Sequence[ConclusionPoint],
    *,
    office_signs: bool,
) -> DocumentSpec:
    """The conclusion notice as printed. ``points`` with their lead units, coordinating units
    (prefetched) and agenda items."""
    committee = meeting.committee
    short = committee_short(committee.name)
    symbol, number, _reference = _frame(meeting, document, DocumentType.NOTICE)
    chair = _chair_words(meeting)
    body: list[Block] = _draft_mark(document)
    body.append(
        para(
            f"Ngày {short_date(meeting.date)}, {chair} chủ trì {_lower_first(meeting.title)}"
            + (f" tại {meeting.place.strip().rstrip('.')}" if meeting.place.strip() else "")
            + ". Sau khi nghe các cơ quan báo cáo và ý kiến của các thành viên dự họp, người chủ trì "
            "kết luận như sau:"
        )
    )
    body += [para(line) for line in _lines(document.summary)]
    if points:
        body.append(Heading("Các nội dung kết luận, giao nhiệm vụ:", 1))
    for index, point in enumerate(points, start=1):
        body += _point_blocks(index, point)
    body.append(para(NOTICE_CLOSING.replace("Văn phòng", f"Văn phòng {short}", 1)))
    recipients = tuple(_lines(document.recipients)) or ("Các cơ quan, đơn vị có tên trên;", "Lưu: VT, VP.")
    day = document.issued_on
    chair_title = "CHỦ TỊCH"
    if meeting.chair is not None and fold(meeting.chair.position).startswith("pho"):
        chair_title = "PHÓ CHỦ TỊCH"
    return DocumentSpec(
        issuing_body=issuing_body_for(committee),
        title="THÔNG BÁO",
        subtitle=f"Kết luận của {chair_title.capitalize()} {short} tại {_lower_first(meeting.title)}",
        place=committee.place_name or (committee.parent.place_name if committee.parent else ""),
        issued_on=day,
        year=day.year if day else (meeting.date.year if meeting.date else clock.today().year),
        document_type=DocumentType.NOTICE,
        symbol=symbol,
        number=number,
        body=tuple(body),
        signature=_signature(
            document, document.signer, office=office_signs, for_committee=is_committee(committee)
        ),
        recipients=recipients,
        filename_hint=f"thong bao ket luan {meeting.date:%d %m}",
    )


def meeting_document_spec(
    meeting: Meeting,
    document: MeetingDocument,
    *,
    agenda: Sequence[AgendaItem] = (),
    invitees: Sequence[Invitee] = (),
    points: Sequence[ConclusionPoint] = (),
    office_signs: bool = False,
) -> DocumentSpec:
    if document.kind == MeetingDocumentKind.INVITATION:
        return invitation_spec(meeting, document, agenda, invitees, office_signs=office_signs)
    return conclusion_spec(meeting, document, points, office_signs=office_signs)


def document_filename(spec: DocumentSpec) -> str:
    return filename_for(spec, "docx")


def issue_title(meeting: Meeting, kind: str) -> str:
    """The register's excerpt (trích yếu)."""
    if kind == MeetingDocumentKind.INVITATION:
        return f"Mời dự {meeting.title}"
    return f"Kết luận tại {meeting.title}"


def weekday_words(day: datetime.date) -> str:
    return WEEKDAYS[day.weekday()]
