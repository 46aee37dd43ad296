"""What members' opinions print: the result sheet (Phiếu tổng hợp ý kiến thành viên UBND)
the committee's Office draws up at the tally, in the Decree 30/2020 layout — every member's
answer, those who did not answer named as such, and how the lead unit took each comment in."""

from __future__ import annotations

from caicach.core.models import Unit, UnitKind
from caicach.core.rendering import (
    Block,
    DocumentSpec,
    Heading,
    Signature,
    Table,
    issuing_body_for,
    para,
    short_date,
)
from caicach.deliberation.consultations.queries import Tally
from caicach.deliberation.models import Consultation, Opinion, ResponseKind

# The document speaks Vietnamese whatever the UI language.
ANSWER_WORDS = {
    "agree": "Đồng ý",
    "agree_with_comments": "Đồng ý có ý kiến",
    "disagree": "Không đồng ý",
    "": "Chưa cho ý kiến",
}
KIND_WORDS = {
    "decision": "dự thảo quyết định",
    "plan": "dự thảo kế hoạch",
    "report": "dự thảo báo cáo",
    "other": "dự thảo",
}
RULE_WORDS = {
    "majority_of_all": "quá nửa tổng số thành viên được lấy ý kiến đồng ý",
    "majority_of_answers": "quá nửa số thành viên đã cho ý kiến đồng ý",
}
RESPONSE_WORDS = {ResponseKind.ACCEPTED.value: "Tiếp thu", ResponseKind.EXPLAINED.value: "Giải trình"}


def office_of(committee: Unit) -> Unit:
    """The committee's Office, which draws the sheet up; the committee itself without one."""
    office = Unit.objects.filter(parent=committee, kind=UnitKind.OFFICE).select_related("parent").first()
    return office if office is not None else committee


def _note(opinion: Opinion) -> str:
    if not opinion.answer:
        return "Không có ý kiến đến hạn"
    day = short_date(opinion.first_answered_on) if opinion.first_answered_on else ""
    return f"Sau hạn ({day})" if opinion.is_late else day


def result_sheet_spec(
    consultation: Consultation,
    opinions: list[Opinion],
    tally: Tally,
    *,
    rule_code: str,
    comments_in_favour: bool,
) -> DocumentSpec:
    office = office_of(consultation.committee)
    kind = KIND_WORDS.get(consultation.kind, "dự thảo")
    sent = short_date(consultation.sent_on) if consultation.sent_on else "…"
    deadline = short_date(consultation.deadline) if consultation.deadline else "…"
    body: list[Block] = [
        para(
            f"Ngày {sent}, Văn phòng gửi lấy ý kiến thành viên Ủy ban nhân dân về {kind} "
            f"“{consultation.title}” do {consultation.lead_unit.name} chủ trì soạn thảo; thời hạn cho ý kiến "
            f"đến hết ngày {deadline}."
        ),
        Heading("I. KẾT QUẢ TỔNG HỢP"),
        para(
            f"Tổng số thành viên được lấy ý kiến: {tally.total}; đồng ý: {tally.agree}; đồng ý có ý kiến: "
            f"{tally.with_comments}; không đồng ý: {tally.disagree}; chưa cho ý kiến: {tally.no_answer}"
            f" (cho ý kiến sau hạn: {tally.late})."
        ),
        para(
            f"Nguyên tắc biểu quyết: {RULE_WORDS.get(rule_code, '')}"
            + ("; ý kiến “đồng ý có ý kiến” được tính là đồng ý" if comments_in_favour else "")
            + f". Số ý kiến đồng ý: {tally.in_favour}/{tally.total}."
            + (" Số ý kiến ngang nhau: theo ý kiến của Chủ tịch." if tally.tie else "")
        ),
        para(
            "Kết quả: dự thảo được thông qua."
            if tally.result == "passed"
            else "Kết quả: dự thảo không được thông qua."
        ),
        Heading("II. Ý KIẾN CỦA TỪNG THÀNH VIÊN"),
    ]
    rows = tuple(
        (
            str(number),
            opinion.member.full_name + (" (Chủ tịch)" if opinion.is_chairman else ""),
            ANSWER_WORDS.get(opinion.answer, ""),
            opinion.comment or "—",
            _note(opinion),
        )
        for number, opinion in enumerate(opinions, start=1)
    )
    if rows:
        body.append(
            Table(
                header=("STT", "Thành viên", "Ý kiến", "Nội dung ý kiến", "Ngày cho ý kiến"),
                rows=rows,
                widths_mm=(11, 38, 27, 65, 24),
            )
        )
    body.append(Heading("III. TIẾP THU, GIẢI TRÌNH CỦA CƠ QUAN CHỦ TRÌ"))
    commented = [opinion for opinion in opinions if opinion.comment]
    if not commented:
        body.append(para("Không có ý kiến góp ý cần tiếp thu, giải trình."))
    else:
        response_rows = []
        for number, opinion in enumerate(commented, start=1):
            response = getattr(opinion, "response", None)
            response_rows.append(
                (
                    str(number),
                    opinion.member.full_name,
                    RESPONSE_WORDS.get(response.kind, "") if response else "Chưa tiếp thu, giải trình",
                    response.text if response else "—",
                )
            )
        body.append(
            Table(
                header=("STT", "Thành viên góp ý", "Hình thức", "Nội dung tiếp thu, giải trình"),
                rows=tuple(response_rows),
                widths_mm=(11, 40, 30, 84),
            )
        )
    body.append(para("Văn phòng tổng hợp, báo cáo lãnh đạo Ủy ban nhân dân xem xét, quyết định./."))
    day = consultation.closed_on
    return DocumentSpec(
        issuing_body=issuing_body_for(office),
        title="Phiếu tổng hợp",
        subtitle="Ý kiến thành viên Ủy ban nhân dân",
        place=consultation.committee.place_name or office.place_name,
        issued_on=day,
        year=None if day else (consultation.deadline or consultation.created_at.date()).year,
        numbered=False,
        with_recipients=False,
        body=tuple(body),
        signature=Signature(
            title="Người tổng hợp", name=consultation.sent_by.full_name if consultation.sent_by else ""
        ),
        filename_hint=f"phieu tong hop y kien {consultation.pk}",
    )
