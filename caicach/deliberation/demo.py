"""The demo province's members' opinions in 2024, replayed through the services on their
days: drafts answered on time with comments taken in, a disagreement explained, a late
answer, a secret draft answered on paper and entered by the Office, and one still open at
the end of the year with members who have not answered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from caicach.core import clock
from caicach.core.models import Membership, Role, Unit, User
from caicach.core.rendering import DocumentSpec, RenderingError, issuing_body_for, para, render_pdf_from_spec
from caicach.deliberation.consultations.services import (
    consultation_add_file,
    consultation_close,
    consultation_create,
    consultation_send,
    opinion_enter,
    opinion_give,
    opinion_respond,
)
from caicach.deliberation.models import Consultation, FileRole, Opinion
from caicach.workprogram.models import ProgramItem

# The provincial Director of Home Affairs sits on the committee too (its members are the
# Chairman, the Vice-chairmen and the heads of departments); the demo accounts give him no
# seat, so the loader adds it.
EXTRA_MEMBERS = ("truong.snv",)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass(frozen=True)
class Answer:
    who: str
    answer: str
    comment: str = ""
    day_offset: int = 0  # calendar days after sending
    response: tuple[str, str] | None = None  # (kind, text) from the lead unit


@dataclass(frozen=True)
class Draft:
    title: str
    kind: str
    lead_unit: str
    sent_on: datetime.date
    answers: tuple[Answer, ...]
    secret: bool = False
    close: bool = True
    item_words: str = ""  # a word of the program item it comes from


DRAFTS = (
    Draft(
        "Dự thảo Quyết định ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh "
        "nhiệm kỳ 2021 - 2026 (sửa đổi)",
        "decision",
        "TN-SNV",
        datetime.date(2024, 3, 11),
        (
            Answer("chutich", "agree"),
            Answer(
                "lanhdao",
                "agree_with_comments",
                "Đề nghị bổ sung quy định về thời hạn cho ý kiến của thành viên.",
                1,
                ("accepted", "Đã bổ sung khoản 3 Điều 12 về thời hạn cho ý kiến."),
            ),
            Answer("lanhdao.kinhte", "agree", day_offset=2),
            Answer(
                "thanhvien",
                "disagree",
                "Chưa đánh giá đầy đủ tác động đối với các sở, ngành.",
                2,
                (
                    "explained",
                    "Báo cáo đánh giá tác động đã gửi kèm hồ sơ; các sở, ngành đã góp ý tại văn bản.",
                ),
            ),
            Answer("truong.snv", "agree", day_offset=1),
        ),
    ),
    Draft(
        "Dự thảo Kế hoạch cải cách hành chính tỉnh năm 2025",
        "plan",
        "TN-SNV",
        datetime.date(2024, 11, 18),
        (
            Answer("chutich", "agree", day_offset=1),
            Answer("lanhdao", "agree"),
            Answer(
                "lanhdao.kinhte",
                "agree_with_comments",
                "Bổ sung chỉ tiêu về dịch vụ công trực tuyến toàn trình.",
                2,
                ("accepted", "Đã bổ sung chỉ tiêu tại mục II.3 của Kế hoạch."),
            ),
            Answer("thanhvien", "agree", day_offset=7),  # after the deadline
            Answer("truong.snv", "agree"),
        ),
    ),
    Draft(
        "Dự thảo Báo cáo kết quả thực hiện nhiệm vụ khoa học và công nghệ năm 2024",
        "report",
        "TN-SKHCN",
        datetime.date(2024, 12, 2),
        (
            Answer("chutich", "agree"),
            Answer("lanhdao", "agree_with_comments", "Làm rõ kết quả ứng dụng sáng kiến tại cấp huyện.", 1),
            Answer("lanhdao.kinhte", "agree", day_offset=1),
            Answer("truong.snv", "agree", day_offset=2),
        ),
        item_words="khoa học",
    ),
    Draft(
        "Dự thảo Quyết định phê duyệt phương án bảo vệ bí mật nhà nước năm 2025",
        "decision",
        "TN-SNV",
        datetime.date(2024, 12, 9),
        (
            Answer("chutich", "agree", day_offset=1),
            Answer("lanhdao", "agree", day_offset=1),
            Answer(
                "lanhdao.kinhte", "agree_with_comments", "Bổ sung trách nhiệm của người đứng đầu cơ quan.", 2
            ),
            Answer("thanhvien", "agree", day_offset=2),
            Answer("truong.snv", "agree", day_offset=1),
        ),
        secret=True,
    ),
    Draft(
        "Dự thảo Quyết định ban hành Chương trình công tác năm 2025 của Ủy ban nhân dân tỉnh",
        "decision",
        "TN-VP",
        datetime.date(2024, 12, 26),
        (
            Answer("chutich", "agree"),
            Answer("lanhdao", "agree_with_comments", "Rà soát thời gian trình các đề án quý I."),
        ),
        close=False,
    ),
)


# The routine drafts of the year: answered on time by most, one late answer, one member who
# never answered (the punctuality page has something to show).
ROUTINE = (
    ("Dự thảo Quyết định công bố danh mục thủ tục hành chính lĩnh vực khoa học và công nghệ", "TN-SKHCN",
     (1, 15)),
    ("Dự thảo Kế hoạch tuyên truyền cải cách hành chính năm 2024", "TN-SNV", (2, 19)),
    ("Dự thảo Quyết định ban hành Quy chế phối hợp kiểm tra văn bản quy phạm pháp luật", "TN-STP", (4, 8)),
    ("Dự thảo Báo cáo kết quả cải cách hành chính 6 tháng đầu năm 2024", "TN-SNV", (6, 10)),
    ("Dự thảo Kế hoạch ứng dụng công nghệ thông tin năm 2025", "TN-SKHCN", (7, 22)),
    ("Dự thảo Quyết định sửa đổi Quy chế tổ chức và hoạt động của Trung tâm Phục vụ hành chính công", "TN-VP",
     (8, 19)),
    ("Dự thảo Báo cáo công tác phổ biến, giáo dục pháp luật 9 tháng năm 2024", "TN-STP", (10, 7)),
)  # fmt: skip
MEMBERS = ("chutich", "lanhdao", "lanhdao.kinhte", "thanhvien", "truong.snv")


def _routine() -> tuple[Draft, ...]:
    drafts = []
    for number, (title, unit, (month, day)) in enumerate(ROUTINE):
        answers = []
        for position, who in enumerate(MEMBERS):
            if number == 2 and who == "thanhvien":
                continue  # never answered
            late = number == 4 and who == "lanhdao.kinhte"
            answers.append(Answer(who, "agree", day_offset=8 if late else (number + position) % 3))
        kind = (
            "report"
            if title.startswith("Dự thảo Báo cáo")
            else "plan"
            if "Kế hoạch" in title[:20]
            else "decision"
        )
        drafts.append(Draft(title, kind, unit, datetime.date(2024, month, day), tuple(answers)))
    return tuple(drafts)


def _pdf(title: str, lead_unit: Unit) -> SimpleUploadedFile:
    """The Tờ trình as a small PDF of its own (the demo has no scanned originals)."""
    spec = DocumentSpec(
        issuing_body=issuing_body_for(lead_unit),
        title="Tờ trình",
        subtitle=title,
        place="Tây Ninh",
        year=2024,
        body=(
            para(
                "Kính trình Ủy ban nhân dân tỉnh xem xét, cho ý kiến đối với "
                f"{title[0].lower()}{title[1:]}./."
            ),
        ),
    )
    try:
        content = render_pdf_from_spec(spec)
    except RenderingError:
        content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile("to-trinh.pdf", content, content_type="application/pdf")


def _opinion(consultation: Consultation, user: User) -> Opinion:
    return Opinion.objects.select_related("consultation").get(consultation=consultation, member=user)


def _replay(
    draft: Draft, office: User, committee: Unit, units: dict[str, Unit], people: dict[str, User]
) -> None:
    lead_unit = units[draft.lead_unit]
    item = None
    if draft.item_words:
        item = (
            ProgramItem.objects.filter(
                program__issuing_unit=committee, lead_unit=lead_unit, title__icontains=draft.item_words
            )
            .order_by("pk")
            .first()
        )
    with clock.travel_to(_at(draft.sent_on, 8)):
        consultation = consultation_create(
            actor=office,
            committee=committee,
            lead_unit=lead_unit,
            kind=draft.kind,
            title=draft.title,
            is_secret=draft.secret,
            program_item=item,
        )
        if not draft.secret:
            consultation_add_file(
                actor=office,
                consultation=consultation,
                upload=_pdf(draft.title, lead_unit),
                role=FileRole.SUBMISSION,
            )
        consultation = consultation_send(
            actor=office, consultation=consultation, version=consultation.version
        )
    for given in draft.answers:
        member = people[given.who]
        opinion = _opinion(consultation, member)
        with clock.travel_to(_at(draft.sent_on + datetime.timedelta(days=given.day_offset), 14)):
            if draft.secret:
                opinion_enter(
                    actor=office,
                    opinion=opinion,
                    answer=given.answer,
                    comment=given.comment,
                    version=opinion.version,
                )
            else:
                opinion_give(
                    actor=member,
                    opinion=opinion,
                    answer=given.answer,
                    comment=given.comment,
                    version=opinion.version,
                )
    if not draft.close:
        return
    assert consultation.deadline is not None
    after = consultation.deadline + datetime.timedelta(days=1)
    head = people.get("truong.skhcn") if draft.lead_unit == "TN-SKHCN" else people.get("truong.snv")
    if draft.lead_unit == "TN-STP":
        head = people.get("thanhvien")
    with clock.travel_to(_at(after, 10)):
        for given in draft.answers:
            if given.response is not None and head is not None:
                opinion = _opinion(consultation, people[given.who])
                opinion_respond(
                    actor=head, opinion=opinion, kind=given.response[0], text=given.response[1], version=0
                )
        consultation.refresh_from_db()
        consultation_close(actor=office, consultation=consultation, version=consultation.version)


def load_demo_consultations() -> None:
    """Needs the organisation and accounts of caicach.core.demo (and, for the link of one
    draft to its item, the work program's demo)."""
    committee = Unit.objects.filter(code="TN").first()
    if committee is None or Consultation.objects.filter(committee=committee).exists():
        return
    units = {unit.code: unit for unit in Unit.objects.filter(code__startswith="TN")}
    people = {user.username: user for user in User.objects.all()}
    office = people.get("vanphong")
    if office is None:
        return
    for username in EXTRA_MEMBERS:
        if username in people:
            Membership.objects.get_or_create(
                user=people[username], unit=committee, role=Role.COMMITTEE_MEMBER
            )
    for draft in (*_routine(), *DRAFTS):
        if draft.lead_unit in units:
            _replay(draft, office, committee, units, people)
